// One side of an order book: price levels sorted best-first, each keeping the exchange's
// exact price and size strings.
//
// Levels live in chunks of at most CHUNK_MAX sorted entries (a two-level sorted list, as
// Python's sortedcontainers keeps them): a lookup is a binary search over the chunks' last
// keys, then one inside a chunk; an insert or delete shifts at most one chunk. So an update
// costs O(log n + CHUNK_MAX) whatever the depth, where one flat array shifted up to the whole
// side (a 5,000-level book moved 5,000 entries for a change near the top). The best levels
// are read by walking the first chunks.
//
// A level that arrives with its numbers (a PriceLevel from a venue's checked parser) is stored
// as it is, with no copy; one given as strings only is checked and converted here.
//
// A venue whose messages carry a checksum of the best levels can give a `digest` of a level
// (its part of the check string, pre-hashed: see crc32Pack); the side keeps it beside the
// level, made the first time the level is read among the best ones, so that a checksum over
// the top levels combines a few numbers instead of hashing every character on every message.

import type { BookSideReader, PriceLevel } from '../core/types.js';

export type SideName = 'bid' | 'ask';

export interface LevelInput {
  readonly priceStr: string;
  readonly sizeStr: string;
  readonly orders?: number;
  /**
   * The numbers of `priceStr`/`sizeStr`, when a checked parser already read them (the input
   * is then a PriceLevel and is stored as it is).
   */
  readonly price?: number;
  readonly size?: number;
}

/** Changes are tracked by rank only among the best levels (checksums cover at most 25). */
const TRACKED_RANKS = 64;

/** A chunk splits in two above this size; an empty chunk is removed. */
const CHUNK_MAX = 64;

/**
 * An empty array whose elements V8 keeps as doubles. Keys are prices (or their negation): an
 * array first given a whole price (`64000`) would hold small integers and change its element
 * kind at the first fractional one, deoptimizing the code that reads it; which venue or stream
 * came first then decided the book's speed by up to 20 %.
 */
function doubles(): number[] {
  const out = [0.5];
  out.pop();
  return out;
}

export class BookSide implements BookSideReader {
  /** Per chunk, sort keys ascending: the price for asks, its negation for bids (best first). */
  private keys: number[][] = [];
  private levels: PriceLevel[][] = [];
  /** The last (largest) key of each chunk. */
  private lasts: number[] = doubles();
  /** Per chunk, each level's digest (only with a digest function). */
  private digests: number[][] = [];
  private count = 0;
  private readonly sign: 1 | -1;
  /** The best rank changed since takeChangedFrom (only counted below TRACKED_RANKS); Infinity if none. */
  private changedFrom = 0;

  private digest: ((level: PriceLevel) => number) | undefined;

  constructor(readonly side: SideName) {
    this.sign = side === 'ask' ? 1 : -1;
  }

  /** Keeps `digest` of every level from now on (each made when first read, see topDigests). */
  useDigest(digest: (level: PriceLevel) => number): void {
    if (this.digest === digest) return;
    this.digest = digest;
    this.changedFrom = 0;
    // One element kind (doubles) for every chunk's digests, as put makes them.
    this.digests = this.levels.map((chunk) => {
      const digests = doubles();
      for (let i = 0; i < chunk.length; i += 1) digests.push(Number.NaN);
      return digests;
    });
  }

  /**
   * Fills `out[from, n)` with the digests of the levels at those ranks (see `digest`; made
   * here for a level read for the first time); returns
   * the number of ranks filled up to (≤ n, fewer when the side is shorter).
   */
  topDigests(n: number, out: Float64Array, from = 0): number {
    const digest = this.digest;
    if (digest === undefined) return 0;
    let k = 0;
    for (let c = 0; c < this.digests.length; c += 1) {
      const chunk = this.digests[c] as number[];
      if (k + chunk.length <= from) {
        k += chunk.length;
        continue;
      }
      for (let i = Math.max(0, from - k); i < chunk.length && k + i < n; i += 1) {
        let d = chunk[i] as number;
        if (d !== d) {
          d = digest((this.levels[c] as PriceLevel[])[i] as PriceLevel);
          chunk[i] = d;
        }
        out[k + i] = d;
      }
      k += chunk.length;
      if (k >= n) return n;
    }
    return k;
  }

