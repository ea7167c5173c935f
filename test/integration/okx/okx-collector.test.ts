import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import { SubscriptionError } from '../../../app/core/errors.js';
import type { MarketEvent } from '../../../app/core/types.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { OkxCollector, type OkxCollectorOptions } from '../../../app/exchanges/okx/collector.js';
import { OkxConnectionPool } from '../../../app/exchanges/okx/connection.js';
import { OkxInstruments } from '../../../app/exchanges/okx/instruments.js';
import { okxDescriptor } from '../../../app/exchanges/okx/descriptor.js';
import { countResources, expectNoLeakedHandles, noLeakedHandles } from '../../support/handles.js';
import { waitFor } from '../../support/loopback-server.js';
import { DEFAULT_INSTRUMENTS, OkxSimulator, type SimulatorOptions } from '../../sim/okx/server.js';

const factory = new ExchangeFactory();
let sim: OkxSimulator | undefined;
const collectors: BaseDataCollector[] = [];

async function startSim(options: SimulatorOptions = {}): Promise<OkxSimulator> {
  sim = await OkxSimulator.start({ tickMs: 20, ...options });
  return sim;
}

function makeCollector(
  symbol: string,
  dataTypes: string[] = ['trade', 'orderbook', 'ticker', 'candles'],
  extra: Record<string, unknown> = {},
  pool = new OkxConnectionPool({ idleMs: 300, pongTimeoutMs: 300 }),
  options: Omit<OkxCollectorOptions, 'pool'> = {},
): { collector: OkxCollector; events: MarketEvent[] } {
  if (sim === undefined) throw new Error('start the simulator first');
  const config = factory.resolveConfig({
    exchange: 'okx',
    symbol,
    dataTypes,
    healthCheckInterval: 5,
    customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl, candleTimeframes: ['1m', '1s'] },
    ...extra,
  });
  const collector = new OkxCollector(config, { pool, ...options });
  collectors.push(collector);
  const events: MarketEvent[] = [];
  collector.on('data', (e) => {
    events.push(e);
    if (events.length > 5000) events.splice(0, 1000);
  });
  return { collector, events };
}

function bookOk(collector: OkxCollector): boolean {
  const book = collector.getBook();
  return book !== undefined && book.bids.size > 0 && book.asks.size > 0 && !book.isCrossed();
}

async function validAgain(collector: OkxCollector, check: () => boolean, what: string): Promise<void> {
  await waitFor(() => check() && collector.getStatus().status === 'running' && bookOk(collector), what);
}

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  await sim?.close();
  sim = undefined;
});

