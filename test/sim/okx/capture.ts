// Reads cryptofeed's raw WebSocket capture format (the 2022 OKX recording):
//   `<url> <-> <ts>`          connection opened
//   `<url> <- <ts>: <json>`   frame we sent
//   `<ts>: <payload>`         frame received, exactly as the exchange sent it

import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface CapturedFrame {
  /** Local receive time, ms. */
  readonly receivedAt: number;
  readonly payload: string;
}

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/okx');
export const OKX_2022_CAPTURE = path.join(FIXTURES, 'cryptofeed_OKX.ws.1.0.txt');
export const OKX_2026_SAMPLES = path.join(FIXTURES, 'ccxt-static-okx.2026-08-12.ndjson');
export const OKX_CHECKSUM_VECTORS = path.join(FIXTURES, 'checksum-vectors.json');

/** Received frames of a capture, in order. */
export function readCapture(file = OKX_2022_CAPTURE): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.includes(' <-> ') || line.includes(' <- ')) continue;
    const split = line.indexOf(': ');
    if (split < 0) throw new Error(`unreadable capture line: ${line.slice(0, 60)}`);
    frames.push({ receivedAt: Math.round(Number(line.slice(0, split)) * 1000), payload: line.slice(split + 2) });
  }
  return frames;
}

export interface SampleFrame {
  readonly url: string;
  readonly msg: unknown;
}

/** The 2026 ccxt fixture frames: `{ url, msg }` per line. */
export function readSamples(file = OKX_2026_SAMPLES): SampleFrame[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SampleFrame);
}
