// The venue strip: mid, spread, volume and basis per venue, each live or not on its own.

import { expect, it } from 'vitest';
import type { CollectorStatus, ShownBook, TickerQuote, WatchlistItem } from '../../../main/contract.js';
import { venueRows, type VenueInputs } from '../../../renderer/src/lib/venue-strip.js';

const item = (id: string, extra: Partial<WatchlistItem> = {}): WatchlistItem => {
  const [exchange = '', symbol = ''] = id.split(':');
  return { id, exchange, symbol, dataTypes: ['orderbook', 'ticker'], venue: exchange, label: symbol, base: 'BTC', quote: 'USDT', sizeUnit: 'BTC', ...extra };
};
const book = (bid: string, ask: string, over: Partial<ShownBook> = {}): ShownBook => ({
  id: 'x',
  state: 'valid',
  version: 1,
  bids: [[bid, '1']],
  asks: [[ask, '1']],
  crossed: false,
  lastChangeAt: 0,
  recovery: null,
  grouping: null,
  ...over,
});
const running = { status: 'running', lastMessageAt: 990, streams: {} } as unknown as CollectorStatus;
const stopped = { status: 'stopped', lastMessageAt: 500, streams: {} } as unknown as CollectorStatus;

it('gives each venue its mid, spread in bp, volume in the base asset and basis to the reference', () => {
  const okx = item('okx:BTC-USDT');
  const binance = item('binance:BTCUSDT');
  const swap = item('okx:BTC-USDT-SWAP', { kind: 'perpetual', sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' });
  const inputs: Record<string, VenueInputs> = {
    [okx.id]: { book: book('99.99', '100.01'), ticker: { id: okx.id, last: '100', volume24h: 1200 }, status: running },
    [binance.id]: { book: book('100.09', '100.11'), ticker: { id: binance.id, last: '100.1' }, status: running },
    [swap.id]: { book: undefined, ticker: { id: swap.id, last: '99.9', bid: '99.8', ask: '100', volume24h: 50_000 } satisfies TickerQuote, status: running },
  };
  const rows = venueRows([okx, binance, swap], (id) => inputs[id] ?? { book: undefined, ticker: undefined, status: undefined }, okx.id, 1000);
  expect(rows.map((r) => r.mid)).toEqual([100, 100.1, 99.9]);
  expect(rows[0]?.spreadBp).toBeCloseTo(2);
  expect(rows[0]?.volume24h).toBe(1200);
  // 50,000 contracts of 0.01 BTC.
  expect(rows[2]?.volume24h).toBeCloseTo(500);
  expect(rows[0]?.basisBp).toBeUndefined();
  expect(rows[1]?.basisBp).toBeCloseTo(10);
  expect(rows[2]?.basisBp).toBeCloseTo(-10);
  expect(rows.every((r) => r.live)).toBe(true);
});

it('says why a venue is not live, and gives it no basis', () => {
  const okx = item('okx:BTC-USDT');
  const kraken = item('kraken:BTC/USDT');
  const coinbase = item('coinbase:BTC-USDT');
  const inputs: Record<string, VenueInputs> = {
    [okx.id]: { book: book('99.99', '100.01'), ticker: undefined, status: running },
    [kraken.id]: { book: undefined, ticker: { id: kraken.id, last: '100', bid: '99', ask: '101' }, status: stopped },
    [coinbase.id]: { book: book('99', '101', { state: 'stale', lastChangeAt: 0 }), ticker: undefined, status: running },
  };
  const rows = venueRows([okx, kraken, coinbase], (id) => inputs[id] ?? { book: undefined, ticker: undefined, status: undefined }, okx.id, 10_000);
  expect(rows[1]).toMatchObject({ live: false, basisBp: undefined });
  expect(rows[1]?.label).toMatch(/^stopped/);
  expect(rows[2]).toMatchObject({ live: false, basisBp: undefined });
  expect(rows[2]?.label).toMatch(/^STALE/);
});

it('gives a contract its mark, index, premium, funding and open interest, and spot none', () => {
  const okx = item('okx:BTC-USDT');
  const swap = item('okx:BTC-USDT-SWAP', { kind: 'perpetual', sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' });
  const inputs: Record<string, VenueInputs> = {
    [okx.id]: { book: book('99.99', '100.01'), ticker: { id: okx.id, last: '100' }, status: running },
    [swap.id]: {
      book: book('100.09', '100.11'),
      ticker: { id: swap.id, last: '100.1', mark: 100.1, index: 100, funding: -0.0001, nextFunding: 28_800_000, openInterest: 1234 },
      status: running,
    },
  };
  const rows = venueRows([okx, swap], (id) => inputs[id] ?? { book: undefined, ticker: undefined, status: undefined }, okx.id, 1000);
  expect(rows[0]?.contract).toBeUndefined();
  expect(rows[1]?.contract).toMatchObject({ mark: 100.1, index: 100, funding: -0.0001, nextFunding: 28_800_000, openInterest: 1234 });
  expect(rows[1]?.contract?.premiumBp).toBeCloseTo(10);
});
