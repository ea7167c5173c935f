// Reads the real Bybit v5 capture (test/fixtures/bybit/, see its NOTICE.md): cryptofeed's
// recording format, one JSON line per event; `{"t":"recv","conn":…,"ts":…,"data":…}` is a frame
// received on connection `conn` (`BYBIT.ws.2` linear, `BYBIT.ws.3` spot). Line order is the
// receive order.

import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BybitCaptureFrame {
  readonly market: 'linear' | 'spot';
  readonly ts: number;
  readonly data: string;
}

export const BYBIT_CAPTURE = path.resolve(import.meta.dirname, '../../fixtures/bybit/cryptofeed_BYBIT.v5.2026-08-09.jsonl');

/** The capture's books: market and symbol. */
export const BYBIT_CAPTURE_BOOKS = [
  { market: 'linear', symbol: 'BTCUSDT' },
  { market: 'linear', symbol: 'ETHUSDT' },
  { market: 'linear', symbol: 'SOLUSDT' },
  { market: 'linear', symbol: 'DOGEUSDT' },
  { market: 'spot', symbol: 'BTCUSDT' },
  { market: 'spot', symbol: 'ETHUSDT' },
] as const;

/** Received frames in receive order. */
export function readBybitCapture(file = BYBIT_CAPTURE): BybitCaptureFrame[] {
  const connections = new Map<string, 'linear' | 'spot'>();
  const frames: BybitCaptureFrame[] = [];
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const entry = JSON.parse(line) as { t: string; conn?: string; ts?: number; addr?: string; data?: string };
    if (entry.t === 'connect' && entry.conn !== undefined) connections.set(entry.conn, entry.addr?.endsWith('/spot') === true ? 'spot' : 'linear');
    if (entry.t !== 'recv' || entry.conn === undefined || entry.data === undefined) continue;
    const market = connections.get(entry.conn);
    if (market !== undefined) frames.push({ market, ts: entry.ts ?? 0, data: entry.data });
  }
  return frames;
}
