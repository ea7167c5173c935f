// Coinbase collectors against the loopback Coinbase simulator: what is particular to Coinbase
// (the conformance suite runs the cases every venue shares), and its REST calls.
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import { UI_TIMEFRAMES } from '../../../app/core/timeframes.js';
import type { Candle, MarketEvent } from '../../../app/core/types.js';
import { TradeCandleBuilder } from '../../../app/exchanges/coinbase/candle-builder.js';
import { CoinbaseCollector, coinbaseArgs } from '../../../app/exchanges/coinbase/collector.js';
import { COINBASE_CODEC, CoinbaseConnectionPool } from '../../../app/exchanges/coinbase/connection.js';
import { coinbaseDescriptor } from '../../../app/exchanges/coinbase/descriptor.js';
import { CoinbaseHistory } from '../../../app/exchanges/coinbase/history.js';
import { CoinbaseInstruments } from '../../../app/exchanges/coinbase/instruments.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { waitFor } from '../../support/loopback-server.js';
import { CoinbaseSimulator } from '../../sim/coinbase/server.js';

const factory = new ExchangeFactory();
let sim: CoinbaseSimulator | undefined;
const collectors: BaseDataCollector[] = [];
const disposables: { dispose(): void }[] = [];

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  for (const d of disposables.splice(0)) d.dispose();
  await sim?.close();
  sim = undefined;
});

function makeCollector(symbol: string, dataTypes: string[], pool: CoinbaseConnectionPool, timeframes = ['1m', '5m']) {
  if (sim === undefined) throw new Error('start the simulator first');
  const config = factory.resolveConfig({
    exchange: 'coinbase',
    symbol,
    dataTypes,
    customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl, candleTimeframes: timeframes },
  });
  const collector = new CoinbaseCollector(config, { pool });
  collectors.push(collector);
  const events: MarketEvent[] = [];
  collector.on('data', (e) => {
    events.push(e);
    if (events.length > 5000) events.splice(0, 1000);
  });
  return { collector, events };
}

function bookOk(collector: BaseDataCollector): boolean {
  const book = collector.getBook();
  return book !== undefined && book.bids.size > 0 && book.asks.size > 0 && !book.isCrossed();
}

describe('Coinbase collector against the loopback simulator', () => {
  it('subscribes one channel per request, heartbeats always, within the first seconds', async () => {
    sim = await CoinbaseSimulator.start({ tickMs: 20, subscribeWithinMs: 1000 });
    const { collector, events } = makeCollector('btc/usd', ['trade', 'orderbook', 'ticker', 'candles'], new CoinbaseConnectionPool());
    expect(collector.config.symbol).toBe('BTC-USD');
    await collector.start();
    await waitFor(
      () => ['trade', 'ticker', 'candle', 'book_snapshot', 'book_update'].every((k) => events.some((e) => e.kind === k)) && bookOk(collector),
      'all kinds',
    );
    const requests = (sim.open()[0]?.received ?? []).map((r) => JSON.parse(r) as { type: string; product_ids: string[]; channel: string });
    expect(new Set(requests.map((r) => r.channel))).toEqual(new Set(['level2', 'market_trades', 'ticker', 'candles', 'heartbeats']));
    expect(requests.every((r) => r.type === 'subscribe' && r.product_ids.length === 1 && r.product_ids[0] === 'BTC-USD')).toBe(true);
    expect(collector.getStatus()).toMatchObject({ status: 'running', sequenceGaps: 0, book: { state: 'valid' } });
    expect(collector.getStatus().errors).toEqual([]);
  });

  it('a lost frame on the shared connection rebuilds the books of every product on it', async () => {
    sim = await CoinbaseSimulator.start({ tickMs: 20 });
    const pool = new CoinbaseConnectionPool();
    const btc = makeCollector('BTC-USD', ['orderbook'], pool).collector;
    const eth = makeCollector('ETH-USD', ['orderbook'], pool).collector;
    await Promise.all([btc.start(), eth.start()]);
    await waitFor(() => bookOk(btc) && bookOk(eth), 'both books');
    expect(pool.count()).toBe(1);
    // Started together, both products travel in one request per channel.
    const level2 = (sim.open()[0]?.received ?? []).map((r) => JSON.parse(r) as { channel: string; product_ids: string[] }).find((r) => r.channel === 'level2');
    expect(level2?.product_ids).toEqual(['BTC-USD', 'ETH-USD']);
    // ETH's next book frame is lost: its number is skipped for the whole connection.
    sim.inject('gap', 'ETH-USD');
    await waitFor(() => btc.getStatus().sequenceGaps === 1 && eth.getStatus().sequenceGaps === 1, 'both books told');
    await waitFor(() => btc.getStatus().resyncs >= 1 && eth.getStatus().resyncs >= 1 && bookOk(btc) && bookOk(eth), 'both rebuilt');
    expect(btc.getStatus().errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/BTC-USD: sequence gap on the Coinbase connection: 1 frame lost/),
    );
  });

  it('builds 1-minute bars from trades, its current bar seeded from REST, and takes 5-minute bars from the socket', async () => {
    sim = await CoinbaseSimulator.start({ tickMs: 20 });
    const { collector, events } = makeCollector('ETH-USD', ['candles'], new CoinbaseConnectionPool());
    await collector.start();
    // Candles alone still subscribe trades (the 1m bars) and the 5-minute channel.
    expect(new Set(sim.open()[0]?.received.map((r) => (JSON.parse(r) as { channel: string }).channel))).toEqual(
      new Set(['market_trades', 'candles', 'heartbeats']),
    );
    await waitFor(
      () => events.some((e) => e.kind === 'candle' && e.timeframe === '1m') && events.some((e) => e.kind === 'candle' && e.timeframe === '5m'),
      'both',
    );
    const minute = events.filter((e): e is Candle => e.kind === 'candle' && e.timeframe === '1m');
    const first = minute[0];
    // The seeded bar is the current minute's, whole: its open is Coinbase's, not the first trade seen.
    expect(first?.openTime).toBe(Math.floor((first?.exchangeTs ?? 0) / 60_000) * 60_000);
    expect(first?.closed).toBe(false);
    expect(collector.getStatus().errors).toEqual([]);
  });
});