describe('OKX collector against the loopback simulator', () => {
  it('start → running → status running → stop → not running', async () => {
    await startSim();
    const { collector } = makeCollector('BTC-USDT');
    await collector.start();
    expect(collector.isRunning()).toBe(true);
    expect(collector.getStatus().status).toBe('running');
    await collector.stop();
    expect(collector.isRunning()).toBe(false);
    expect(collector.getStatus().status).toBe('stopped');
  });

  it('streams trades, tickers, candles and a valid 400-level book with bids below asks', async () => {
    await startSim();
    const { collector, events } = makeCollector('BTC-USDT');
    await collector.start();
    await waitFor(() => ['trade', 'ticker', 'candle', 'book_snapshot', 'book_update'].every((k) => events.some((e) => e.kind === k)), 'all kinds');
    const snapshot = events.find((e) => e.kind === 'book_snapshot');
    expect(snapshot?.kind === 'book_snapshot' && [snapshot.bids.length, snapshot.asks.length]).toEqual([400, 400]);
    const book = collector.getBook();
    expect(book?.bids.size).toBeGreaterThan(350);
    expect(book?.asks.size).toBeGreaterThan(350);
    expect((book?.bids.best()?.price ?? Infinity) < (book?.asks.best()?.price ?? 0)).toBe(true);
    const candles = events.filter((e) => e.kind === 'candle');
    expect(new Set(candles.map((c) => c.kind === 'candle' && c.timeframe))).toEqual(new Set(['1m', '1s']));
    // OKX confirms a candle (`confirm: "1"`) once its period is over: 1s candles roll over.
    await waitFor(() => events.some((e) => e.kind === 'candle' && e.timeframe === '1s' && e.closed), 'a confirmed 1s candle');
    const status = collector.getStatus();
    expect(status.book).toMatchObject({ state: 'valid', crossed: false });
    expect(status.sequenceGaps).toBe(0);
    expect(status.streams.orderbook?.messages).toBeGreaterThan(0);
  });

  it('measures lag only on messages that carry an event time, never on candle open times', async () => {
    await startSim();
    const { collector: candlesOnly, events } = makeCollector('ETH-USDT', ['candles']);
    await candlesOnly.start();
    await waitFor(() => events.filter((e) => e.kind === 'candle').length >= 2, 'candles');
    // A 1m candle opened up to a minute ago: its open time is no event time.
    expect(candlesOnly.getStatus().exchangeLagMs).toBeNull();
    const { collector: withTrades, events: tradeEvents } = makeCollector('BTC-USDT', ['candles', 'trade', 'ticker']);
    await withTrades.start();
    await waitFor(() => tradeEvents.some((e) => e.kind === 'trade') && tradeEvents.filter((e) => e.kind === 'candle').length >= 2, 'trades and candles');
    const lag = withTrades.getStatus().exchangeLagMs;
    expect(lag).not.toBeNull();
    expect(lag ?? Infinity).toBeLessThan(5_000);
  });

  it('shares one connection per endpoint between symbols and frees it when the last stops', async () => {
    const server = await startSim();
    const pool = new OkxConnectionPool();
    const a = makeCollector('BTC-USDT', undefined, {}, pool).collector;
    const b = makeCollector('ETH-USDT', undefined, {}, pool).collector;
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => bookOk(a) && bookOk(b), 'two books');
    expect(
      server
        .open()
        .map((c) => c.endpoint)
        .sort(),
    ).toEqual(['business', 'public']);
    expect(pool.count()).toBe(2);
    await a.stop();
    await waitFor(() => server.open('BTC-USDT').length === 0, 'BTC-USDT unsubscribed');
    expect(server.open()).toHaveLength(2);
    expect(bookOk(b)).toBe(true);
    await b.stop();
    await waitFor(() => server.open().length === 0, 'connections closed');
    expect(pool.count()).toBe(0);
  });

  it('gives a perpetual’s ticker its mark, index, funding and open interest in the base asset; spot tickers have none', async () => {
    await startSim();
    const pool = new OkxConnectionPool();
    const { collector: swap, events } = makeCollector('BTC-USDT-SWAP', ['ticker'], {}, pool);
    const { collector: spot, events: spotEvents } = makeCollector('BTC-USDT', ['ticker'], {}, pool);
    await Promise.all([swap.start(), spot.start()]);
    const complete = (e: MarketEvent): boolean =>
      e.kind === 'ticker' &&
      e.markPrice !== undefined &&
      e.indexPrice !== undefined &&
      e.fundingRate !== undefined &&
      e.nextFundingTime !== undefined &&
      e.openInterest !== undefined;
    await waitFor(() => events.some(complete) && spotEvents.some((e) => e.kind === 'ticker'), 'a complete perpetual ticker');
    const ticker = events.find(complete);
    if (ticker?.kind !== 'ticker') throw new Error('no ticker');
    // Mark and index within a few basis points of the last price; funding a small fraction;
    // settlement in the next eight hours; open interest in BTC (the simulator's oi is in 0.01 BTC contracts).
    expect(Math.abs((ticker.markPrice ?? 0) / ticker.last - 1)).toBeLessThan(0.01);
    expect(Math.abs((ticker.indexPrice ?? 0) / ticker.last - 1)).toBeLessThan(0.01);
    expect(Math.abs(ticker.fundingRate ?? 1)).toBeLessThan(0.001);
    expect((ticker.nextFundingTime ?? 0) - Date.now()).toBeLessThanOrEqual(8 * 3_600_000);
    expect(ticker.openInterest).toBeGreaterThan(1);
    expect(ticker.openInterest).toBeLessThan(1_000);
    expect(spotEvents.filter((e) => e.kind === 'ticker').every((e) => e.kind === 'ticker' && e.markPrice === undefined && e.fundingRate === undefined)).toBe(
      true,
    );
  });

  it('collects two contracts on one index on their own connections (one subscription each)', async () => {
    const server = await startSim({
      instruments: [...DEFAULT_INSTRUMENTS, { instId: 'BTC-USDT-261225', instType: 'FUTURES', price: 64500, tickSz: '0.1', lotSz: '1' }],
    });
    const pool = new OkxConnectionPool();
    const { collector: swap, events: a } = makeCollector('BTC-USDT-SWAP', ['ticker'], {}, pool);
    const { collector: future, events: b } = makeCollector('BTC-USDT-261225', ['ticker'], {}, pool);
    await Promise.all([swap.start(), future.start()]);
    const indexed = (events: MarketEvent[]): boolean => events.some((e) => e.kind === 'ticker' && e.indexPrice !== undefined);
    await waitFor(() => indexed(a) && indexed(b), 'both indexed');
    expect(swap.getStatus().status).toBe('running');
    expect(future.getStatus().status).toBe('running');
    expect(server.open().length).toBe(2);
  });

  it('batches a symbol’s subscriptions into one request per endpoint', async () => {
    const server = await startSim();
    const { collector } = makeCollector('SOL-USDT');
    await collector.start();
    const publicConn = server.open().find((c) => c.endpoint === 'public');
    const subscribes = publicConn?.received.filter((t) => t.includes('"op":"subscribe"')) ?? [];
    expect(subscribes).toHaveLength(1);
    expect(JSON.parse(subscribes[0] ?? '{}')).toMatchObject({ op: 'subscribe', args: [{ channel: 'trades' }, { channel: 'books' }, { channel: 'tickers' }] });
  });

  it('leaves no socket, timer or connection behind after stop', async () => {
    const server = await startSim();
    const pool = new OkxConnectionPool();
    const baseline = countResources();
    const { collector } = makeCollector('BTC-USDT', undefined, {}, pool);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    await collector.stop();
    await waitFor(() => server.open().length === 0, 'server side closed');
    // Sockets and timers are released asynchronously once closed.
    await waitFor(() => noLeakedHandles(baseline), 'every handle released');
    expectNoLeakedHandles(baseline);
    expect(pool.count()).toBe(0);
    expect(collector.listenerCount('data')).toBe(1); // only the test's own listener
  });

  it('reports an unknown symbol clearly and does not retry it', async () => {
    const server = await startSim();
    const { collector } = makeCollector('FOO-BAR', ['trade', 'orderbook']);
    const started = collector.start();
    await expect(started).rejects.toBeInstanceOf(SubscriptionError);
    await expect(started).rejects.toThrow(/FOO-BAR \(trades, books\): OKX does not know this instrument or channel \(60018\)/);
    const status = collector.getStatus();
    expect(status.status).toBe('error');
    expect(status.errors.at(-1)).toMatchObject({ kind: 'SubscriptionError', code: '60018' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requests = server.connections.flatMap((c) => c.received).filter((t) => t.includes('FOO-BAR'));
    expect(requests).toHaveLength(1);
  });

  it('sends every channel of a request OKX refused as too frequent (60014) again, and starts', async () => {
    const server = await startSim();
    server.inject('throttle');
    const { collector, events } = makeCollector('ETH-USDT', ['trade', 'orderbook', 'ticker']);
    await collector.start();
    expect(collector.getStatus().errors.map((e) => e.code)).toContain('60014');
    await waitFor(() => bookOk(collector) && events.some((e) => e.kind === 'ticker'), 'book and tickers after the retry');
    const subscribes = server.open()[0]?.received.filter((t) => t.includes('"op":"subscribe"')) ?? [];
    expect(subscribes).toHaveLength(2);
    expect(JSON.parse(subscribes[1] ?? '{}')).toMatchObject({ args: [{ channel: 'trades' }, { channel: 'books' }, { channel: 'tickers' }] });
  });

  it('recovers from a dropped connection: reconnecting, then running with a fresh valid book', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT');
    const states: string[] = [];
    collector.on('status', (s) => states.push(s.status));
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('drop');
    await validAgain(collector, () => collector.getStatus().reconnects >= 1, 'recovered after drop');
    expect(states).toContain('reconnecting');
    expect(collector.getStatus().sequenceGaps).toBe(0);
  });

  it('recovers from a stalled connection (no data, no pong) through the keep-alive', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    const stalled = server.inject('stall');
    expect(stalled).toBe(1);
    await validAgain(collector, () => collector.getStatus().reconnects >= 1, 'recovered after stall');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^okx\/public: no reply to keep-alive within 300 ms; reconnecting in \d+ ms$/),
    );
  });

  it('detects a sequence gap, resyncs by resubscribing and counts it', async () => {
    const server = await startSim();
    const { collector } = makeCollector('ETH-USDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('gap', 'ETH-USDT');
    await validAgain(collector, () => collector.getStatus().resyncs >= 1, 'resynced after gap');
    const status = collector.getStatus();
    expect(status.sequenceGaps).toBe(1);
    expect(status.errors.some((e) => /sequence gap/.test(e.message))).toBe(true);
    const publicConn = server.open().find((c) => c.endpoint === 'public');
    expect(publicConn?.received.some((t) => t.includes('"op":"unsubscribe"'))).toBe(true);
    expect(server.open()).toHaveLength(1); // resync did not need a new connection
  });

  it('detects a corrupted level through the checksum (pre-2026 mode) and resyncs', async () => {
    const server = await startSim({ checksum: 'real' });
    const { collector } = makeCollector('BTC-USDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('corrupt', 'BTC-USDT');
    await validAgain(collector, () => collector.getStatus().checksumFailures >= 1 && collector.getStatus().resyncs >= 1, 'resynced after corruption');
    expect(collector.getStatus().errors.some((e) => /checksum mismatch/.test(e.message))).toBe(true);
  });

  it('survives malformed JSON: the error is shown, the stream goes on', async () => {
    const server = await startSim();
    const { collector, events } = makeCollector('BTC-USDT', ['orderbook', 'ticker']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('malformed', 'BTC-USDT');
    await waitFor(() => collector.getStatus().errors.some((e) => /not JSON/.test(e.message)), 'error shown');
    const before = events.length;
    await waitFor(() => events.length > before + 5 && bookOk(collector), 'stream continues');
    expect(collector.getStatus().status).toBe('running');
  });

  it('keeps up after a slow-reader flood, with the book valid again and nothing lost silently', async () => {
    const server = await startSim({ maxBufferedBytes: 512 * 1024 });
    const { collector, events } = makeCollector('BTC-USDT', ['orderbook', 'ticker']);
    let tickers = 0;
    collector.on('data', (e) => {
      if (e.kind === 'ticker') tickers += 1;
    });
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('flood', 'BTC-USDT');
    // Read in full under backpressure, or cut by the venue as a slow reader and reconnected.
    await validAgain(collector, () => tickers >= 1000 || collector.getStatus().reconnects > 0, 'recovered after flood');
    const s = collector.getStatus();
    expect(s.droppedMessages === 0 || s.resyncs > 0).toBe(true);
    expect(events.length).toBeGreaterThan(0);
  });

  it('reconnects at once on a service-upgrade notice (64008)', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    const firstConnections = server.connections.length;
    server.inject('notice');
    await validAgain(collector, () => server.connections.length > firstConnections && collector.getStatus().reconnects >= 1, 'reconnected');
  });

  it('treats keep-alive updates and documented sequence resets as continuity, not gaps', async () => {
    const server = await startSim({ keepAliveEvery: 7 });
    const { collector } = makeCollector('BTC-USDT', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('reset', 'BTC-USDT');
    await waitFor(() => (collector.getStatus().book?.sequenceResets ?? 0) >= 1, 'reset seen');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const status = collector.getStatus();
    expect(status.sequenceGaps).toBe(0);
    expect(status.resyncs).toBe(0);
    expect(bookOk(collector)).toBe(true);
  });

  it('builds the book from a REST snapshot when no in-band snapshot comes', async () => {
    await startSim({ inBandSnapshot: false });
    // Shorten the wait for the in-band snapshot through the exchange-specific extra param.
    const config = factory.resolveConfig({
      exchange: 'okx',
      symbol: 'DOGE-USDT',
      dataTypes: ['orderbook'],
      customParams: { wsUrl: sim?.wsUrl, restUrl: sim?.restUrl, extra: { snapshotTimeoutMs: 300 } },
    });
    const doge = new OkxCollector(config, { pool: new OkxConnectionPool() });
    collectors.push(doge);
    const dogeEvents: MarketEvent[] = [];
    doge.on('data', (e) => dogeEvents.push(e));
    await doge.start();
    await waitFor(() => bookOk(doge), 'book from REST');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bookOk(doge)).toBe(true);
    expect(doge.getStatus().sequenceGaps).toBe(0);
    expect(dogeEvents.filter((e) => e.kind === 'book_snapshot')).toHaveLength(1);
    expect(dogeEvents.filter((e) => e.kind === 'book_update').length).toBeGreaterThan(0);
  });

  it('replays the real 2022 capture with every checksum verified', async () => {
    await startSim({ mode: 'replay', replaySpeed: 20 });
    const { collector } = makeCollector('BTC-USDT', ['orderbook', 'trade', 'ticker']);
    await collector.start();
    await waitFor(() => bookOk(collector) && collector.getStatus().messagesReceived > 60, 'replayed data');
    const status = collector.getStatus();
    expect(status.checksumFailures).toBe(0);
    expect(status.sequenceGaps).toBe(0);
    expect(status.book?.state).toBe('valid');
  });
});

