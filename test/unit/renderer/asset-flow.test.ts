// The aggregated tape's rows and rolling volume: one asset across venues, valued in each
// instrument's quote currency.

import { describe, expect, it } from 'vitest';
import type { TradePrint, WatchlistItem } from '../../../main/contract.js';
import { FLOW_SECONDS, FlowWindow, assetTape, instrumentsOf, notionalOf } from '../../../renderer/src/lib/asset-flow.js';

const item = (id: string, extra: Partial<WatchlistItem> = {}): WatchlistItem => {
  const [exchange = '', symbol = ''] = id.split(':');
  return { id, exchange, symbol, dataTypes: ['trade'], venue: exchange.toUpperCase(), label: symbol, base: 'BTC', quote: 'USDT', sizeUnit: 'BTC', ...extra };
};
/** An item whose instrument list is not known yet. */
const withoutBase = ({ base: _base, ...rest }: WatchlistItem): WatchlistItem => rest;
const print = (tradeId: string, side: 'buy' | 'sell', price: string, size: string, ts: number): TradePrint => ({ tradeId, side, price, size, ts, fills: 1 });

describe('notionalOf', () => {
  it('values spot in the quote, linear contracts by their base value, inverse ones by their fixed quote value', () => {
    expect(notionalOf(item('okx:BTC-USDT'), 60000, 0.5)).toBe(30000);
    // OKX BTC-USDT-SWAP: one contract is 0.01 BTC.
    expect(notionalOf(item('okx:BTC-USDT-SWAP', { sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' }), 60000, 3)).toBeCloseTo(1800);
    // OKX BTC-USD-261225: one contract is 100 USD, whatever the price.
    expect(notionalOf(item('okx:BTC-USD-261225', { quote: 'USD', sizeUnit: 'cont', contractValue: '100', contractUnit: 'USD' }), 60000, 3)).toBe(300);
  });
});

describe('instrumentsOf', () => {
  it('takes every live instrument of the asset, whatever its venue, kind or quote', () => {
    const items = [
      item('okx:BTC-USDT'),
      item('binance:BTCUSDT'),
      item('coinbase:BTC-USD', { quote: 'USD' }),
      item('okx:ETH-USDT', { base: 'ETH' }),
      item('replay-1:okx:BTC-USDT', { replayOf: 'morning' }),
      withoutBase(item('kraken:BTC/USD')),
    ];
    expect(instrumentsOf(items, 'BTC').map((i) => i.id)).toEqual(['okx:BTC-USDT', 'binance:BTCUSDT', 'coinbase:BTC-USD']);
  });
});

describe('assetTape', () => {
  const okx = item('okx:BTC-USDT');
  const binance = item('binance:BTCUSDT');
  it('merges the venues newest first, each print tagged with its venue and notional', () => {
    const rows = assetTape(
      [
        { item: okx, trades: [print('1', 'buy', '60000', '0.1', 1000), print('2', 'sell', '59990', '0.2', 3000)] },
        { item: binance, trades: [print('7', 'buy', '60001', '1', 2000)] },
      ],
      0,
      10,
    );
    expect(rows.map((r) => [r.venue, r.side, r.price, Math.round(r.notional), r.ts])).toEqual([
      ['OKX', 'sell', '59990', 11998, 3000],
      ['BINANCE', 'buy', '60001', 60001, 2000],
      ['OKX', 'buy', '60000', 6000, 1000],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });

  it('merges one venue’s prints of one millisecond and side, never two venues’', () => {
    const rows = assetTape(
      [
        { item: okx, trades: [print('1', 'buy', '60000', '0.1', 5000), print('2', 'buy', '60001', '0.2', 5000), print('3', 'sell', '60000', '0.1', 5000)] },
        { item: binance, trades: [print('9', 'buy', '60000', '0.5', 5000)] },
      ],
      0,
      10,
    );
    const okxRows = rows.filter((r) => r.venue === 'OKX');
    expect(okxRows.map((r) => [r.side, r.prints])).toEqual(
      expect.arrayContaining([
        ['buy', 2],
        ['sell', 1],
      ]),
    );
    expect(okxRows.find((r) => r.side === 'buy')?.notional).toBeCloseTo(6000 + 12000.2);
    expect(rows.filter((r) => r.venue === 'BINANCE').map((r) => r.prints)).toEqual([1]);
  });

  it('keeps rows whose notional reaches the threshold, as many as asked', () => {
    const trades = Array.from({ length: 50 }, (_, i) => print(String(i), i % 2 === 0 ? 'buy' : 'sell', '100', i % 5 === 0 ? '200' : '1', i * 10));
    const rows = assetTape([{ item: okx, trades }], 10_000, 3);
    expect(rows.map((r) => r.ts)).toEqual([450, 400, 350]);
    expect(rows.every((r) => r.notional >= 10_000)).toBe(true);
  });
});

describe('FlowWindow', () => {
  it('sums buy and sell notional over the last minute and five minutes', () => {
    const flow = new FlowWindow();
    const now = 1_000_000_000;
    flow.add(now - 10_000, 'buy', 100, 2);
    flow.add(now - 10_500, 'sell', 100, 1);
    flow.add(now - 120_000, 'buy', 100, 5);
    flow.add(now - 400_000, 'sell', 100, 7);
    const spot = item('okx:BTC-USDT');
    expect(flow.totals(now, 60, spot)).toEqual({ buy: 200, sell: 100, complete: true });
    expect(flow.totals(now, 300, spot)).toEqual({ buy: 700, sell: 100, complete: true });
    // Linear and inverse contracts from the same sums.
    expect(flow.totals(now, 60, item('okx:BTC-USDT-SWAP', { sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' }))).toMatchObject({
      buy: 2,
      sell: 1,
    });
    expect(flow.totals(now, 60, item('okx:BTC-USD-261225', { quote: 'USD', sizeUnit: 'cont', contractValue: '100', contractUnit: 'USD' }))).toMatchObject({
      buy: 200,
      sell: 100,
    });
    // Trades that never reached the page make the totals of their window a lower bound.
    flow.addMissed(now - 200_000, 3);
    expect(flow.totals(now, 60, spot).complete).toBe(true);
    expect(flow.totals(now, 300, spot).complete).toBe(false);
  });

  it('forgets what is older than its window as time goes on, in bounded memory', () => {
    const flow = new FlowWindow();
    const start = 2_000_000_000;
    for (let s = 0; s < 3 * FLOW_SECONDS; s += 1) flow.add(start + s * 1000, 'buy', 10, 1);
    const now = start + (3 * FLOW_SECONDS - 1) * 1000;
    expect(flow.totals(now, 60, item('okx:BTC-USDT')).buy).toBe(600);
    expect(flow.totals(now, 300, item('okx:BTC-USDT')).buy).toBe(3000);
    // A print too late for its bucket (reused by a newer second) is not counted in the wrong second.
    flow.add(start, 'sell', 10, 1);
    expect(flow.totals(now, 300, item('okx:BTC-USDT')).sell).toBe(0);
    // Nothing counted once the window has passed.
    expect(flow.totals(now + 301_000, 300, item('okx:BTC-USDT'))).toEqual({ buy: 0, sell: 0, complete: true });
  });
});
