// The generated market keeps each side sorted as it changes (instead of sorting it on every
// read): what it says, and what its messages say, must match a book rebuilt from them.

import { expect, it } from 'vitest';
import { GeneratedMarket, type Level } from '../../sim/core/market.js';

const instrument = { instId: 'BTC-USDT', instType: 'SPOT', price: 64000, tickSz: '0.1', lotSz: '0.00000001' } as const;

function apply(book: Map<string, string>, levels: readonly Level[]): void {
  for (const [price, size] of levels) {
    if (size === '0') book.delete(price);
    else book.set(price, size);
  }
}

const sortedKeys = (book: Map<string, string>, side: 'bid' | 'ask'): string[] =>
  [...book.keys()].sort((a, b) => (side === 'bid' ? Number(b) - Number(a) : Number(a) - Number(b)));

it('keeps both sides sorted, uncrossed and at most 400 deep, and its updates rebuild the same book', () => {
  const market = new GeneratedMarket(instrument, 7, 'zero');
  const start = market.snapshot(1000);
  const bids = new Map(start.bids.map(([p, s]) => [p, s]));
  const asks = new Map(start.asks.map(([p, s]) => [p, s]));
  for (let i = 0; i < 2000; i += 1) {
    const { book } = market.step(1000 + i, ['1m']);
    apply(bids, book.bids);
    apply(asks, book.asks);
    const ours = { bid: market.sorted('bid'), ask: market.sorted('ask') };
    expect(ours.bid.map(([p]) => p)).toEqual(sortedKeys(bids, 'bid'));
    expect(ours.ask.map(([p]) => p)).toEqual(sortedKeys(asks, 'ask'));
    expect(ours.bid.map(([p, s]) => [p, s])).toEqual(ours.bid.map(([p]) => [p, bids.get(p)]));
    for (const side of [ours.bid, ours.ask]) {
      expect(side.length).toBeLessThanOrEqual(400);
      expect(side.length).toBeGreaterThan(200);
    }
    expect(Number(ours.bid[0]?.[0])).toBeLessThan(Number(ours.ask[0]?.[0]));
  }
});

it('gives copies: a caller changing what it got changes nothing in the market', () => {
  const market = new GeneratedMarket(instrument, 3, 'real');
  const first = market.sorted('ask');
  const best = first[0];
  first.splice(0, 10);
  expect(market.sorted('ask')[0]).toEqual(best);
  expect(market.snapshot(1).asks[0]).toEqual(best);
});
