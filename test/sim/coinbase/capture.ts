// Reads the real Coinbase Advanced Trade capture (test/fixtures/coinbase/, see its NOTICE.md):
// the non-book messages and the ETH-USD `l2_data` messages, merged back into connection order
// by `sequence_num`.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface CoinbaseCaptureFrame {
  readonly ts: number;
  readonly seq: number;
  readonly channel: string;
  readonly data: string;
}

const DIR = path.resolve(import.meta.dirname, '../../fixtures/coinbase');
/** The BTC-USD `l2_data` lines left out of the fixture (its snapshot and 399 updates). */
export const COINBASE_CAPTURE_REMOVED = 400;

function frames(text: string): CoinbaseCaptureFrame[] {
  const out: CoinbaseCaptureFrame[] = [];
  for (const line of text.trim().split('\n')) {
    const entry = JSON.parse(line) as { t: string; ts?: number; data?: string };
    if (entry.t !== 'recv' || entry.data === undefined) continue;
    const message = JSON.parse(entry.data) as { sequence_num?: number; channel?: string };
    out.push({ ts: entry.ts ?? 0, seq: message.sequence_num ?? -1, channel: message.channel ?? '', data: entry.data });
  }
  return out;
}

export function readCoinbaseCapture(): CoinbaseCaptureFrame[] {
  const nonbook = readFileSync(path.join(DIR, 'cryptofeed_COINBASE.advanced-trade.2026-08-09.nonbook.jsonl'), 'utf8');
  const book = zlib.gunzipSync(readFileSync(path.join(DIR, 'cryptofeed_COINBASE.advanced-trade.2026-08-09.l2_data.ETH-USD.jsonl.gz'))).toString('utf8');
  return [...frames(nonbook), ...frames(book)].sort((a, b) => a.seq - b.seq);
}
