// Bybit linear and spot collectors against the loopback Bybit simulator: what is particular to
// Bybit (the conformance suite runs the cases every venue shares).
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector, CollectorOptions } from '../../../app/core/base-collector.js';
import type { MarketEvent } from '../../../app/core/types.js';
import { BybitCollector } from '../../../app/exchanges/bybit/collector.js';
import { BybitConnectionPool, type BybitConnectionOptions } from '../../../app/exchanges/bybit/connection.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { waitFor } from '../../support/loopback-server.js';
import { BybitSimulator } from '../../sim/bybit/server.js';

const factory = new ExchangeFactory();
let sim: BybitSimulator | undefined;
const collectors: BaseDataCollector[] = [];

async function startSim(): Promise<BybitSimulator> {
  sim = await BybitSimulator.start({ tickMs: 20, trackBooks: true });
  return sim;
}

function makeCollector(
  exchange: 'bybit' | 'bybit-spot',
  symbol: string,
  dataTypes = ['trade', 'orderbook', 'ticker', 'candles'],
  custom: { bookDepth?: number; candleTimeframes?: string[] } = {},
  poolOptions: BybitConnectionOptions = { idleMs: 500, pongTimeoutMs: 500 },
  options: CollectorOptions = {},
) {
  if (sim === undefined) throw new Error('start the simulator first');
  const config = factory.resolveConfig({
    exchange,
    symbol,
    dataTypes,
    customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl, candleTimeframes: ['1m', '5m'], ...custom },
  });
  const collector = new BybitCollector(config, { pool: new BybitConnectionPool(poolOptions), ...options });
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

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  await sim?.close();
  sim = undefined;
});

describe.each(['bybit', 'bybit-spot'] as const)('%s collector against the loopback simulator', (exchange) => {
  const market = exchange === 'bybit' ? 'linear' : 'spot';

  it("subscribes Bybit's topics with request ids, and streams every data type with a valid book", async () => {
    const server = await startSim();
    const { collector, events } = makeCollector(exchange, 'btc/usdt');
    expect(collector.config.symbol).toBe('BTCUSDT');
    await collector.start();
    await waitFor(
      () => ['trade', 'ticker', 'candle', 'book_snapshot', 'book_update'].every((k) => events.some((e) => e.kind === k)) && bookOk(collector),
      'all kinds',
    );
    const connection = server.open().find((c) => c.market === market);
    const request = JSON.parse(connection?.received[0] ?? '{}') as { op?: string; req_id?: string; args?: string[] };
    expect(request.op).toBe('subscribe');
    expect(request.req_id).toMatch(/^\d+$/);
    expect(new Set(request.args)).toEqual(new Set(['orderbook.200.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT', 'kline.1.BTCUSDT', 'kline.5.BTCUSDT']));
    expect(collector.getStatus()).toMatchObject({ status: 'running', sequenceGaps: 0, book: { state: 'valid', crossed: false } });
    expect(collector.getStatus().errors).toEqual([]);
    const ticker = events.findLast((e) => e.kind === 'ticker');
    expect(ticker?.kind === 'ticker' && ticker.last).toBeGreaterThan(0);
    // The linear ticker merges partial deltas (best bid/ask) into its snapshot; spot has no bid/ask.
    if (exchange === 'bybit') expect(ticker?.kind === 'ticker' && ticker.bid !== undefined && ticker.ask !== undefined).toBe(true);
    // Linear contracts carry mark, index, funding and open interest; spot none.
    if (exchange === 'bybit')
      expect(
        ticker?.kind === 'ticker' &&
          [ticker.markPrice, ticker.indexPrice, ticker.fundingRate, ticker.nextFundingTime, ticker.openInterest].every((v) => v !== undefined),
      ).toBe(true);
    else expect(ticker?.kind === 'ticker' && ticker.markPrice === undefined && ticker.openInterest === undefined).toBe(true);
    expect(new Set(events.filter((e) => e.kind === 'candle').map((e) => e.kind === 'candle' && e.timeframe))).toEqual(new Set(['1m', '5m']));
  });

  it('pings every interval even while data flows, and takes either pong shape', async () => {
    const server = await startSim();
    const { collector } = makeCollector(exchange, 'BTCUSDT', ['orderbook', 'trade'], {}, { idleMs: 150, pongTimeoutMs: 1000 });
    await collector.start();
    await waitFor(() => (server.open().find((c) => c.market === market)?.pings ?? 0) >= 4, 'four pings on a busy connection');
    const pings = server.open()[0]?.received.filter((r) => r.includes('"op":"ping"')) ?? [];
    expect(JSON.parse(pings[0] ?? '{}')).toMatchObject({ op: 'ping', req_id: expect.stringMatching(/^ping-/) as unknown });
    expect(server.connections).toHaveLength(1);
    expect(collector.getStatus().reconnects).toBe(0);
    // Pongs are not market data: nothing unreadable was reported.
    expect(collector.getStatus().errors).toEqual([]);
  });

  it('keeps the subscribed depth: orderbook.50 holds at most 50 levels a side and equals the venue window', async () => {
    const server = await startSim();
    const { collector } = makeCollector(exchange, 'ETHUSDT', ['orderbook'], { bookDepth: 50 });
    await collector.start();
    await waitFor(() => bookOk(collector) && (collector.getBook()?.bids.size ?? 0) === 50, 'a 50-level book');
    expect(server.open()[0]?.received.some((r) => r.includes('orderbook.50.ETHUSDT'))).toBe(true);
    const book = collector.getBook();
    const u = collector.getStatus().book?.seqId ?? 0;
    const truth = server.bookAt(market, 'ETHUSDT', u, 50);
    expect(book?.bids.all().map((l) => `${l.priceStr}:${l.sizeStr}`)).toEqual(truth?.bids);
    expect(book?.asks.all().map((l) => `${l.priceStr}:${l.sizeStr}`)).toEqual(truth?.asks);
  });

  it('takes a service restart (u = 1, a full snapshot) as a documented reset, not an error', async () => {
    const server = await startSim();
    const { collector } = makeCollector(exchange, 'BTCUSDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector) && (collector.getStatus().book?.seqId ?? 0) > 10_000_000, 'book');
    server.inject('restart', 'BTCUSDT');
    await waitFor(
      () => (collector.getStatus().book?.sequenceResets ?? 0) === 1 && (collector.getStatus().book?.seqId ?? Infinity) < 100 && bookOk(collector),
      'reset',
    );
    expect(collector.getStatus()).toMatchObject({ sequenceGaps: 0, resyncs: 0, book: { state: 'valid' } });
  });

  it('reports an unknown symbol clearly and does not retry it', async () => {
    await startSim();
    const { collector } = makeCollector(exchange, 'FOOUSDT', ['trade', 'orderbook']);
    await expect(collector.start()).rejects.toThrow(/FOOUSDT \(.*\): Bybit refused the request: Invalid symbol :\[/);
    expect(collector.getStatus().status).toBe('error');
  });
});