describe('bars built from trades', () => {
  const base = { exchange: 'coinbase', symbol: 'BTC-USD' };
  const seed = (openTime: number): Candle => ({
    kind: 'candle',
    ...base,
    exchangeTs: openTime,
    receivedAt: openTime,
    timeframe: '1m',
    openTime,
    open: 100,
    openStr: '100',
    high: 105,
    highStr: '105',
    low: 99,
    lowStr: '99',
    close: 101,
    closeStr: '101',
    volume: 2,
    volumeStr: '2',
    closed: false,
  });

  it('shows no bar it has only seen part of: waits for the seed, or for the next boundary', () => {
    const builder = new TradeCandleBuilder('1m', base);
    expect(builder.add({ ts: 60_030_000, price: 102, size: 1 }, 0)).toEqual([]);
    // The seed as of 60_020_000; the trade after it completes the bar.
    const seeded = builder.seed(seed(60_000_000), 60_020_000, 0);
    expect(seeded).toEqual([expect.objectContaining({ openTime: 60_000_000, open: 100, high: 105, close: 102, volume: 3, closed: false })]);
    const next = builder.add({ ts: 60_061_000, price: 103, size: 0.5 }, 0);
    expect(next.map((c) => [c.openTime, c.closed])).toEqual([
      [60_000_000, true],
      [60_060_000, false],
    ]);
    // Lost trades: the bar is dropped until the next boundary.
    builder.lost();
    expect(builder.add({ ts: 60_070_000, price: 104, size: 1 }, 0)).toEqual([]);
    expect(builder.add({ ts: 60_121_000, price: 105, size: 1 }, 0)).toEqual([expect.objectContaining({ openTime: 60_120_000, open: 105, closed: false })]);
  });
});

describe('Coinbase vocabulary and REST', () => {
  it('spells products and channels as Coinbase does, USDC as its USD book', () => {
    expect(coinbaseDescriptor.rules.normalizeSymbol(' eth/usdc ')).toBe('ETH-USD');
    expect(coinbaseArgs('BTC-USD', ['orderbook'], []).map((a) => COINBASE_CODEC.key(a))).toEqual(['level2:BTC-USD', 'heartbeats:BTC-USD']);
    expect(COINBASE_CODEC.encode('unsubscribe', [{ channel: 'level2', product: 'BTC-USD' }], '1')).toEqual([
      '{"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"}',
    ]);
    const refusal = COINBASE_CODEC.classify('{"type":"error","message":"Failed to subscribe","reason":"BTC-USDT is not a valid product"}');
    expect(refusal.kind === 'error' && refusal.names?.('level2:BTC-USDT')).toBe(true);
    expect(refusal.kind === 'error' && refusal.names?.('level2:BTC-USD')).toBe(false);
  });

  it('lists spot products in our vocabulary and fills charts for every UI timeframe (4H from hours)', async () => {
    sim = await CoinbaseSimulator.start();
    const catalog = new CoinbaseInstruments(coinbaseDescriptor.rules, sim.restUrl);
    const history = new CoinbaseHistory(sim.restUrl);
    disposables.push(catalog, history);
    await catalog.refresh();
    expect(catalog.check('btc-usd')).toEqual({
      ok: true,
      instrument: {
        exchange: 'coinbase',
        symbol: 'BTC-USD',
        base: 'BTC',
        quote: 'USD',
        kind: 'spot',
        tickSize: '0.01',
        lotSize: '0.00000001',
        contractSize: undefined,
        contractUnit: undefined,
        live: true,
      },
    });
    expect(catalog.check('DOGE-USD')).toEqual({ ok: false, reason: 'Coinbase has no instrument DOGE-USD' });
    for (const timeframe of UI_TIMEFRAMES) {
      const candles = await history.candles('BTC-USD', timeframe, 50);
      expect(candles.length, timeframe).toBeGreaterThanOrEqual(timeframe === '4H' ? 80 / 4 : 50);
      expect(candles.every((c, i) => i === 0 || c.openTime > (candles[i - 1]?.openTime ?? 0))).toBe(true);
      expect(
        candles.filter((c) => !c.closed),
        timeframe,
      ).toHaveLength(1);
      expect(candles.at(-1)?.closed).toBe(false);
    }
    await expect(history.candles('FOO-USD', '1m', 10)).rejects.toThrow(/HTTP 404/);
  });
});
