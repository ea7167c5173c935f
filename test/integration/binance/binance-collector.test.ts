// Binance spot and USDⓈ-M futures collectors against the loopback Binance simulator.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BaseDataCollector, CollectorOptions } from '../../../app/core/base-collector.js';
import type { MarketEvent } from '../../../app/core/types.js';
import { BinanceCollector } from '../../../app/exchanges/binance/collector.js';
import { BinanceConnectionPool, binanceConnectionRules } from '../../../app/exchanges/binance/connection.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { countResources, expectNoLeakedHandles, noLeakedHandles } from '../../support/handles.js';
import { waitFor } from '../../support/loopback-server.js';
import { BinanceSimulator, type BinanceSimOptions } from '../../sim/binance/server.js';

const factory = new ExchangeFactory();
let sim: BinanceSimulator | undefined;
const collectors: BaseDataCollector[] = [];

async function startSim(options: BinanceSimOptions = {}): Promise<BinanceSimulator> {
  sim = await BinanceSimulator.start({ tickMs: 20, ...options });
  return sim;
}

function makeCollector(
  exchange: 'binance' | 'binance-futures',
  symbol: string,
  dataTypes = ['trade', 'orderbook', 'ticker', 'candles'],
  pool = new BinanceConnectionPool({ idleMs: 500, pongTimeoutMs: 500 }),
  options: CollectorOptions = {},
) {
  if (sim === undefined) throw new Error('start the simulator first');
  const config = factory.resolveConfig({
    exchange,
    symbol,
    dataTypes,
    customParams: { wsUrl: sim.wsUrl(exchange === 'binance' ? 'spot' : 'futures'), restUrl: sim.restUrl, candleTimeframes: ['1m', '5m'] },
  });
  const collector = new BinanceCollector(config, { pool, ...options });
  collectors.push(collector);
  const events: MarketEvent[] = [];
  collector.on('data', (e) => {
    events.push(e);
    if (events.length > 5000) events.splice(0, 1000);
  });
  return { collector, events };
}

function bookOk(collector: BinanceCollector): boolean {
  const book = collector.getBook();
  return book !== undefined && book.bids.size > 0 && book.asks.size > 0 && !book.isCrossed();
}

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  await sim?.close();
  sim = undefined;
});

