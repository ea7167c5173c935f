// The liquidity heatmap's memory: per symbol, the book as it stood every 100 ms (one column per
// slot, the top levels of each side) and the trades, for the last 30 minutes. Typed arrays that
// grow with use up to a fixed bound and then wrap, so a symbol whose book arrives twice a second
// costs a fifth of one drawn at the frame rate, and memory never grows past the bound. Free of
// the DOM and of React, so that it is tested in Node.

import type { ShownBook, TradePrint } from '../../../main/contract.js';

/** One column per this many ms of book time. */
export const SLOT_MS = 100;
/** How far back the history reaches. */
export const HISTORY_MS = 30 * 60_000;
/** Levels kept per side and column. */
export const LEVELS = 50;
/** Trades kept per symbol (the oldest go first, and any older than the history). */
export const MAX_TRAIL = 40_000;

const COLUMNS = HISTORY_MS / SLOT_MS;
const FIRST_CAPACITY = 256;

/** Column states: the book was valid (drawn) or not (a gap, drawn as such). */
export const GAP = 0;
export const VALID = 1;
export type ColumnState = typeof GAP | typeof VALID;

/** A ring of fixed-size records that grows by doubling up to `max`, then overwrites the oldest. */
class Ring {
  capacity: number;
  start = 0;
  length = 0;

  constructor(
    readonly max: number,
    private readonly onGrow: (capacity: number, order: (i: number) => number) => void,
  ) {
    this.capacity = Math.min(FIRST_CAPACITY, max);
  }

  /** Physical slot of the i-th oldest record. */
  at(i: number): number {
    return (this.start + i) % this.capacity;
  }

  /** Physical slot for a new newest record (the oldest is overwritten when full). */
  push(): number {
    if (this.length === this.capacity && this.capacity < this.max) {
      const capacity = Math.min(this.max, this.capacity * 2);
      this.onGrow(capacity, (i) => this.at(i));
      this.capacity = capacity;
      this.start = 0;
    }
    if (this.length === this.capacity) {
      const slot = this.start;
      this.start = (this.start + 1) % this.capacity;
      return slot;
    }
    const slot = this.at(this.length);
    this.length += 1;
    return slot;
  }

  /** Drops the oldest `count` records. */
  drop(count: number): void {
    const n = Math.min(count, this.length);
    this.start = (this.start + n) % this.capacity;
    this.length -= n;
  }
}

function regrow<T extends Float32Array | Float64Array | Uint8Array>(
  old: T,
  make: (n: number) => T,
  width: number,
  capacity: number,
  length: number,
  order: (i: number) => number,
): T {
  const next = make(capacity * width);
  for (let i = 0; i < length; i += 1) next.set(old.subarray(order(i) * width, order(i) * width + width), i * width);
  return next;
}

/** What a column holds, read back for drawing. */
export interface Column {
  readonly time: number;
  readonly state: ColumnState;
  /** The level spacing of the column (the book's grouping or tick). */
  readonly step: number;
  readonly bidCount: number;
  readonly askCount: number;
}

export class BookColumns {
  private ring: Ring;
  private times = new Float64Array(FIRST_CAPACITY);
  private states = new Uint8Array(FIRST_CAPACITY);
  private steps = new Float32Array(FIRST_CAPACITY);
  private counts = new Uint8Array(FIRST_CAPACITY * 2);
  /**
   * Per column: LEVELS bid prices, then LEVELS ask prices, as offsets from the column's
   * reference price (single precision is exact enough for distances within one book and halves
   * the memory); sizes alike.
   */
  private refs = new Float64Array(FIRST_CAPACITY);
  private prices = new Float32Array(FIRST_CAPACITY * 2 * LEVELS);
  private sizes = new Float32Array(FIRST_CAPACITY * 2 * LEVELS);

  constructor(max = COLUMNS) {
    this.ring = new Ring(max, (capacity, order) => {
      const n = this.ring.length;
      this.times = regrow(this.times, (k) => new Float64Array(k), 1, capacity, n, order);
      this.states = regrow(this.states, (k) => new Uint8Array(k), 1, capacity, n, order);
      this.steps = regrow(this.steps, (k) => new Float32Array(k), 1, capacity, n, order);
      this.counts = regrow(this.counts, (k) => new Uint8Array(k), 2, capacity, n, order);
      this.refs = regrow(this.refs, (k) => new Float64Array(k), 1, capacity, n, order);
      this.prices = regrow(this.prices, (k) => new Float32Array(k), 2 * LEVELS, capacity, n, order);
      this.sizes = regrow(this.sizes, (k) => new Float32Array(k), 2 * LEVELS, capacity, n, order);
    });
  }

