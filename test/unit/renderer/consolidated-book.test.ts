// The consolidated book: one asset's valid books merged by price step, in the base asset.

import { describe, expect, it } from 'vitest';
import type { ShownBook, WatchlistItem } from '../../../main/contract.js';
import { baseSize, consolidate } from '../../../renderer/src/lib/consolidated-book.js';

const item = (id: string, extra: Partial<WatchlistItem> = {}): WatchlistItem => {
  const [exchange = '', symbol = ''] = id.split(':');
  return { id, exchange, symbol, dataTypes: ['orderbook'], venue: exchange, label: symbol, base: 'BTC', quote: 'USDT', sizeUnit: 'BTC', ...extra };
};
const book = (id: string, bids: [string, string][], asks: [string, string][], over: Partial<ShownBook> = {}): ShownBook => ({
  id,
  state: 'valid',
  version: 1,
  bids,
  asks,
  crossed: false,
  lastChangeAt: 0,
  recovery: null,
  grouping: null,
  ...over,
});

describe('baseSize', () => {
  it('counts spot in the base, linear contracts by their base value, inverse ones by their quote value over the price', () => {
    expect(baseSize(item('okx:BTC-USDT'), 60000, 0.5)).toBe(0.5);
    expect(baseSize(item('okx:BTC-USDT-SWAP', { sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' }), 60000, 30)).toBeCloseTo(0.3);
    expect(baseSize(item('okx:BTC-USD-261225', { quote: 'USD', sizeUnit: 'cont', contractValue: '100', contractUnit: 'USD' }), 50000, 10)).toBeCloseTo(0.02);
  });
});

describe('consolidate', () => {
  const okx = item('okx:BTC-USDT');
  const binance = item('binance:BTCUSDT');
  const coinbase = item('coinbase:BTC-USD', { quote: 'USD' });

  it('merges the valid books of one quote by step, each level split by venue, with running totals', () => {
    const merged = consolidate(
      [
        {
          item: okx,
          book: book(
            okx.id,
            [
              ['100.4', '1'],
              ['100.1', '2'],
              ['99.2', '1'],
              ['98.0', '1'],
            ],
            [
              ['101.2', '1'],
              ['102.0', '4'],
            ],
          ),
        },
        {
          item: binance,
          book: book(
            binance.id,
            [
              ['100.9', '3'],
              ['100.0', '1'],
              ['99.0', '1'],
              ['97.5', '1'],
            ],
            [
              ['101.01', '2'],
              ['101.9', '1'],
              ['103', '1'],
            ],
          ),
        },
        { item: coinbase, book: book(coinbase.id, [['100.5', '9']], [['101', '9']]) },
      ],
      'USDT',
      1,
      10,
      0,
    );
    expect(merged.included.map((i) => i.id)).toEqual([okx.id, binance.id]);
    expect(merged.left).toEqual([{ item: coinbase, reason: 'priced in USD' }]);
    expect(merged.bids.map((r) => [r.price, r.size, r.total, r.beyond])).toEqual([
      [100, 7, 7, []],
      [99, 2, 9, []],
      [98, 1, 10, []],
      // OKX's book, as sent, stops at 98.0 and Binance's at 97.5: what either holds in
      // [97, 97.5) is unknown, and the row says so.
      [97, 1, 11, ['okx', 'binance']],
    ]);
    expect(merged.bids[0]?.parts.map((p) => [p.exchange, p.size])).toEqual([
      ['okx', 3],
      ['binance', 4],
    ]);
    // Asks round up: 101.01, 101.2, 101.9 and 102.0 are in the 102 bucket; OKX's book stops at
    // 102.0, so at 103 only Binance's size is known.
    expect(merged.asks.map((r) => [r.price, r.size, r.beyond])).toEqual([
      [102, 8, []],
      [103, 1, ['okx']],
    ]);
  });

  it('merges every quote when asked to', () => {
    const merged = consolidate(
      [
        { item: okx, book: book(okx.id, [['100', '1']], [['101', '1']]) },
        { item: coinbase, book: book(coinbase.id, [['100', '2']], [['101', '2']]) },
      ],
      null,
      1,
      10,
      0,
    );
    expect(merged.bids.map((r) => r.size)).toEqual([3]);
    expect(merged.left).toEqual([]);
  });

  it('leaves out and names a venue whose book is not valid or crossed', () => {
    const merged = consolidate(
      [
        { item: okx, book: book(okx.id, [['100', '1']], [['101', '1']], { state: 'stale', lastChangeAt: 0 }) },
        { item: binance, book: undefined },
        { item: item('bybit:BTCUSDT'), book: book('bybit:BTCUSDT', [['101', '1']], [['100', '1']], { crossed: true }) },
        { item: item('kraken:BTC/USDT'), book: book('kraken:BTC/USDT', [['100', '1']], [['101', '1']]) },
      ],
      'USDT',
      1,
      10,
      12_000,
    );
    expect(merged.included.map((i) => i.id)).toEqual(['kraken:BTC/USDT']);
    expect(merged.left.map((l) => [l.item.id, l.reason])).toEqual([
      ['okx:BTC-USDT', expect.stringMatching(/^STALE — last change 12 s ago/)],
      ['binance:BTCUSDT', 'Waiting for the order book…'],
      ['bybit:BTCUSDT', 'crossed book'],
    ]);
  });

  it('keeps at most the rows asked for', () => {
    const levels = (from: number, sign: number): [string, string][] => Array.from({ length: 30 }, (_, i) => [String(from + sign * i), '1']);
    const merged = consolidate([{ item: okx, book: book(okx.id, levels(100, -1), levels(101, 1)) }], 'USDT', 1, 5, 0);
    expect(merged.bids).toHaveLength(5);
    expect(merged.asks.map((r) => r.price)).toEqual([101, 102, 103, 104, 105]);
    expect(merged.asks.every((r) => r.beyond.length === 0)).toBe(true);
  });
});
