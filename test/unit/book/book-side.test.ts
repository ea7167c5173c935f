import { describe, expect, it } from 'vitest';
import { BookSide } from '../../../app/book/book-side.js';
import type { PriceLevel } from '../../../app/core/types.js';

const level = (price: number, size: number): PriceLevel => ({ price, priceStr: String(price), size, sizeStr: String(size) });

/** The same side kept the simple way: a map sorted on every read. */
class Reference {
  readonly levels = new Map<number, number>();
  constructor(private readonly bid: boolean) {}
  sorted(): [number, number][] {
    return [...this.levels].sort((a, b) => (this.bid ? b[0] - a[0] : a[0] - b[0]));
  }
}

describe('BookSide (chunked sorted levels)', () => {
  for (const side of ['bid', 'ask'] as const) {
    it(`agrees with a plain sorted map over 60,000 random changes on a 5,000-level ${side} side`, () => {
      const book = new BookSide(side);
      const reference = new Reference(side === 'bid');
      let seed = 7;
      const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 5000; i += 1) {
        const price = 10_000 + i;
        book.put(level(price, 1 + (i % 7)));
        reference.levels.set(price, 1 + (i % 7));
      }
      for (let step = 0; step < 60_000; step += 1) {
        // Most changes near the top, some anywhere, some beyond both ends.
        const r = rand();
        const price = r < 0.6 ? 10_000 + Math.floor(rand() * 50) : r < 0.9 ? 10_000 + Math.floor(rand() * 5000) : 9_000 + Math.floor(rand() * 7000);
        const size = rand() < 0.45 ? 0 : Math.floor(rand() * 100) + 1;
        expect(book.put(level(price, size))).toBe(true);
        if (size === 0) reference.levels.delete(price);
        else reference.levels.set(price, size);
        if (step % 10_000 === 0) {
          const cut = 3000 + Math.floor(rand() * 1000);
          book.truncate(cut);
          const kept = reference.sorted().slice(0, cut);
          reference.levels.clear();
          for (const [p, s] of kept) reference.levels.set(p, s);
        }
      }
      const expected = reference.sorted();
      expect(book.size).toBe(expected.length);
      expect(book.all().map((l) => [l.price, l.size])).toEqual(expected);
      expect(book.top(25).map((l) => l.price)).toEqual(expected.slice(0, 25).map(([p]) => p));
      for (const i of [0, 1, 24, 63, 64, 65, 200, expected.length - 1]) expect(book.at(i)?.price).toBe(expected[i]?.[0]);
      expect(book.at(expected.length)).toBeUndefined();
      const probe = expected[100]?.[0] ?? 0;
      expect(book.get(probe)?.size).toBe(expected[100]?.[1]);
      expect(book.depthTo(probe)).toBe(expected.slice(0, 101).reduce((t, [, s]) => t + s, 0));
      expect(book.cumulative(3)).toEqual([
        expected[0]?.[1],
        (expected[0]?.[1] ?? 0) + (expected[1]?.[1] ?? 0),
        expected.slice(0, 3).reduce((t, [, s]) => t + s, 0),
      ]);
    });
  }

  it('stores a checked level as it is and refuses levels that are not finite and non-negative', () => {
    const side = new BookSide('ask');
    const stored = level(101.5, 2);
    side.set(stored);
    expect(side.best()).toBe(stored);
    expect(side.set({ priceStr: '1e400', sizeStr: '1' })).toBe(false);
    expect(side.put({ price: Number.NaN, priceStr: 'x', size: 1, sizeStr: '1' })).toBe(false);
    expect(side.put({ price: 1, priceStr: '1', size: -1, sizeStr: '-1' })).toBe(false);
    expect(side.size).toBe(1);
  });

  it('truncates to nothing and to a chunk boundary, and can grow again', () => {
    const side = new BookSide('bid');
    for (let i = 0; i < 300; i += 1) side.put(level(1000 - i, 1));
    side.truncate(128);
    expect(side.size).toBe(128);
    expect(side.at(127)?.price).toBe(873);
    side.put(level(500, 1));
    expect(side.at(128)?.price).toBe(500);
    side.truncate(0);
    expect(side.size).toBe(0);
    expect(side.best()).toBeUndefined();
    side.put(level(7, 1));
    expect(side.best()?.price).toBe(7);
  });
});
