// CRC-32 checksums over a book's best levels (OKX: 25 a side interleaved; Kraken: 10 asks then
// 10 bids), computed from digests kept beside the levels (see BookSide.useDigest): each level's
// part of the check string is hashed once, when the level is stored, and the parts are combined
// with crc32Append. The register after each position is kept with the book; the book says from
// which rank it changed since the last checksum (BookSide.takeChangedFrom), and only the
// positions from there are combined again. No check string is built.

import { crc32Append } from '../core/crc32.js';
import type { PriceLevel } from '../core/types.js';
import type { OrderBook } from './order-book.js';

/** How the check string lays the levels out. */
export type CheckOrder = 'interleaved' | 'asks-then-bids';

/** Typed arrays: digests and registers are 32-bit unsigned, beyond V8's small integers, and a plain array would change its element kind (and deoptimize its readers) when the first one is stored. */
interface Memo {
  readonly bids: Float64Array;
  readonly asks: Float64Array;
  readonly registers: Float64Array;
  count: number;
}

/**
 * The CRC-32 register after the check string of the best `depth` levels a side, fed from
 * `start`; unfinished (the venue finishes it). `digest` must be the same function on every call
 * for a book.
 */
export function topLevelsRegister(book: OrderBook, depth: number, order: CheckOrder, digest: (level: PriceLevel) => number, start: number): number {
  book.useDigest(digest);
  let memo = book.checksumMemo as Memo | undefined;
  if (memo?.bids.length !== depth) {
    memo = { bids: new Float64Array(depth), asks: new Float64Array(depth), registers: new Float64Array(2 * depth), count: 0 };
    book.checksumMemo = memo;
  }
  const fromBid = Math.min(book.bids.takeChangedFrom(), depth);
  const fromAsk = Math.min(book.asks.takeChangedFrom(), depth);
  let bids = book.bids.topDigests(depth, memo.bids, fromBid);
  let asks = book.asks.topDigests(depth, memo.asks, fromAsk);
  // The first position whose part may have changed; those in front are kept.
  let p: number;
  if (order === 'interleaved') {
    const rank = Math.min(fromBid, fromAsk);
    p = Math.min(rank, bids) + Math.min(rank, asks);
  } else {
    // A change among the best asks (also one at or past their end: the side got shorter, and
    // every bid moved) starts over from there; otherwise from the first changed bid.
    p = fromAsk < depth ? Math.min(fromAsk, asks) : asks + Math.min(fromBid, bids);
  }
  if (p > memo.count) {
    // Nothing kept for them (never so while the memo follows the book): all again.
    p = 0;
    bids = book.bids.topDigests(depth, memo.bids);
    asks = book.asks.topDigests(depth, memo.asks);
  }
  const { registers } = memo;
  let crc = p === 0 ? start : (registers[p - 1] as number);
  if (order === 'interleaved') {
    // bid 0, ask 0, bid 1, ask 1, …; a side that runs out is skipped.
    let i = p === 0 ? 0 : Math.min(fromBid, fromAsk);
    const n = Math.max(bids, asks);
    for (; i < n; i += 1) {
      if (i < bids) registers[p++] = crc = crc32Append(crc, memo.bids[i] as number);
      if (i < asks) registers[p++] = crc = crc32Append(crc, memo.asks[i] as number);
    }
  } else {
    for (let i = p; i < asks; i += 1) registers[p++] = crc = crc32Append(crc, memo.asks[i] as number);
    for (let i = p - asks; i < bids; i += 1) registers[p++] = crc = crc32Append(crc, memo.bids[i] as number);
  }
  memo.count = p;
  return crc;
}