describe.each(['binance', 'binance-futures'] as const)('%s collector against the loopback simulator', (exchange) => {
  it('streams trades, tickers, candles and a book synced from a REST snapshot, bids below asks', async () => {
    await startSim();
    const { collector, events } = makeCollector(exchange, 'btc-usdt');
    expect(collector.config.symbol).toBe('BTCUSDT');
    await collector.start();
    await waitFor(
      () => ['trade', 'ticker', 'candle', 'book_snapshot', 'book_update'].every((k) => events.some((e) => e.kind === k)) && bookOk(collector),
      'all kinds',
    );
    const status = collector.getStatus();
    expect(status.book).toMatchObject({ state: 'valid', crossed: false });
    expect(status.sequenceGaps).toBe(0);
    const trade = events.find((e) => e.kind === 'trade');
    expect(trade).toMatchObject({ exchange, symbol: 'BTCUSDT' });
    const ticker = events.find((e) => e.kind === 'ticker');
    expect(ticker?.kind === 'ticker' && ticker.last).toBeGreaterThan(0);
    expect(new Set(events.filter((e) => e.kind === 'candle').map((e) => e.kind === 'candle' && e.timeframe))).toEqual(new Set(['1m', '5m']));
    const subscribe = sim?.open()[0]?.received[0];
    expect(JSON.parse(subscribe ?? '{}')).toMatchObject({ method: 'SUBSCRIBE', id: 1 });
  });

  it(
    exchange === 'binance-futures'
      ? 'gives the perpetual’s ticker mark, index, funding (stream) and open interest (REST, recorded beside)'
      : 'gives a spot ticker no contract figures',
    async () => {
      await startSim();
      const { collector, events } = makeCollector(exchange, 'BTCUSDT', ['ticker']);
      const raw: string[] = [];
      collector.on('raw', (frame: { payload: string }) => raw.push(frame.payload));
      await collector.start();
      const complete = (e: (typeof events)[number]): boolean =>
        e.kind === 'ticker' && [e.markPrice, e.indexPrice, e.fundingRate, e.nextFundingTime, e.openInterest].every((v) => v !== undefined);
      if (exchange === 'binance') {
        await waitFor(() => events.filter((e) => e.kind === 'ticker').length >= 2, 'spot tickers');
        expect(events.some((e) => e.kind === 'ticker' && (e.markPrice !== undefined || e.openInterest !== undefined))).toBe(false);
        return;
      }
      await waitFor(() => events.some(complete), 'a complete futures ticker');
      const ticker = events.find(complete);
      if (ticker?.kind !== 'ticker') throw new Error('no ticker');
      expect(Math.abs((ticker.markPrice ?? 0) / ticker.last - 1)).toBeLessThan(0.01);
      expect(ticker.openInterest).toBeGreaterThan(0);
      // The REST answer is recorded as a frame of its own, so a replay has it.
      expect(raw.some((p) => p.startsWith('{"stream":"btcusdt@openInterest"'))).toBe(true);
    },
  );

  it('detects a missing diff as a gap and rebuilds the book from a fresh snapshot', async () => {
    const server = await startSim();
    const { collector } = makeCollector(exchange, 'ETHUSDT', ['orderbook'], undefined, { recoveryBoundMs: 2000 });
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('gap', 'ETHUSDT');
    await waitFor(
      () => collector.getStatus().sequenceGaps >= 1 && collector.getStatus().resyncs >= 1 && bookOk(collector) && collector.getStatus().book?.recovery === null,
      'rebuilt after the gap',
    );
    expect(collector.getStatus().errors.some((e) => /sequence gap/.test(e.message))).toBe(true);
  });

  it('recovers from a dropped connection and from a server shutdown notice', async () => {
    const server = await startSim();
    const { collector } = makeCollector(exchange, 'BTCUSDT', ['orderbook', 'trade']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('drop');
    await waitFor(() => collector.getStatus().reconnects >= 1 && bookOk(collector) && collector.getStatus().status === 'running', 'back after drop');
    const before = server.connections.length;
    server.inject('shutdown');
    await waitFor(() => server.connections.length > before && bookOk(collector) && collector.getStatus().status === 'running', 'renewed before the shutdown');
  });

  it('answers the server pings, so Binance keeps the connection', async () => {
    // Binance disconnects a client whose pong is late; here pings come every 300 ms, 1 s grace.
    const server = await startSim({ serverPing: { intervalMs: 300, timeoutMs: 1000 } });
    const { collector } = makeCollector(exchange, 'BTCUSDT', ['trade']);
    await collector.start();
    await waitFor(() => (server.open()[0]?.pongs ?? 0) >= 5, 'five pongs');
    expect(server.connections).toHaveLength(1);
    expect(collector.getStatus().reconnects).toBe(0);
  });

  it('reports an unknown symbol clearly and does not retry it', async () => {
    await startSim();
    const { collector } = makeCollector(exchange, 'FOOBAR', ['trade']);
    await expect(collector.start()).rejects.toThrow(/FOOBAR \(foobar@aggTrade\): Binance refused the request \(2\)/);
    expect(collector.getStatus().status).toBe('error');
  });

  it('leaves no socket, timer or connection behind after stop', async () => {
    const server = await startSim();
    const pool = new BinanceConnectionPool();
    const baseline = countResources();
    const { collector } = makeCollector(exchange, 'BTCUSDT', undefined, pool);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    await collector.stop();
    await waitFor(() => server.open().length === 0, 'server side closed');
    await waitFor(() => noLeakedHandles(baseline), 'every handle released');
    expectNoLeakedHandles(baseline);
    expect(pool.count()).toBe(0);
  });
});

describe('Binance connections', () => {
  it('shares one connection between symbols and subscribes a new symbol live', async () => {
    const server = await startSim();
    const pool = new BinanceConnectionPool();
    const a = makeCollector('binance', 'BTCUSDT', ['orderbook', 'ticker'], pool).collector;
    await a.start();
    const b = makeCollector('binance', 'ETHUSDT', ['orderbook', 'ticker'], pool).collector;
    await b.start();
    await waitFor(() => bookOk(a) && bookOk(b), 'two books');
    expect(server.open()).toHaveLength(1);
    const requests = server.open()[0]?.received.map((t) => JSON.parse(t) as { method: string; params: string[] }) ?? [];
    expect(requests.map((r) => r.method)).toEqual(['SUBSCRIBE', 'SUBSCRIBE']);
    expect(requests[1]?.params).toEqual(['ethusdt@depth@100ms', 'ethusdt@ticker']);
    await a.stop();
    await waitFor(() => server.open()[0]?.received.some((t) => t.includes('UNSUBSCRIBE')) === true, 'unsubscribe');
    expect(bookOk(b)).toBe(true);
  });
});

describe('Binance connection rules', () => {
  it('opens another connection once one carries its stream limit (1024 on Binance; 4 here)', async () => {
    const server = await startSim();
    const pool = new BinanceConnectionPool({ capacity: 4 });
    const collectors = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((symbol) => makeCollector('binance', symbol, ['orderbook', 'trade'], pool).collector);
    for (const c of collectors) await c.start();
    await waitFor(() => collectors.every(bookOk), 'three books');
    // Two symbols of two streams fill the first connection; the third needs a second one.
    expect(server.open()).toHaveLength(2);
    expect(pool.count()).toBe(2);
    expect(
      server
        .open()
        .map((c) => c.streams.size)
        .sort(),
    ).toEqual([2, 4]);
    expect(binanceConnectionRules('wss://stream.binance.com:9443').capacity).toBe(1024);
  });

  it('renews a connection before the venue ends it (24 h on Binance; 2 s here), the book valid again', async () => {
    const server = await startSim();
    const pool = new BinanceConnectionPool({ lifetimeMs: 2000 });
    const { collector } = makeCollector('binance', 'BTCUSDT', ['orderbook'], pool);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    await waitFor(() => server.connections.length >= 2 && collector.getStatus().reconnects >= 1 && bookOk(collector), 'renewed and valid');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/renewing the connection before the venue's 2 s limit/));
    expect(binanceConnectionRules('wss://stream.binance.com:9443').lifetimeMs).toBe(24 * 3_600_000);
  });

  it('stays within 5 messages a second while many symbols subscribe, resync and unsubscribe at once', async () => {
    const server = await startSim();
    const pool = new BinanceConnectionPool();
    const collectors = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'].map((symbol) => makeCollector('binance', symbol, ['orderbook', 'ticker'], pool).collector);
    await Promise.all(collectors.map((c) => c.start()));
    await waitFor(() => collectors.every(bookOk), 'four books');
    // Four gaps at once: four unsubscribes and four subscribes, all on one connection.
    for (const c of collectors) server.inject('gap', c.config.symbol);
    await waitFor(() => collectors.every((c) => c.getStatus().resyncs >= 1 && bookOk(c)), 'every book resynced');
    await Promise.all(collectors.slice(0, 2).map((c) => c.stop()));
    await waitFor(() => server.open('BTCUSDT').length === 0 && server.open('ETHUSDT').length === 0, 'two unsubscribed');
    // The simulator closes a connection at its sixth message within a second, as Binance does.
    expect(server.inboundLimitCloses).toBe(0);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]?.received.length).toBeGreaterThanOrEqual(10);
    // By construction: a full bucket plus one second of refill stays at 4 requests, leaving room for a pong.
    const { capacity, tokensPerInterval, intervalMs } = binanceConnectionRules('wss://stream.binance.com:9443').requestLimit;
    expect(capacity + tokensPerInterval * (1000 / intervalMs)).toBeLessThanOrEqual(4);
  });

  it('the simulator enforces the limit: a sixth message within a second closes the connection', async () => {
    const server = await startSim();
    const socket = new WebSocket(`${server.wsUrl('spot')}/stream`);
    await once(socket, 'open');
    const closed = once(socket, 'close');
    for (let id = 1; id <= 6; id += 1) socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id }));
    const [code] = (await closed) as [number];
    expect(code).toBe(1008);
    expect(server.inboundLimitCloses).toBe(1);
  });
});
