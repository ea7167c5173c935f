// A generated book stream for the benches: one instrument on a 0.1 tick grid around a fixed mid,
// `depth` resting levels a side, then updates of one to four levels each (mostly near the
// touch, some anywhere in the book; a third of the changes remove a level, which a later change
// fills again). The same sequence is written in every venue's own format by the venue benches.
// Checksums here are computed independently of the app (zlib over the venue's check string).

import zlib from 'node:zlib';
import { mulberry32 } from '../sim/core/market.js';

export type Row = readonly [price: string, size: string];

export interface GeneratedMessage {
  /** Levels as the venue would send them: absolute sizes, "0" deletes. */
  readonly bids: readonly Row[];
  readonly asks: readonly Row[];
  /** The book's best levels after the message (for checksums): `top` a side, best first. */
  readonly topBids: readonly Row[];
  readonly topAsks: readonly Row[];
}

export interface GeneratedStream {
  readonly depth: number;
  readonly snapshot: GeneratedMessage;
  readonly updates: readonly GeneratedMessage[];
}

const MID = 600_000; // in ticks of 0.1: 60,000.0

function price(ticks: number): string {
  return (ticks / 10).toFixed(1);
}

/**
 * `depth` levels a side within `slots` grid places (slots ≥ depth; equal when the venue cuts
 * its book to `depth`, so that the book never outgrows it). `top`: levels a side kept for checksums.
 */
export function generateBookStream(
  depth: number,
  updates: number,
  options: { readonly slots?: number; readonly top?: number; readonly seed?: number } = {},
): GeneratedStream {
  const slots = options.slots ?? Math.ceil(depth * 1.25);
  const top = options.top ?? 25;
  const rand = mulberry32(options.seed ?? 7);
  // sizes[side][i]: size at i + 1 ticks from the mid ('' = empty).
  const sizes: [string[], string[]] = [Array.from({ length: slots }, () => ''), Array.from({ length: slots }, () => '')];
  const counts = [0, 0];
  const size = (): string => (0.0001 + rand() * 4).toFixed(4);
  for (let i = 0; i < depth; i += 1) {
    for (const s of [0, 1] as const) {
      sizes[s][i] = size();
      counts[s] = (counts[s] ?? 0) + 1;
    }
  }
  const ticksOf = (s: 0 | 1, i: number): number => (s === 0 ? MID - 1 - i : MID + 1 + i);
  const topOf = (s: 0 | 1): Row[] => {
    const out: Row[] = [];
    const side = sizes[s];
    for (let i = 0; i < slots && out.length < top; i += 1) {
      const v = side[i];
      if (v !== undefined && v !== '') out.push([price(ticksOf(s, i)), v]);
    }
    return out;
  };
  const rows = (s: 0 | 1): Row[] => {
    const out: Row[] = [];
    sizes[s].forEach((v, i) => {
      if (v !== '') out.push([price(ticksOf(s, i)), v]);
    });
    return out;
  };
  const snapshot: GeneratedMessage = { bids: rows(0), asks: rows(1), topBids: topOf(0), topAsks: topOf(1) };
  const out: GeneratedMessage[] = [];
  for (let n = 0; n < updates; n += 1) {
    const changed: [Row[], Row[]] = [[], []];
    const k = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < k; j += 1) {
      const s: 0 | 1 = rand() < 0.5 ? 0 : 1;
      // Three changes in four within the first 20 levels, the rest anywhere.
      const i = rand() < 0.75 ? Math.floor(rand() * Math.min(20, slots)) : Math.floor(rand() * slots);
      const side = sizes[s];
      if (changed[s].some(([p]) => p === price(ticksOf(s, i)))) continue;
      const filled = side[i] !== '';
      let next: string;
      if (filled && (rand() < 0.33 || (counts[s] ?? 0) > depth)) {
        next = '0';
        side[i] = '';
        counts[s] = (counts[s] ?? 0) - 1;
      } else if (!filled && (counts[s] ?? 0) >= depth) {
        continue;
      } else {
        next = size();
        if (!filled) counts[s] = (counts[s] ?? 0) + 1;
        side[i] = next;
      }
      changed[s].push([price(ticksOf(s, i)), next]);
    }
    if (changed[0].length + changed[1].length === 0) {
      // Never an empty update: resize the best bid.
      const v = size();
      const i = sizes[0].findIndex((x) => x !== '');
      sizes[0][i] = v;
      changed[0].push([price(ticksOf(0, i)), v]);
    }
    out.push({ bids: changed[0], asks: changed[1], topBids: topOf(0), topAsks: topOf(1) });
  }
  return { depth, snapshot, updates: out };
}

/** OKX's checksum: CRC-32 of the best 25 levels interleaved `bid:size:ask:size…`, signed. */
export function okxChecksumOfRows(bids: readonly Row[], asks: readonly Row[]): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i += 1) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid !== undefined) parts.push(bid[0], bid[1]);
    if (ask !== undefined) parts.push(ask[0], ask[1]);
  }
  return zlib.crc32(parts.join(':')) | 0;
}

/** Kraken's checksum: the best 10 asks then bids, points removed and leading zeros stripped. */
export function krakenChecksumOfRows(bids: readonly Row[], asks: readonly Row[]): number {
  const strip = (s: string): string => s.replace('.', '').replace(/^0+/, '');
  const text = [...asks.slice(0, 10), ...bids.slice(0, 10)].map(([p, q]) => strip(p) + strip(q)).join('');
  return zlib.crc32(text) >>> 0;
}