  get length(): number {
    return this.ring.length;
  }

  /** Bytes held by the arrays (for the bound's test and the bench). */
  get bytes(): number {
    return (
      this.times.byteLength +
      this.states.byteLength +
      this.steps.byteLength +
      this.counts.byteLength +
      this.refs.byteLength +
      this.prices.byteLength +
      this.sizes.byteLength
    );
  }

  /** Time of the i-th oldest column. */
  timeOf(i: number): number {
    return this.times[this.ring.at(i)] ?? 0;
  }

  /** Newest column's time, or undefined with none. */
  get lastTime(): number | undefined {
    return this.ring.length === 0 ? undefined : this.timeOf(this.ring.length - 1);
  }

  /**
   * The book at `time` (ms): a valid book fills the slot's column (the newest state of a slot
   * wins); any other state marks a gap. Times that go back (a new replay of older data) start
   * the history afresh.
   */
  record(time: number, book: ShownBook, step: number): void {
    const slotTime = Math.floor(time / SLOT_MS) * SLOT_MS;
    const last = this.lastTime;
    let slot: number;
    if (last !== undefined && slotTime === last) slot = this.ring.at(this.ring.length - 1);
    else {
      if (last !== undefined && slotTime < last) this.ring.drop(this.ring.length);
      slot = this.ring.push();
    }
    this.times[slot] = slotTime;
    this.steps[slot] = step;
    const valid = book.state === 'valid' && !book.crossed;
    this.states[slot] = valid ? VALID : GAP;
    const base = slot * 2 * LEVELS;
    const bids = valid ? Math.min(LEVELS, book.bids.length) : 0;
    const asks = valid ? Math.min(LEVELS, book.asks.length) : 0;
    const ref = Number(book.bids[0]?.[0] ?? book.asks[0]?.[0] ?? 0);
    this.refs[slot] = ref;
    for (let i = 0; i < bids; i += 1) {
      const level = book.bids[i];
      this.prices[base + i] = Number(level?.[0]) - ref;
      this.sizes[base + i] = Number(level?.[1]);
    }
    for (let i = 0; i < asks; i += 1) {
      const level = book.asks[i];
      this.prices[base + LEVELS + i] = Number(level?.[0]) - ref;
      this.sizes[base + LEVELS + i] = Number(level?.[1]);
    }
    this.counts[slot * 2] = bids;
    this.counts[slot * 2 + 1] = asks;
    // Older than the history: gone.
    let old = 0;
    while (old < this.ring.length && this.timeOf(old) < slotTime - HISTORY_MS) old += 1;
    this.ring.drop(old);
  }

  /** Index of the newest column at or before `time`, or -1. */
  indexAt(time: number): number {
    let lo = 0;
    let hi = this.ring.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(mid) <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  column(i: number): Column {
    const slot = this.ring.at(i);
    return {
      time: this.times[slot] ?? 0,
      state: (this.states[slot] ?? 0) as ColumnState,
      step: this.steps[slot] ?? 0,
      bidCount: this.counts[slot * 2] ?? 0,
      askCount: this.counts[slot * 2 + 1] ?? 0,
    };
  }

  /** Price and size of level `level` of `side` in the i-th oldest column. */
  level(i: number, side: 'bid' | 'ask', level: number): [price: number, size: number] {
    const k = this.ring.at(i) * 2 * LEVELS + (side === 'ask' ? LEVELS : 0) + level;
    return [(this.refs[this.ring.at(i)] ?? 0) + (this.prices[k] ?? 0), this.sizes[k] ?? 0];
  }

  /** Raw access for the drawing loop: the arrays and the physical slot of column i. */
  raw(i: number): { ref: number; prices: Float32Array; sizes: Float32Array; base: number } {
    const slot = this.ring.at(i);
    return { ref: this.refs[slot] ?? 0, prices: this.prices, sizes: this.sizes, base: slot * 2 * LEVELS };
  }
}

/** The trades drawn as bubbles: time, price, size (base) and side, oldest first. */
export class TradeTrail {
  private ring: Ring;
  private times = new Float64Array(FIRST_CAPACITY);
  private prices = new Float64Array(FIRST_CAPACITY);
  private sizes = new Float32Array(FIRST_CAPACITY);
  private buys = new Uint8Array(FIRST_CAPACITY);