describe('OKX instruments', () => {
  it('loads SPOT, SWAP and FUTURES from REST, validates and searches symbols', async () => {
    const server = await startSim();
    const instruments = new OkxInstruments({ restUrl: server.restUrl });
    expect(instruments.check('FOO-BAR')).toEqual({ ok: true, instrument: undefined }); // pattern only before loading
    await instruments.refresh();
    expect(instruments.loaded).toBe(true);
    expect(instruments.size).toBe(11);
    expect(instruments.check('btc-usdt')).toMatchObject({
      ok: true,
      instrument: { symbol: 'BTC-USDT', tickSize: '0.1', kind: 'spot', base: 'BTC', quote: 'USDT', exchange: 'okx' },
    });
    expect(instruments.check('FOO-BAR')).toEqual({ ok: false, reason: 'OKX has no instrument FOO-BAR' });
    expect(instruments.check('BTC/USDT')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid OKX instrument id/) as unknown });
    expect(instruments.search('btc').map((i) => i.symbol)).toEqual(['BTC-USDT', 'BTC-USDT-SWAP', 'BTC-USD-261225']);
    expect(instruments.search('eth usdt swap').map((i) => i.symbol)).toEqual(['ETH-USDT-SWAP']);
    instruments.dispose();
  });

  it('is reachable through the registry descriptor', async () => {
    const server = await startSim();
    const catalog = await okxDescriptor.loadInstrumentCatalog?.(server.restUrl);
    await catalog?.refresh();
    expect(catalog?.loaded).toBe(true);
    expect(catalog?.search('doge').map((i) => i.symbol)).toEqual(['DOGE-USDT']);
    catalog?.dispose();
  });

  it('falls back to the pattern and keeps a clear error when OKX cannot be reached', async () => {
    const instruments = new OkxInstruments({ restUrl: 'http://127.0.0.1:9' });
    await instruments.refresh();
    expect(instruments.loaded).toBe(false);
    expect(instruments.error).toMatch(/OKX REST \/api\/v5\/public\/instruments failed/);
    expect(instruments.check('BTC-USDT').ok).toBe(true);
    instruments.dispose();
  });
});

