import { describe, expect, it } from 'vitest';
import { groupSide } from '../../../app/book/grouping.js';
import { OrderBook } from '../../../app/book/order-book.js';

const level = (priceStr: string, sizeStr: string) => ({ priceStr, sizeStr });

describe('groupSide (the whole book into price buckets)', () => {
  it('aggregates every level, bids down and asks up, with the step’s decimals', () => {
    const book = new OrderBook();
    const bids = Array.from({ length: 400 }, (_, i) => level((64000 - i * 0.1).toFixed(1), '0.5'));
    const asks = Array.from({ length: 400 }, (_, i) => level((64000.1 + i * 0.1).toFixed(1), '0.25'));
    book.loadSnapshot(bids, asks);
    // 400 levels of 0.1 span 40 units: grouped by 10, that is 4–5 buckets, not 1–2.
    expect(groupSide(book.bids, '10', 20)).toEqual([
      ['64000', '0.5'],
      ['63990', '50.0'],
      ['63980', '50.0'],
      ['63970', '50.0'],
      ['63960', '49.5'],
    ]);
    expect(groupSide(book.asks, '10', 2)).toEqual([
      ['64010', '25.00'],
      ['64020', '25.00'],
    ]);
    expect(groupSide(book.bids, '0.5', 3).map(([p]) => p)).toEqual(['64000.0', '63999.5', '63999.0']);
  });

  it('returns nothing for a step that is not positive', () => {
    const book = new OrderBook();
    book.loadSnapshot([level('1', '1')], []);
    expect(groupSide(book.bids, '0', 5)).toEqual([]);
  });
});