  constructor(max = MAX_TRAIL) {
    this.ring = new Ring(max, (capacity, order) => {
      const n = this.ring.length;
      this.times = regrow(this.times, (k) => new Float64Array(k), 1, capacity, n, order);
      this.prices = regrow(this.prices, (k) => new Float64Array(k), 1, capacity, n, order);
      this.sizes = regrow(this.sizes, (k) => new Float32Array(k), 1, capacity, n, order);
      this.buys = regrow(this.buys, (k) => new Uint8Array(k), 1, capacity, n, order);
    });
  }

  get length(): number {
    return this.ring.length;
  }

  add(trades: readonly TradePrint[]): void {
    for (const trade of trades) {
      const last = this.ring.length === 0 ? undefined : this.timeOf(this.ring.length - 1);
      // A replay started again from older data: its trail starts afresh.
      if (last !== undefined && trade.ts < last - 60_000) this.ring.drop(this.ring.length);
      const slot = this.ring.push();
      this.times[slot] = trade.ts;
      this.prices[slot] = Number(trade.price);
      this.sizes[slot] = Number(trade.size);
      this.buys[slot] = trade.side === 'buy' ? 1 : 0;
    }
    const newest = this.ring.length === 0 ? 0 : this.timeOf(this.ring.length - 1);
    let old = 0;
    while (old < this.ring.length && this.timeOf(old) < newest - HISTORY_MS) old += 1;
    this.ring.drop(old);
  }

  timeOf(i: number): number {
    return this.times[this.ring.at(i)] ?? 0;
  }

  /** Index of the first trade at or after `time`. */
  firstFrom(time: number): number {
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(mid) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  trade(i: number): { time: number; price: number; size: number; buy: boolean } {
    const slot = this.ring.at(i);
    return { time: this.times[slot] ?? 0, price: this.prices[slot] ?? 0, size: this.sizes[slot] ?? 0, buy: this.buys[slot] === 1 };
  }
}

export interface SymbolHistory {
  readonly columns: BookColumns;
  readonly trades: TradeTrail;
}

/**
 * Every watchlist symbol's history, fed once per display frame with what the frame brought.
 * Books are placed at their last change (host time for live feeds, recorded time for replays),
 * trades at their exchange time.
 */
export class BookHistories {
  private readonly bySymbol = new Map<string, SymbolHistory>();
  /** Bumped on every change, so a drawing loop knows when to draw again. */
  version = 0;

  get(id: string): SymbolHistory | undefined {
    return this.bySymbol.get(id);
  }

  private of(id: string): SymbolHistory {
    let history = this.bySymbol.get(id);
    if (history === undefined) {
      history = { columns: new BookColumns(), trades: new TradeTrail() };
      this.bySymbol.set(id, history);
    }
    return history;
  }

  /**
   * `at` is the host time of the frame: a book that is not valid has no change time to go by,
   * so its gap starts then (or just after the last column, whichever is later).
   */
  addBook(book: ShownBook, at: number, step: number): void {
    const columns = this.of(book.id).columns;
    const last = columns.lastTime;
    const time = book.state === 'valid' && book.lastChangeAt !== null ? book.lastChangeAt : Math.max(at, last === undefined ? at : last + SLOT_MS);
    columns.record(time, book, step);
    this.version += 1;
  }

  addTrades(id: string, trades: readonly TradePrint[]): void {
    if (trades.length === 0) return;
    this.of(id).trades.add(trades);
    this.version += 1;
  }

  /** Only these symbols keep a history. */
  keep(ids: ReadonlySet<string>): void {
    for (const id of [...this.bySymbol.keys()]) if (!ids.has(id)) this.bySymbol.delete(id);
  }

  get bytes(): number {
    let total = 0;
    for (const h of this.bySymbol.values()) total += h.columns.bytes;
    return total;
  }
}