  /**
   * The best rank whose level changed (set, removed, or moved by an insert or removal above it)
   * since the last call, capped at TRACKED_RANKS (Infinity when nothing did); starts over.
   */
  takeChangedFrom(): number {
    const from = this.changedFrom;
    this.changedFrom = Infinity;
    return from;
  }

  /** Notes a change at index `i` of chunk `c`, when its rank is among the tracked best ones. */
  private touched(c: number, i: number): void {
    if (i >= this.changedFrom) return;
    let rank = i;
    for (let k = 0; k < c && rank < TRACKED_RANKS; k += 1) rank += (this.keys[k] as number[]).length;
    if (rank < this.changedFrom) this.changedFrom = Math.min(rank, TRACKED_RANKS);
  }

  get size(): number {
    return this.count;
  }

  /** Best level (highest bid, lowest ask). */
  best(): PriceLevel | undefined {
    return this.levels[0]?.[0];
  }

  /** The level `index` places from the best (0 = best). Cheap for the first levels. */
  at(index: number): PriceLevel | undefined {
    let i = index;
    for (const chunk of this.levels) {
      if (i < chunk.length) return chunk[i];
      i -= chunk.length;
    }
    return undefined;
  }

  /** The best `n` levels, best first. */
  top(n: number): PriceLevel[] {
    const out: PriceLevel[] = [];
    for (const chunk of this.levels) {
      const take = Math.min(chunk.length, n - out.length);
      for (let i = 0; i < take; i += 1) out.push(chunk[i] as PriceLevel);
      if (out.length >= n) break;
    }
    return out;
  }

  /** Level at exactly this price, if any. */
  get(price: number): PriceLevel | undefined {
    const key = price * this.sign;
    const c = this.chunkFor(key);
    if (c < 0) return undefined;
    const i = search(this.keys[c] as number[], key);
    return i >= 0 ? this.levels[c]?.[i] : undefined;
  }

  /** Every level, best first (a copy). */
  all(): PriceLevel[] {
    return this.top(this.count);
  }

  /** Visits levels best first, without copying; stops when `visit` returns false. */
  forEach(visit: (level: PriceLevel) => boolean | void): void {
    for (const chunk of this.levels) for (const level of chunk) if (visit(level) === false) return;
  }

  /**
   * Sets a level to an absolute size; size 0 removes it. Returns false when the price or
   * size is not a finite non-negative decimal (the level is then left untouched).
   */
  set(input: LevelInput): boolean {
    if (typeof input.price === 'number' && typeof input.size === 'number') return this.put(input as PriceLevel);
    const price = Number(input.priceStr);
    const size = Number(input.sizeStr);
    if (!Number.isFinite(price) || !Number.isFinite(size) || size < 0 || price < 0 || input.priceStr === '' || input.sizeStr === '') {
      return false;
    }
    const level: PriceLevel =
      input.orders === undefined
        ? { price, priceStr: input.priceStr, size, sizeStr: input.sizeStr }
        : { price, priceStr: input.priceStr, size, sizeStr: input.sizeStr, orders: input.orders };
    return this.put(level);
  }

  /** Stores a checked level as it is (size 0 removes the price). */
  put(level: PriceLevel): boolean {
    const { price, size } = level;
    if (!(price >= 0) || !(size >= 0) || price === Infinity || size === Infinity) return false;
    const key = price * this.sign;
    let c = this.chunkFor(key);
    if (size === 0) {
      if (c < 0) return true;
      const keys = this.keys[c] as number[];
      const i = search(keys, key);
      if (i >= 0) {
        this.touched(c, i);
        this.removeAt(c, i);
      }
      return true;
    }
    // Digests are made when first read (topDigests): only the best levels ever need one.
    const digest = Number.NaN;
    if (c < 0) {
      // Beyond the last chunk (or the side is empty): append.
      c = this.keys.length - 1;
      if (c < 0) {
        const keys = doubles();
        keys.push(key);
        this.keys.push(keys);
        this.levels.push([level]);
        this.lasts.push(key);
        if (this.digest !== undefined) this.digests.push([digest]);
        this.count = 1;
        this.changedFrom = 0;
        return true;
      }
    }
    const keys = this.keys[c] as number[];
    const levels = this.levels[c] as PriceLevel[];
    const digests = this.digests[c];
    const i = search(keys, key);
    if (i >= 0) {
      levels[i] = level;
      if (digests !== undefined) digests[i] = digest;
      this.touched(c, i);
      return true;
    }
    const at = -i - 1;
    this.touched(c, at);
    if (at === keys.length) {
      keys.push(key);
      levels.push(level);
      digests?.push(digest);
      this.lasts[c] = key;
    } else {
      keys.splice(at, 0, key);
      levels.splice(at, 0, level);
      digests?.splice(at, 0, digest);
    }
    this.count += 1;
    if (keys.length > CHUNK_MAX) this.split(c);
    return true;
  }

