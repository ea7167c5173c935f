// Reads the real Kraken WebSocket v1 capture (test/fixtures/kraken/, see its NOTICE.md): its
// `book-1000` messages as snapshots and updates, levels as Kraken spelled them, with the
// checksum v1 sends on updates. v1 messages are arrays: `[channelID, {as, bs}, "book-1000",
// pair]` (snapshot) or `[channelID, {a}, {b, c}, "book-1000", pair]` (update; either side may
// be missing; `c` is the checksum, in the last object).

import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface V1BookMessage {
  readonly pair: string;
  readonly type: 'snapshot' | 'update';
  readonly bids: readonly (readonly string[])[];
  readonly asks: readonly (readonly string[])[];
  readonly checksum: number | undefined;
}

const DIR = path.resolve(import.meta.dirname, '../../fixtures/kraken');

export function readKrakenV1Books(): V1BookMessage[] {
  const out: V1BookMessage[] = [];
  for (const line of readFileSync(path.join(DIR, 'cryptofeed_KRAKEN.v1.2021-04-17.jsonl'), 'utf8').trim().split('\n')) {
    const entry = JSON.parse(line) as { t: string; data?: string };
    if (entry.t !== 'recv' || entry.data === undefined) continue;
    const message = JSON.parse(entry.data) as unknown;
    if (!Array.isArray(message) || message.at(-2) !== 'book-1000') continue;
    const pair = String(message.at(-1));
    const parts = message.slice(1, -2) as Record<string, unknown>[];
    const first = parts[0] ?? {};
    if ('as' in first || 'bs' in first) {
      out.push({ pair, type: 'snapshot', asks: (first['as'] ?? []) as string[][], bids: (first['bs'] ?? []) as string[][], checksum: undefined });
      continue;
    }
    const asks = parts.flatMap((p) => (p['a'] ?? []) as string[][]);
    const bids = parts.flatMap((p) => (p['b'] ?? []) as string[][]);
    const c = parts.at(-1)?.['c'];
    out.push({ pair, type: 'update', asks, bids, checksum: typeof c === 'string' ? Number(c) : undefined });
  }
  return out;
}

export interface ChecksumVector {
  readonly asks: readonly (readonly [string, string])[];
  readonly bids: readonly (readonly [string, string])[];
  readonly asksString: string;
  readonly bidsString: string;
  readonly expectedChecksum: number;
}

export function readKrakenVector(): ChecksumVector {
  const file = JSON.parse(readFileSync(path.join(DIR, 'checksum-vectors.json'), 'utf8')) as { vectors: ChecksumVector[] };
  const vector = file.vectors[0];
  if (vector === undefined) throw new Error('no checksum vector');
  return vector;
}
