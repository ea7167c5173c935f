// OkxBookSync: keeps one instrument's order book consistent with OKX's `books` channel.
// Rules (OKX docs, see shared/protocols/exchanges.md §1.9):
// - snapshot (prevSeqId -1) replaces the book;
// - each update's prevSeqId must equal the last seqId, else it is a gap;
// - prevSeqId == seqId with no levels is a keep-alive; seqId < prevSeqId is a documented reset;
// - a non-zero checksum must match the CRC32 of the top 25 levels after the whole message;
// - with no in-band snapshot, updates are buffered and spliced onto a REST snapshot:
//   drop seqId <= snapshot seqId, the first kept must have prevSeqId <= snapshot seqId.
// The chain and reset rules come before the splice rule: an update that continues the chain
// is applied even when its (reset) seqId is below the snapshot's, and an update is dropped as
// "already in the snapshot" only when its whole step lies at or below it. Anything else is a
// gap, so a book never stays valid on data it did not apply.
// An invalid book publishes nothing until a fresh snapshot arrives. A stale book (consistent
// but not current) keeps its levels for display and follows the chain; a change that applies
// makes it valid again.

import { OrderBook } from '../../book/order-book.js';
import type { BookStatus } from '../../core/collector-status.js';
import { okxBookChecksum } from './checksum.js';
import type { OkxBookData } from './messages.js';

export type BookSyncState = 'awaiting' | 'valid' | 'stale' | 'invalid';

export type BookSyncResult =
  | { readonly type: 'snapshot' }
  | { readonly type: 'update' }
  | { readonly type: 'keepalive' }
  | { readonly type: 'reset'; readonly from: number; readonly to: number }
  | { readonly type: 'buffered' }
  | { readonly type: 'ignored' }
  | { readonly type: 'gap'; readonly expected: number | undefined; readonly got: number | undefined }
  | { readonly type: 'checksum'; readonly expected: number; readonly computed: number }
  | { readonly type: 'malformed'; readonly levels: number };

export type RestSpliceResult = 'loaded' | 'stale' | 'gap';

export interface BookSyncOptions {
  /** Verify non-zero checksums (off only for benchmarking). */
  readonly verifyChecksum?: boolean;
  /** Updates held while waiting for a snapshot; beyond it the oldest are dropped. */
  readonly maxBuffered?: number;
  readonly now?: () => number;
}

export class OkxBookSync {
  readonly book = new OrderBook();
  private current: BookSyncState = 'awaiting';
  private lastSeqId: number | undefined;
  /** Set after a REST snapshot: updates up to this seqId are already in the book. */
  private spliceAt: number | undefined;
  private buffer: OkxBookData[] = [];
  private bufferOverflowed = false;
  private readonly verifyChecksum: boolean;
  private readonly maxBuffered: number;
  private checksumsVerified = 0;
  private changedAt: number | null = null;
  private readonly now: () => number;

  constructor(options: BookSyncOptions = {}) {
    this.verifyChecksum = options.verifyChecksum ?? true;
    this.maxBuffered = options.maxBuffered ?? 2000;
    this.now = options.now ?? Date.now;
  }

  get state(): BookSyncState {
    return this.current;
  }

