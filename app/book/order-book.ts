// OrderBook: both sides of one instrument's book, built from snapshots and absolute-size
// updates. It knows nothing about any exchange's sequencing or checksum; those live with the
// exchange and call into it.

import type { OrderBookReader, PriceLevel } from '../core/types.js';
import { BookSide, type LevelInput } from './book-side.js';

export interface BookView {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export class OrderBook implements OrderBookReader {
  readonly bids = new BookSide('bid');
  readonly asks = new BookSide('ask');
  /** Scratch the venue's checksum keeps with the book (a memo of its last computation). */
  checksumMemo: unknown = undefined;
  /** Levels rejected as malformed since the last snapshot. */
  private rejected = 0;

  /** Keeps a digest beside every level (see BookSide.useDigest). */
  useDigest(digest: (level: PriceLevel) => number): void {
    this.bids.useDigest(digest);
    this.asks.useDigest(digest);
  }

  /** Replaces the whole book. Returns the number of malformed levels skipped. */
  loadSnapshot(bids: readonly LevelInput[], asks: readonly LevelInput[]): number {
    this.bids.clear();
    this.asks.clear();
    this.rejected = 0;
    return this.applyUpdate(bids, asks);
  }

  /** Applies every level of one message (absolute sizes; 0 deletes). Returns malformed count. */
  applyUpdate(bids: readonly LevelInput[], asks: readonly LevelInput[]): number {
    let bad = 0;
    for (const level of bids) if (!this.bids.set(level)) bad += 1;
    for (const level of asks) if (!this.asks.set(level)) bad += 1;
    this.rejected += bad;
    return bad;
  }

  get malformedLevels(): number {
    return this.rejected;
  }

  isEmpty(): boolean {
    return this.bids.size === 0 && this.asks.size === 0;
  }

  /** Best bid at or above best ask. Exchanges allow it briefly (pre-open auctions); a live book should not be. */
  isCrossed(): boolean {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid !== undefined && ask !== undefined && bid.price >= ask.price;
  }

  spread(): number | undefined {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid === undefined || ask === undefined ? undefined : ask.price - bid.price;
  }

  mid(): number | undefined {
    const bid = this.bids.best();
    const ask = this.asks.best();
    return bid === undefined || ask === undefined ? undefined : (ask.price + bid.price) / 2;
  }

  top(n: number): BookView {
    return { bids: this.bids.top(n), asks: this.asks.top(n) };
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.rejected = 0;
  }
}
