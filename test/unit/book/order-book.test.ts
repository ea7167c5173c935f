import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../app/book/order-book.js';

const L = (priceStr: string, sizeStr: string) => ({ priceStr, sizeStr });

describe('OrderBook', () => {
  it('sorts bids descending and asks ascending, comparing prices as numbers', () => {
    const book = new OrderBook();
    book.loadSnapshot([L('8476.98', '1'), L('8477', '2'), L('999', '1')], [L('8480.5', '1'), L('8479', '3'), L('10000', '1')]);
    expect(book.bids.all().map((l) => l.priceStr)).toEqual(['8477', '8476.98', '999']);
    expect(book.asks.all().map((l) => l.priceStr)).toEqual(['8479', '8480.5', '10000']);
    expect(book.spread()).toBe(2);
    expect(book.mid()).toBe(8478);
  });

  it('keeps exchange strings exactly, including trailing zeros', () => {
    const book = new OrderBook();
    book.loadSnapshot([L('0.5000', '1.10')], []);
    expect(book.bids.best()).toEqual({ price: 0.5, priceStr: '0.5000', size: 1.1, sizeStr: '1.10' });
  });

  it('replaces sizes, deletes on 0 and ignores deletes of unknown levels', () => {
    const book = new OrderBook();
    book.loadSnapshot([L('10', '1'), L('9', '1')], [L('11', '1')]);
    book.applyUpdate([L('10', '4'), L('9', '0'), L('7', '0')], [L('12', '2')]);
    expect(book.bids.all().map((l) => [l.priceStr, l.sizeStr])).toEqual([['10', '4']]);
    expect(book.asks.all().map((l) => l.priceStr)).toEqual(['11', '12']);
    expect(book.bids.get(10)?.sizeStr).toBe('4');
    expect(book.bids.get(9)).toBeUndefined();
  });

  it('gives top-N, cumulative depth and depth to a price', () => {
    const book = new OrderBook();
    book.loadSnapshot([L('10', '1'), L('9', '2'), L('8', '3')], [L('11', '1'), L('12', '1')]);
    expect(book.top(2).bids.map((l) => l.price)).toEqual([10, 9]);
    expect(book.bids.cumulative(3)).toEqual([1, 3, 6]);
    expect(book.bids.depthTo(9)).toBe(3);
    expect(book.asks.depthTo(11.5)).toBe(1);
  });

  it('detects crossed and empty books', () => {
    const book = new OrderBook();
    expect(book.isEmpty()).toBe(true);
    book.loadSnapshot([L('10', '1')], [L('11', '1')]);
    expect(book.isCrossed()).toBe(false);
    book.applyUpdate([L('11', '1')], []);
    expect(book.isCrossed()).toBe(true);
  });

  it('rejects malformed levels and counts them', () => {
    const book = new OrderBook();
    expect(book.loadSnapshot([L('x', '1'), L('1', '-2'), L('', '1'), L('2', '1')], [])).toBe(3);
    expect(book.bids.size).toBe(1);
    expect(book.malformedLevels).toBe(3);
  });

  it('stays sorted under many random updates', () => {
    const book = new OrderBook();
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i += 1) {
      const price = (1000 + Math.floor(rand() * 400) / 10).toFixed(1);
      book.applyUpdate([L(price, rand() < 0.3 ? '0' : (rand() * 5).toFixed(3))], []);
    }
    const prices = book.bids.all().map((l) => l.price);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    expect(new Set(prices).size).toBe(prices.length);
  });
});
