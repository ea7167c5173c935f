// One side of an order book: price levels sorted best-first, each keeping the exchange's
// exact price and size strings. Lookup is a binary search over a parallel array of numeric
// keys (O(log n)); top-N is a slice; an insert or delete shifts the arrays, which for books of
// a few thousand levels is cheaper than any tree.

import type { BookSideReader, PriceLevel } from '../core/types.js';

export type SideName = 'bid' | 'ask';

export interface LevelInput {
  readonly priceStr: string;
  readonly sizeStr: string;
  readonly orders?: number;
}

export class BookSide implements BookSideReader {
  /** Sort keys, ascending: the price for asks, its negation for bids (so best is first). */
  private readonly keys: number[] = [];
  private readonly levels: PriceLevel[] = [];
  private readonly sign: 1 | -1;

  constructor(readonly side: SideName) {
    this.sign = side === 'ask' ? 1 : -1;
  }

  get size(): number {
    return this.levels.length;
  }

  /** Best level (highest bid, lowest ask). */
  best(): PriceLevel | undefined {
    return this.levels[0];
  }

  /** The best `n` levels, best first. */
  top(n: number): PriceLevel[] {
    return this.levels.slice(0, n);
  }

  /** Level at exactly this price, if any. */
  get(price: number): PriceLevel | undefined {
    const index = this.search(price * this.sign);
    return index >= 0 ? this.levels[index] : undefined;
  }

  /** Every level, best first (a copy). */
  all(): PriceLevel[] {
    return this.levels.slice();
  }

  /** Visits levels best first, without copying; stops when `visit` returns false. */
  forEach(visit: (level: PriceLevel) => boolean | void): void {
    for (const level of this.levels) if (visit(level) === false) return;
  }

  /**
   * Sets a level to an absolute size; size 0 removes it. Returns false when the price or
   * size is not a finite non-negative decimal (the level is then left untouched).
   */
  set(input: LevelInput): boolean {
    const price = Number(input.priceStr);
    const size = Number(input.sizeStr);
    if (!Number.isFinite(price) || !Number.isFinite(size) || size < 0 || price < 0 || input.priceStr === '' || input.sizeStr === '') {
      return false;
    }
    const key = price * this.sign;
    const index = this.search(key);
    if (size === 0) {
      if (index >= 0) {
        this.keys.splice(index, 1);
        this.levels.splice(index, 1);
      }
      return true;
    }
    const level: PriceLevel =
      input.orders === undefined
        ? { price, priceStr: input.priceStr, size, sizeStr: input.sizeStr }
        : { price, priceStr: input.priceStr, size, sizeStr: input.sizeStr, orders: input.orders };
    if (index >= 0) {
      this.levels[index] = level;
    } else {
      const at = -index - 1;
      this.keys.splice(at, 0, key);
      this.levels.splice(at, 0, level);
    }
    return true;
  }

  /** Total size from the best level down to and including `price`. */
  depthTo(price: number): number {
    const limit = price * this.sign;
    let total = 0;
    for (let i = 0; i < this.keys.length && (this.keys[i] ?? Infinity) <= limit; i += 1) total += this.levels[i]?.size ?? 0;
    return total;
  }

  /** Cumulative sizes of the best `n` levels (for depth bars and charts). */
  cumulative(n: number): number[] {
    const out: number[] = [];
    let total = 0;
    for (let i = 0; i < Math.min(n, this.levels.length); i += 1) {
      total += this.levels[i]?.size ?? 0;
      out.push(total);
    }
    return out;
  }

  /** Keeps only the best `n` levels. */
  truncate(n: number): void {
    if (this.levels.length <= n) return;
    this.keys.length = n;
    this.levels.length = n;
  }

  clear(): void {
    this.keys.length = 0;
    this.levels.length = 0;
  }

  /** Index of `key`, or `-(insertion point) - 1` when absent. */
  private search(key: number): number {
    let low = 0;
    let high = this.keys.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.keys[mid] ?? 0;
      if (value < key) low = mid + 1;
      else if (value > key) high = mid - 1;
      else return mid;
    }
    return -(low + 1);
  }
}
