// BookSync: keeps one instrument's order book consistent with a venue's book stream, whatever
// the venue. A venue maps each of its messages to a SequenceStep and to levels (see
// BookMessageAdapter); the rules here are the venue-independent ones:
//
// - A snapshot replaces the book. Updates are applied whole, then checked (checksum hook).
// - Sequencing, with `last` the id of the last applied message:
//   * chained steps (OKX `prevSeqId`, Binance futures `pu`): `prev` must equal `last`; a step
//     whose `last` is below its `prev` is a documented reset; `last == prev` with no levels is
//     a keep-alive;
//   * ranged steps (Binance spot `U`/`u`): `first` must be `last + 1`; a step wholly at or below
//     `last` is old and skipped; an overlap is applied (sizes are absolute).
//   Anything else is a gap: the book is invalid until a fresh snapshot.
// - Without an in-band snapshot, updates are buffered and spliced onto a REST snapshot with id S:
//   the chain rule comes first (a step continuing from S, even a reset, applies); a step wholly
//   below S is already in the snapshot; the first kept one must straddle S; anything else is a
//   gap. A snapshot older than the first buffered step is fetched again.
// - States: awaiting (a snapshot), valid, stale (consistent but not current: kept for display,
//   made valid again by the next applied change), invalid. A book never stays valid on data it
//   did not apply.

import type { BookStatus } from '../core/collector-status.js';
import type { LevelInput } from './book-side.js';
import { OrderBook } from './order-book.js';

export type BookSyncState = 'awaiting' | 'valid' | 'stale' | 'invalid';

/** Where a message sits in its venue's sequence. */
export interface SequenceStep {
  /** The first id the message covers (ranged venues), or `prev + 1` (chained venues). */
  readonly first: number;
  /** The id of the book after this message. */
  readonly last: number;
  /** The id this message declares it follows (chained venues); undefined for ranged ones. */
  readonly prev?: number;
}

/** How the engine reads one venue's book messages. */
export interface BookMessageAdapter<M> {
  /** The message's place in the sequence; undefined when the venue sends none. */
  step(message: M): SequenceStep | undefined;
  bids(message: M): readonly LevelInput[];
  asks(message: M): readonly LevelInput[];
  /** After the whole message is applied: the venue's checksum and ours, when it sends one. */
  checksum?(book: OrderBook, message: M): { readonly expected: number; readonly computed: number } | undefined;
}

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

// The results without data, made once (the hot path returns one per message).
const SNAPSHOT: BookSyncResult = { type: 'snapshot' };
const UPDATE: BookSyncResult = { type: 'update' };
const KEEPALIVE: BookSyncResult = { type: 'keepalive' };
const BUFFERED: BookSyncResult = { type: 'buffered' };
const IGNORED: BookSyncResult = { type: 'ignored' };

export type RestSpliceResult = 'loaded' | 'stale' | 'gap';

export interface BookSyncOptions {
  /** Verify checksums the venue sends (off only for benchmarking). */
  readonly verifyChecksum?: boolean;
  /** Updates held while waiting for a snapshot; beyond it the oldest are dropped. */
  readonly maxBuffered?: number;
  /** Levels a side the venue keeps (Kraken, Bybit): the book is cut to it after every message, before its checksum. */
  readonly depth?: number;
  readonly now?: () => number;
}

export class BookSync<M> {
  readonly book = new OrderBook();
  private current: BookSyncState = 'awaiting';
  private lastId: number | undefined;
  /** Set after a REST snapshot: the first kept update must straddle this id. */
  private spliceAt: number | undefined;
  private buffer: M[] = [];
  private bufferOverflowed = false;
  private readonly verifyChecksum: boolean;
  private readonly maxBuffered: number;
  /** Levels a side kept (see BookSyncOptions.depth); a venue may learn it from its stream. */
  depthLimit: number | undefined;
  private readonly now: () => number;
  private checksumsVerified = 0;
  private changedAt: number | null = null;