  /** Total size from the best level down to and including `price`. */
  depthTo(price: number): number {
    const limit = price * this.sign;
    let total = 0;
    for (let c = 0; c < this.keys.length; c += 1) {
      const keys = this.keys[c] as number[];
      const levels = this.levels[c] as PriceLevel[];
      for (let i = 0; i < keys.length; i += 1) {
        if ((keys[i] as number) > limit) return total;
        total += (levels[i] as PriceLevel).size;
      }
    }
    return total;
  }

  /** Cumulative sizes of the best `n` levels (for depth bars and charts). */
  cumulative(n: number): number[] {
    const out: number[] = [];
    let total = 0;
    this.forEach((level) => {
      if (out.length >= n) return false;
      total += level.size;
      out.push(total);
      return true;
    });
    return out;
  }

  /** Keeps only the best `n` levels. */
  truncate(n: number): void {
    if (this.count <= n) return;
    if (n < this.changedFrom) this.changedFrom = Math.min(n, TRACKED_RANKS);
    let kept = 0;
    for (let c = 0; c < this.keys.length; c += 1) {
      const keys = this.keys[c] as number[];
      const levels = this.levels[c] as PriceLevel[];
      if (kept + keys.length < n) {
        kept += keys.length;
        continue;
      }
      const keep = n - kept;
      const chunks = keep === 0 ? c : c + 1;
      if (keep > 0) {
        keys.length = keep;
        levels.length = keep;
        const digests = this.digests[c];
        if (digests !== undefined) digests.length = keep;
        this.lasts[c] = keys[keep - 1] as number;
      }
      this.keys.length = chunks;
      this.levels.length = chunks;
      this.lasts.length = chunks;
      if (this.digest !== undefined) this.digests.length = chunks;
      break;
    }
    this.count = n;
  }

  clear(): void {
    this.keys = [];
    this.levels = [];
    this.lasts = doubles();
    this.digests = [];
    this.count = 0;
    this.changedFrom = 0;
  }

  /** The first chunk whose last key is ≥ `key`, or -1 when the key is beyond every chunk. */
  private chunkFor(key: number): number {
    const lasts = this.lasts;
    let low = 0;
    let high = lasts.length - 1;
    if (high < 0 || (lasts[high] as number) < key) return -1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((lasts[mid] as number) < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private removeAt(c: number, i: number): void {
    const keys = this.keys[c] as number[];
    const levels = this.levels[c] as PriceLevel[];
    const digests = this.digests[c];
    this.count -= 1;
    if (keys.length === 1) {
      this.keys.splice(c, 1);
      this.levels.splice(c, 1);
      this.lasts.splice(c, 1);
      if (digests !== undefined) this.digests.splice(c, 1);
      return;
    }
    if (i === keys.length - 1) {
      keys.pop();
      levels.pop();
      digests?.pop();
      this.lasts[c] = keys[keys.length - 1] as number;
      return;
    }
    keys.splice(i, 1);
    levels.splice(i, 1);
    digests?.splice(i, 1);
  }

  private split(c: number): void {
    const keys = this.keys[c] as number[];
    const levels = this.levels[c] as PriceLevel[];
    const half = keys.length >>> 1;
    const upperKeys = keys.splice(half);
    const upperLevels = levels.splice(half);
    this.keys.splice(c + 1, 0, upperKeys);
    this.levels.splice(c + 1, 0, upperLevels);
    const digests = this.digests[c];
    if (digests !== undefined) this.digests.splice(c + 1, 0, digests.splice(half));
    this.lasts.splice(c, 1, keys[half - 1] as number, upperKeys[upperKeys.length - 1] as number);
  }
}

/** Index of `key` in ascending `keys`, or `-(insertion point) - 1` when absent. */
function search(keys: readonly number[], key: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = keys[mid] as number;
    if (value < key) low = mid + 1;
    else if (value > key) high = mid - 1;
    else return mid;
  }
  return -(low + 1);
}
