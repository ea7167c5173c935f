// OKX's `books` / `books5` messages on the venue-independent BookSync engine (app/book/book-sync.ts):
// the `prevSeqId` chain (a snapshot has prevSeqId -1; keep-alives have prevSeqId == seqId and no
// levels; a seqId below its prevSeqId is a documented reset), and the CRC32 checksum of the top 25
// levels when OKX sends a non-zero one (it sends 0 since 2026-06-23).
// https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel

import { BookSync, type BookMessageAdapter, type BookSyncOptions, type RestSpliceResult } from '../../book/book-sync.js';
import { okxBookChecksum } from './checksum.js';
import type { OkxBook } from './messages.js';

export type { BookSyncResult, BookSyncState, RestSpliceResult } from '../../book/book-sync.js';

export const OKX_BOOK_ADAPTER: BookMessageAdapter<OkxBook> = {
  step: (data) => {
    if (data.seqId === undefined) return undefined;
    // A snapshot (prevSeqId -1) or books5 (none) only sets the id.
    if (data.prevSeqId === undefined || data.prevSeqId < 0) return { first: data.seqId, last: data.seqId };
    return { first: data.prevSeqId + 1, last: data.seqId, prev: data.prevSeqId };
  },
  bids: (data) => data.bids,
  asks: (data) => data.asks,
  checksum: (book, data) => (data.checksum === undefined || data.checksum === 0 ? undefined : { expected: data.checksum, computed: okxBookChecksum(book) }),
};

export class OkxBookSync extends BookSync<OkxBook> {
  constructor(options: BookSyncOptions = {}) {
    super(OKX_BOOK_ADAPTER, options);
  }

  /** A REST `/api/v5/market/books` snapshot spliced onto the buffered updates. */
  loadRest(data: OkxBook): RestSpliceResult {
    return this.loadRestSnapshot(data.bids, data.asks, data.seqId);
  }
}