  get seqId(): number | undefined {
    return this.lastSeqId;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Checksums compared (and matched) since creation. */
  get verifiedChecksums(): number {
    return this.checksumsVerified;
  }

  /** When the book last changed (snapshot or applied update), ms. */
  get lastChangeAt(): number | null {
    return this.changedAt;
  }

  /** The book's health as collectors report it (recovery filled in by the collector). */
  status(sequenceResets: number): BookStatus {
    const state = this.current === 'awaiting' ? 'syncing' : this.current;
    return {
      state,
      seqId: this.lastSeqId ?? null,
      bids: this.book.bids.size,
      asks: this.book.asks.size,
      crossed: this.book.isCrossed(),
      sequenceResets,
      lastChangeAt: this.changedAt,
      recovery: null,
    };
  }

  /** The levels may still be shown (valid, or stale and labelled so). */
  get displayable(): boolean {
    return this.current === 'valid' || this.current === 'stale';
  }

  /** Consistent but no longer current (silent, or contradicted by trades): not live until it changes. */
  markStale(): void {
    if (this.current === 'valid') this.current = 'stale';
  }

  /** Forget the book and wait for a new snapshot (after a resubscribe or reconnect). */
  awaitSnapshot(): void {
    this.current = 'awaiting';
    this.book.clear();
    this.lastSeqId = undefined;
    this.spliceAt = undefined;
    this.buffer = [];
    this.bufferOverflowed = false;
  }

  /** Takes a known-good book (e.g. recorded when a recording began) as the current state. */
  seed(bids: readonly { priceStr: string; sizeStr: string }[], asks: readonly { priceStr: string; sizeStr: string }[], seqId: number | undefined): void {
    this.awaitSnapshot();
    this.book.loadSnapshot(bids, asks);
    this.lastSeqId = seqId;
    this.current = 'valid';
    this.changedAt = this.now();
  }

  /** Stop publishing until a resync completes. */
  invalidate(): void {
    this.awaitSnapshot();
    this.current = 'invalid';
  }

  onMessage(action: 'snapshot' | 'update', data: OkxBookData): BookSyncResult {
    if (action === 'snapshot') return this.applySnapshot(data);
    if (this.current === 'invalid') return { type: 'ignored' };
    // A stale book still follows the chain: its next applied change makes it current again.
    if (this.current === 'awaiting') {
      if (this.buffer.length >= this.maxBuffered) {
        this.buffer.shift();
        this.bufferOverflowed = true;
      }
      this.buffer.push(data);
      return { type: 'buffered' };
    }
    return this.applyUpdate(data);
  }

  /**
   * Loads a REST snapshot and replays the buffered updates onto it.
   * `stale`: the snapshot predates the buffer (fetch again); `gap`: the buffer cannot be spliced.
   */
  loadRestSnapshot(data: OkxBookData): RestSpliceResult {
    const snapSeq = data.seqId;
    const first = this.buffer[0];
    if (snapSeq === undefined) return 'gap';
    if (first?.prevSeqId !== undefined && snapSeq < first.prevSeqId) return this.bufferOverflowed ? 'gap' : 'stale';
    const pending = this.buffer;
    this.buffer = [];
    this.book.loadSnapshot(levelsOf(data.bids), levelsOf(data.asks));
    this.current = 'valid';
    this.changedAt = this.now();
    this.lastSeqId = snapSeq;
    this.spliceAt = snapSeq;
    for (const update of pending) {
      const result = this.applyUpdate(update);
      if (result.type === 'gap' || result.type === 'checksum' || result.type === 'malformed') return 'gap';
    }
    return 'loaded';
  }

  private applySnapshot(data: OkxBookData): BookSyncResult {
    this.buffer = [];
    this.bufferOverflowed = false;
    this.spliceAt = undefined;
    const bad = this.book.loadSnapshot(levelsOf(data.bids), levelsOf(data.asks));
    if (bad > 0) {
      this.invalidate();
      return { type: 'malformed', levels: bad };
    }
    this.lastSeqId = data.seqId;
    this.current = 'valid';
    this.changedAt = this.now();
    return this.verify(data) ?? { type: 'snapshot' };
  }

  private applyUpdate(data: OkxBookData): BookSyncResult {
    const { prevSeqId, seqId } = data;
    const empty = data.bids.length === 0 && data.asks.length === 0;
    let reset: BookSyncResult | undefined;
    if (prevSeqId !== undefined && seqId !== undefined) {
      const splice = this.spliceAt;
      if (prevSeqId === this.lastSeqId) {
        // The chain continues; this rule comes first, also right after a REST splice.
        this.spliceAt = undefined;
        if (seqId === prevSeqId && empty) return this.verify(data) ?? { type: 'keepalive' };
        if (seqId < prevSeqId) reset = { type: 'reset', from: prevSeqId, to: seqId };
      } else if (splice !== undefined && prevSeqId <= seqId && seqId <= splice) {
        // Wholly at or below the REST snapshot: already in it.
        return { type: 'ignored' };
      } else if (splice !== undefined && prevSeqId < splice && splice < seqId) {
        // The first update that straddles the snapshot.
        this.spliceAt = undefined;
      } else {
        return this.gap(this.lastSeqId, prevSeqId);
      }
    }
    const bad = this.book.applyUpdate(levelsOf(data.bids), levelsOf(data.asks));
    if (bad > 0) {
      this.invalidate();
      return { type: 'malformed', levels: bad };
    }
    if (seqId !== undefined) this.lastSeqId = seqId;
    if (!empty) {
      this.changedAt = this.now();
      if (this.current === 'stale') this.current = 'valid';
    }
    return this.verify(data) ?? reset ?? { type: 'update' };
  }

  private verify(data: OkxBookData): BookSyncResult | undefined {
    if (!this.verifyChecksum || data.checksum === undefined || data.checksum === 0) return undefined;
    const computed = okxBookChecksum(this.book);
    if (computed !== data.checksum) {
      this.invalidate();
      return { type: 'checksum', expected: data.checksum, computed };
    }
    this.checksumsVerified += 1;
    return undefined;
  }

  private gap(expected: number | undefined, got: number | undefined): BookSyncResult {
    this.invalidate();
    return { type: 'gap', expected, got };
  }
}

function levelsOf(rows: OkxBookData['bids']): { priceStr: string; sizeStr: string; orders?: number }[] {
  return rows.map(([priceStr, sizeStr, , orders]) => (orders === undefined ? { priceStr, sizeStr } : { priceStr, sizeStr, orders: Number(orders) }));
}
