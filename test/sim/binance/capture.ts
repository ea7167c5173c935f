// Reads the real Binance spot capture (test/fixtures/binance/, see its NOTICE.md): one JSON line
// per event, `{"t":"http","url":…,"data":…}` for a REST depth snapshot and `{"t":"recv",
// "data":…}` for a combined-stream frame, each with its local time `ts` in seconds.

import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface CaptureLine {
  readonly t: string;
  readonly ts: number;
  readonly url?: string;
  readonly data?: string;
}

export const BINANCE_CAPTURE = path.resolve(import.meta.dirname, '../../fixtures/binance/cryptofeed_BINANCE.spot.2021-10-12.jsonl');
export const BINANCE_CAPTURE_SYMBOLS = ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR'] as const;

/** REST snapshots and received frames, in time order (the snapshots are logged first but were taken later). */
export function readBinanceCapture(file = BINANCE_CAPTURE): CaptureLine[] {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CaptureLine);
  return lines.filter((l) => l.t === 'http' || l.t === 'recv').sort((a, b) => a.ts - b.ts);
}