  constructor(
    private readonly adapter: BookMessageAdapter<M>,
    options: BookSyncOptions = {},
  ) {
    this.verifyChecksum = options.verifyChecksum ?? true;
    this.maxBuffered = options.maxBuffered ?? 2000;
    this.depthLimit = options.depth;
    this.now = options.now ?? Date.now;
  }

  get state(): BookSyncState {
    return this.current;
  }

  /** The id of the last applied message. */
  get seqId(): number | undefined {
    return this.lastId;
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

  /** The levels may still be shown (valid, or stale and labelled so). */
  get displayable(): boolean {
    return this.current === 'valid' || this.current === 'stale';
  }

  /** The book's health as collectors report it (recovery filled in by the collector). */
  status(sequenceResets: number): BookStatus {
    return {
      state: this.current === 'awaiting' ? 'syncing' : this.current,
      seqId: this.lastId ?? null,
      bids: this.book.bids.size,
      asks: this.book.asks.size,
      crossed: this.book.isCrossed(),
      sequenceResets,
      lastChangeAt: this.changedAt,
      recovery: null,
    };
  }

  /**
   * For venues whose book messages carry no sequence of their own (Coinbase: the connection
   * numbers its frames): the id of the frame last applied, shown as the book's id.
   */
  noteId(id: number): void {
    if (this.current === 'valid' || this.current === 'stale') this.lastId = id;
  }

  /** Consistent but no longer current (silent, or contradicted by trades): not live until it changes. */
  markStale(): void {
    if (this.current === 'valid') this.current = 'stale';
  }

  /** Forget the book and wait for a new snapshot (after a resubscribe or reconnect). */
  awaitSnapshot(): void {
    this.current = 'awaiting';
    this.book.clear();
    this.lastId = undefined;
    this.spliceAt = undefined;
    this.buffer = [];
    this.bufferOverflowed = false;
  }

  /** Takes a known-good book (e.g. recorded when a recording began) as the current state. */
  seed(bids: readonly LevelInput[], asks: readonly LevelInput[], seqId: number | undefined): void {
    this.awaitSnapshot();
    this.book.loadSnapshot(bids, asks);
    this.lastId = seqId;
    this.current = 'valid';
    this.changedAt = this.now();
  }

  /** Stop publishing until a resync completes. */
  invalidate(): void {
    this.awaitSnapshot();
    this.current = 'invalid';
  }

  onMessage(action: 'snapshot' | 'update', message: M): BookSyncResult {
    if (action === 'snapshot') return this.applySnapshot(message);
    if (this.current === 'invalid') return IGNORED;
    if (this.current === 'awaiting') {
      if (this.buffer.length >= this.maxBuffered) {
        this.buffer.shift();
        this.bufferOverflowed = true;
      }
      this.buffer.push(message);
      return BUFFERED;
    }
    // A stale book still follows the sequence: its next applied change makes it current again.
    return this.applyUpdate(message);
  }

  /**
   * Loads a REST snapshot with id `snapshotId` and replays the buffered updates onto it.
   * `stale`: the snapshot predates the buffer (fetch again); `gap`: the buffer cannot be spliced.
   */
  loadRestSnapshot(bids: readonly LevelInput[], asks: readonly LevelInput[], snapshotId: number | undefined): RestSpliceResult {
    if (snapshotId === undefined) return 'gap';
    const first = this.buffer[0] === undefined ? undefined : this.adapter.step(this.buffer[0]);
    if (first !== undefined && snapshotId < first.first - 1) return this.bufferOverflowed ? 'gap' : 'stale';
    const pending = this.buffer;
    this.buffer = [];
    this.book.loadSnapshot(bids, asks);
    this.current = 'valid';
    this.changedAt = this.now();
    this.lastId = snapshotId;
    this.spliceAt = snapshotId;
    for (const update of pending) {
      const result = this.applyUpdate(update);
      if (result.type === 'gap' || result.type === 'checksum' || result.type === 'malformed') return 'gap';
    }
    return 'loaded';
  }

  private applySnapshot(message: M): BookSyncResult {
    this.buffer = [];
    this.bufferOverflowed = false;
    this.spliceAt = undefined;
    const bad = this.book.loadSnapshot(this.adapter.bids(message), this.adapter.asks(message));
    if (bad > 0) {
      this.invalidate();
      return { type: 'malformed', levels: bad };
    }
    this.lastId = this.adapter.step(message)?.last;
    this.truncate();
    this.current = 'valid';
    this.changedAt = this.now();
    return this.verify(message) ?? SNAPSHOT;
  }

  private applyUpdate(message: M): BookSyncResult {
    const step = this.adapter.step(message);
    const bids = this.adapter.bids(message);
    const asks = this.adapter.asks(message);
    const empty = bids.length === 0 && asks.length === 0;
    let reset: BookSyncResult | undefined;
    if (step !== undefined) {
      const verdict = this.place(step, empty);
      if (verdict === 'old') return IGNORED;
      if (verdict === 'gap') return this.gap(step);
      if (verdict === 'keepalive') return this.verify(message) ?? KEEPALIVE;
      if (verdict === 'reset') reset = { type: 'reset', from: step.prev ?? step.first, to: step.last };
    }
    const bad = this.book.applyUpdate(bids, asks);
    if (bad > 0) {
      this.invalidate();
      return { type: 'malformed', levels: bad };
    }
    if (step !== undefined) this.lastId = step.last;
    this.truncate();
    if (!empty) {
      this.changedAt = this.now();
      if (this.current === 'stale') this.current = 'valid';
    }
    return this.verify(message) ?? reset ?? UPDATE;
  }

  /** How a step relates to the book: apply it, skip it as old, a keep-alive, a reset, or a gap. */
  private place(step: SequenceStep, empty: boolean): 'apply' | 'old' | 'keepalive' | 'reset' | 'gap' {
    const last = this.lastId;
    const splice = this.spliceAt;
    if (step.prev !== undefined && step.prev === last) {
      // The chain continues; this rule comes first, also right after a REST splice.
      this.spliceAt = undefined;
      if (step.last === step.prev && empty) return 'keepalive';
      return step.last < step.prev ? 'reset' : 'apply';
    }
    if (splice !== undefined) {
      // Wholly at or below the REST snapshot: already in it (never a reset, which is not ordered).
      if (step.last <= splice && (step.prev === undefined || step.prev <= step.last)) return 'old';
      // The first kept update must straddle the snapshot.
      if (step.first <= splice + 1 && step.last > splice) {
        this.spliceAt = undefined;
        return 'apply';
      }
      return 'gap';
    }
    // Chained, and it does not follow the last applied message.
    if (step.prev !== undefined) return 'gap';
    if (last === undefined) return 'apply';
    // Ranged: the next id must follow; what lies wholly behind is old; an overlap is applied.
    if (step.last <= last) return 'old';
    return step.first <= last + 1 ? 'apply' : 'gap';
  }

  private truncate(): void {
    if (this.depthLimit === undefined) return;
    this.book.bids.truncate(this.depthLimit);
    this.book.asks.truncate(this.depthLimit);
  }

  private verify(message: M): BookSyncResult | undefined {
    if (!this.verifyChecksum || this.adapter.checksum === undefined) return undefined;
    const result = this.adapter.checksum(this.book, message);
    if (result === undefined) return undefined;
    if (result.computed !== result.expected) {
      this.invalidate();
      return { type: 'checksum', expected: result.expected, computed: result.computed };
    }
    this.checksumsVerified += 1;
    return undefined;
  }

  private gap(step: SequenceStep): BookSyncResult {
    const expected = this.lastId;
    this.invalidate();
    return { type: 'gap', expected, got: step.prev ?? step.first };
  }
}