describe('OKX book truthfulness', () => {
  const fast = { livenessTickMs: 50, recoveryBoundMs: 1500, bookFrozenMs: 1000 } as const;

  it('finishes a resync whose unsubscribe OKX refuses (60014), and resyncs later gaps too', async () => {
    const server = await startSim();
    const { collector } = makeCollector('ETH-USDT', ['orderbook'], {}, undefined, fast);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('throttle', undefined, { op: 'unsubscribe' });
    server.inject('gap', 'ETH-USDT');
    await waitFor(() => collector.getStatus().errors.some((e) => e.code === '60014'), 'the refused resync');
    await validAgain(collector, () => collector.getStatus().resyncs >= 1, 'book valid after the refused resync');
    const before = collector.getStatus();
    expect(before.book?.recovery).toBeNull();
    // A later gap is resynced as well: nothing stayed marked "in progress".
    server.inject('gap', 'ETH-USDT');
    await validAgain(
      collector,
      () => collector.getStatus().sequenceGaps >= before.sequenceGaps + 1 && collector.getStatus().book?.recovery === null,
      'second resync',
    );
    const publicConn = server.open().find((c) => c.endpoint === 'public');
    expect(publicConn?.received.filter((t) => t.includes('"op":"unsubscribe"')).length).toBeGreaterThanOrEqual(3);
  });

  it('escalates a resync that does not complete: resubscribe, then reconnect, and says so', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT', ['orderbook', 'trade'], {}, undefined, fast);
    const steps: string[] = [];
    collector.on('status', (s) => {
      const step = s.book?.recovery?.step;
      if (step !== undefined && steps.at(-1) !== step) steps.push(step);
    });
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    steps.length = 0;
    const firstConnections = server.connections.length;
    // OKX leaves the resync's unsubscribes unanswered: the book cannot come back by itself.
    server.inject('ignore-unsubscribe', undefined, { count: 2 });
    server.inject('gap', 'BTC-USDT');
    await waitFor(() => steps.includes('reconnect'), 'escalation to a reconnect');
    expect(steps.slice(0, 3)).toEqual(['resync', 'resubscribe', 'reconnect']);
    await validAgain(collector, () => server.connections.length > firstConnections, 'book valid on a new connection');
    const status = collector.getStatus();
    expect(status.book?.recovery).toBeNull();
    expect(
      status.errors.map((e) => e.message),
      JSON.stringify(status.errors.map((e) => e.message)),
    ).toContainEqual(expect.stringMatching(/^order book of BTC-USDT not valid for \d+ s \(invalid: sequence gap .*\); reconnecting$/));
  });

  it('marks a book stale when its channel falls silent while trades print, shows its age, and resubscribes it', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT', ['orderbook', 'trade'], {}, undefined, fast);
    const seen: { state: string; levels: number; staleStreams: readonly string[] }[] = [];
    collector.on('status', (s) => seen.push({ state: s.book?.state ?? '', levels: collector.getDisplayBook()?.bids.size ?? 0, staleStreams: s.staleStreams }));
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('mute', 'BTC-USDT', { stream: 'books' });
    await waitFor(() => seen.some((s) => s.state === 'stale'), 'stale book');
    const stale = seen.find((s) => s.state === 'stale');
    // Stale, not valid; its levels are kept to be shown greyed; the stream is named.
    expect(stale?.levels).toBeGreaterThan(0);
    expect(stale?.staleStreams).toEqual(['orderbook']);
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^BTC-USDT order book unchanged for \d+\.\d s while trades print$/),
    );
    // The resubscribe renews the dead subscription: valid again, nothing stale.
    await validAgain(collector, () => collector.getStatus().staleStreams.length === 0 && collector.getStatus().resyncs >= 1, 'book renewed');
    expect(collector.getBook()).toBeDefined();
  });

  it('marks a completely silent book stale (its own cadence) instead of leaving it valid', async () => {
    const server = await startSim();
    const { collector } = makeCollector('SOL-USDT', ['orderbook'], {}, undefined, { ...fast, liveness: { minStaleMs: 500 } });
    await collector.start();
    // Enough updates to learn the book's cadence (its threshold is then far below the venue's cap).
    await waitFor(() => bookOk(collector) && (collector.getStatus().streams['orderbook']?.thresholdMs ?? Infinity) < 90_000, 'a learned cadence');
    const stale: string[] = [];
    collector.on('status', (s) => {
      if (s.book?.state === 'stale') stale.push(s.staleStreams.join());
    });
    server.inject('mute', 'SOL-USDT', { stream: 'books' });
    await waitFor(() => stale.length > 0, 'stale');
    expect(stale[0]).toBe('orderbook');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^SOL-USDT no order-book update for \d+\.\d s \(far beyond its usual pace\)$/),
    );
    await validAgain(collector, () => collector.getStatus().staleStreams.length === 0, 'renewed');
  });

  it('keeps a quiet market (keep-alives only) valid and running: never stale, never restarted', async () => {
    const server = await startSim({ keepAliveEvery: 1 });
    const { collector } = makeCollector('BTC-USDT', ['orderbook', 'trade', 'ticker'], {}, undefined, { ...fast, liveness: { minStaleMs: 200 } });
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    const states: string[] = [];
    collector.on('status', (s) => states.push(s.status));
    const messages = (): number => collector.getStatus().streams['orderbook']?.messages ?? 0;
    const start = messages();
    // 100 keep-alives (20 ms apart) span 40 liveness checks and the book's learned threshold many times.
    await waitFor(() => messages() >= start + 100, 'a hundred keep-alives');
    const status = collector.getStatus();
    expect(states.filter((s) => s !== 'running')).toEqual([]);
    expect(status).toMatchObject({ status: 'running', restarts: 0, resyncs: 0, staleStreams: [] });
    expect(status.book?.state).toBe('valid');
    expect(server.connections).toHaveLength(1);
  });

  it('stopping or restarting while a resync waits for the request budget leaves no unhandled rejection', async () => {
    const server = await startSim();
    const pool = new OkxConnectionPool({ idleMs: 300, pongTimeoutMs: 300, requestLimit: { capacity: 1, tokensPerInterval: 1, intervalMs: 3_600_000 } });
    const { collector } = makeCollector('BTC-USDT', ['orderbook'], {}, pool, fast);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('gap', 'BTC-USDT');
    await waitFor(() => collector.getStatus().resyncs >= 1, 'a resync waiting for the budget');
    await collector.restart('test');
    await waitFor(() => collector.getStatus().status === 'running', 'running again');
    server.inject('gap', 'BTC-USDT');
    await waitFor(() => collector.getStatus().sequenceGaps >= 2, 'second gap');
    await collector.stop();
    // The setup file fails this test if any promise was left to reject unhandled.
  });

  it('treats a binary frame as a protocol error: reported, reconnected, book valid again', async () => {
    const server = await startSim();
    const { collector } = makeCollector('BTC-USDT', ['orderbook'], {}, undefined, fast);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    server.inject('binary');
    await validAgain(collector, () => collector.getStatus().reconnects >= 1, 'reconnected');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/binary frame/));
  });

  it('refuses an inbound message above the size limit and reconnects', async () => {
    const server = await startSim({ maxBufferedBytes: 64 * 1024 * 1024 });
    const pool = new OkxConnectionPool({ idleMs: 300, pongTimeoutMs: 300, maxMessageBytes: 1024 });
    const { collector } = makeCollector('BTC-USDT', ['orderbook'], {}, pool, fast);
    // The 400-level snapshot is far above 1 KiB: every connection is cut (1009) and retried.
    collector.start().catch(() => undefined);
    await waitFor(() => collector.getStatus().errors.some((e) => /larger than allowed \(1009\)/.test(e.message)), 'size limit reported');
    expect(server.connections.length).toBeGreaterThanOrEqual(1);
  });
});
