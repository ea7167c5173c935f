// Kraken collectors against the loopback Kraken v2 simulator: what is particular to Kraken (the
// conformance suite runs the cases every venue shares), and its REST calls.
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import { UI_TIMEFRAMES } from '../../../app/core/timeframes.js';
import type { MarketEvent } from '../../../app/core/types.js';
import { KrakenCollector } from '../../../app/exchanges/kraken/collector.js';
import { KRAKEN_CODEC, KrakenConnectionPool, isKrakenPong } from '../../../app/exchanges/kraken/connection.js';
import { krakenDescriptor } from '../../../app/exchanges/kraken/descriptor.js';
import { KrakenHistory } from '../../../app/exchanges/kraken/history.js';
import { KrakenInstruments } from '../../../app/exchanges/kraken/instruments.js';
import { plainDecimal } from '../../../app/exchanges/kraken/messages.js';
import { krakenReplayer } from '../../../app/exchanges/kraken/replayer.js';
import { krakenChecksumString } from '../../../app/exchanges/kraken/checksum.js';
import { crc32 } from '../../../app/core/crc32.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { waitFor } from '../../support/loopback-server.js';
import { KrakenSimulator } from '../../sim/kraken/server.js';

const factory = new ExchangeFactory();
let sim: KrakenSimulator | undefined;
const collectors: BaseDataCollector[] = [];
const disposables: { dispose(): void }[] = [];

afterEach(async () => {
  for (const collector of collectors.splice(0)) await collector.stop();
  for (const d of disposables.splice(0)) d.dispose();
  await sim?.close();
  sim = undefined;
});

function makeCollector(symbol: string, dataTypes: string[], pool = new KrakenConnectionPool({ idleMs: 300, pongTimeoutMs: 1000 }), bookDepth?: number) {
  if (sim === undefined) throw new Error('start the simulator first');
  const config = factory.resolveConfig({
    exchange: 'kraken',
    symbol,
    dataTypes,
    customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl, candleTimeframes: ['1m', '5m'], ...(bookDepth === undefined ? {} : { bookDepth }) },
  });
  const collector = new KrakenCollector(config, { pool });
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

describe('Kraken collector against the loopback simulator', () => {
  it('subscribes v2 channels by pair, and verifies every book message by its checksum', async () => {
    sim = await KrakenSimulator.start({ tickMs: 20 });
    const { collector, events } = makeCollector('xbt-usd', ['trade', 'orderbook', 'ticker', 'candles']);
    expect(collector.config.symbol).toBe('BTC/USD');
    await collector.start();
    await waitFor(
      () => ['trade', 'ticker', 'candle', 'book_snapshot', 'book_update'].every((k) => events.some((e) => e.kind === k)) && bookOk(collector),
      'all kinds',
    );
    const requests = (sim.open()[0]?.received ?? []).map(
      (r) => JSON.parse(r) as { method: string; params: { channel: string; symbol: string[]; depth?: number; interval?: number }; req_id: number },
    );
    expect(requests.find((r) => r.params.channel === 'book')).toMatchObject({
      method: 'subscribe',
      params: { symbol: ['BTC/USD'], depth: 500, snapshot: true },
    });
    expect(requests.filter((r) => r.params.channel === 'ohlc').map((r) => r.params.interval)).toEqual([1, 5]);
    expect(requests.every((r) => Number.isInteger(r.req_id))).toBe(true);
    await waitFor(() => (collector.getStatus().book?.seqId ?? 0) > 0 && events.filter((e) => e.kind === 'book_update').length > 20, 'updates');
    expect(collector.getStatus()).toMatchObject({ status: 'running', checksumFailures: 0, book: { state: 'valid' } });
    // Lag comes from trades and books (their venue times); tickers without a time count for none.
    const tickersOnly = makeCollector('ETH/USD', ['ticker']);
    await tickersOnly.collector.start();
    await waitFor(() => tickersOnly.events.filter((e) => e.kind === 'ticker').length >= 3, 'tickers');
    expect(tickersOnly.collector.getStatus().exchangeLagMs).toBeNull();
    expect(collector.getStatus().errors).toEqual([]);
  });

  it('a wrong checksum breaks the book: counted, resynced from a new snapshot', async () => {
    sim = await KrakenSimulator.start({ tickMs: 20 });
    const { collector } = makeCollector('ETH/USD', ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    sim.inject('checksum', 'ETH/USD');
    await waitFor(() => collector.getStatus().checksumFailures === 1 && collector.getStatus().resyncs >= 1 && bookOk(collector), 'resynced');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/checksum mismatch \(Kraken \d+, ours \d+\)/));
  });

  it('keeps the subscribed depth: 10 levels a side after every message', async () => {
    sim = await KrakenSimulator.start({ tickMs: 20 });
    const { collector, events } = makeCollector('BTC/USD', ['orderbook'], undefined, 10);
    await collector.start();
    await waitFor(() => bookOk(collector) && events.filter((e) => e.kind === 'book_update').length > 30, 'updates');
    expect(collector.getBook()?.bids.size).toBe(10);
    expect(collector.getBook()?.asks.size).toBe(10);
    expect(collector.getStatus().checksumFailures).toBe(0);
  });

  it('pings a silent connection at the application level and reads the pong', async () => {
    sim = await KrakenSimulator.start({ tickMs: 20 });
    const { collector } = makeCollector('BTC/USD', ['candles'], new KrakenConnectionPool({ idleMs: 100, pongTimeoutMs: 2000 }));
    await collector.start();
    // Bars and heartbeats come once a second; between them the connection pings.
    await waitFor(() => (sim?.open()[0]?.received.filter((r) => r.includes('"method":"ping"')).length ?? 0) >= 2, 'two pings');
    expect(collector.getStatus().reconnects).toBe(0);
    expect(collector.getStatus().errors).toEqual([]);
    expect(isKrakenPong('{"method":"pong","req_id":3,"time_in":"x","time_out":"y"}')).toBe(true);
  });
});

describe('Kraken replay', () => {
  it('cuts a replayed book to the depth its recorded snapshot shows (the recording does not say it)', () => {
    const spell = (p: number): string => (Number.isInteger(p) ? `${p}.0` : String(p));
    const side = (prices: readonly number[]): string => `[${prices.map((p) => `{"price":${spell(p)},"qty":1.00000000}`).join(',')}]`;
    const sumOf = (bids: readonly number[], asks: readonly number[]): number => {
      const levels = (prices: readonly number[]) => prices.map((p) => ({ priceStr: spell(p), sizeStr: '1.00000000' }));
      return crc32(krakenChecksumString(levels(asks), levels(bids)));
    };
    const frame = (type: string, bids: string, asks: string, checksum: number): string =>
      `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":${bids},"asks":${asks},"checksum":${checksum},"timestamp":"2026-11-25T00:00:00.000Z"}]}`;
    const problems: unknown[] = [];
    const replayer = krakenReplayer('BTC/USD', ['orderbook'], { publish: () => undefined, problem: (e) => problems.push(e), now: () => 2 });
    const bids = Array.from({ length: 10 }, (_, i) => 99 - i);
    const asks = Array.from({ length: 10 }, (_, i) => 101 + i);
    replayer.handleFrame('kraken', frame('snapshot', side(bids), side(asks), sumOf(bids, asks)), 1);
    // A better bid pushes the worst one out of a 10-level book; Kraken sends no delete for it.
    const next = [99.5, ...bids.slice(0, 9)];
    replayer.handleFrame('kraken', frame('update', side([99.5]), '[]', sumOf(next, asks)), 2);
    expect(problems).toEqual([]);
    expect(replayer.bookStatus()?.state).toBe('valid');
    expect(replayer.getBook()?.bids.size).toBe(10);
    expect(replayer.getBook()?.bids.all().at(-1)?.priceStr).toBe('91.0');
  });
});

describe('Kraken vocabulary and REST', () => {
  it('spells pairs as v2 does and reads refusals by pair', () => {
    expect(krakenDescriptor.rules.normalizeSymbol('xdg_usd')).toBe('DOGE/USD');
    expect(plainDecimal('1.5e-7')).toBe('0.00000015');
    expect(plainDecimal('2.5E3')).toBe('2500');
    expect(plainDecimal('0.10000000')).toBe('0.10000000');
    const refused = KRAKEN_CODEC.classify('{"error":"Currency pair not supported FOO/USD","method":"subscribe","success":false,"symbol":"FOO/USD","req_id":4}');
    expect(refused.kind === 'error' && refused.names?.('book:FOO/USD')).toBe(true);
    expect(refused.kind === 'error' && refused.names?.('book:BTC/USD')).toBe(false);
    expect(KRAKEN_CODEC.classify('{"error":"Already subscribed","method":"subscribe","success":false,"symbol":"BTC/USD","req_id":5}').kind).toBe('ignore');
    expect(KRAKEN_CODEC.classify('{"method":"subscribe","result":{"channel":"ohlc","symbol":"BTC/USD","interval":5},"success":true,"req_id":6}')).toEqual({
      kind: 'ack',
      op: 'subscribe',
      args: [{ channel: 'ohlc', symbol: 'BTC/USD', interval: 5 }],
    });
  });

  it('lists pairs in v2 names with their precision, and fills charts for every UI timeframe', async () => {
    sim = await KrakenSimulator.start();
    const catalog = new KrakenInstruments(krakenDescriptor.rules, sim.restUrl);
    const history = new KrakenHistory(sim.restUrl);
    disposables.push(catalog, history);
    await catalog.refresh();
    expect(catalog.check('XBT/USD')).toEqual({
      ok: true,
      instrument: {
        exchange: 'kraken',
        symbol: 'BTC/USD',
        base: 'BTC',
        quote: 'USD',
        kind: 'spot',
        tickSize: '0.1',
        lotSize: '0.00000001',
        contractSize: undefined,
        contractUnit: undefined,
        live: true,
      },
    });
    expect(catalog.check('DOGE/USD')).toEqual({ ok: false, reason: 'Kraken has no instrument DOGE/USD' });
    for (const timeframe of UI_TIMEFRAMES) {
      const candles = await history.candles('BTC/USD', timeframe, 50);
      expect(candles, timeframe).toHaveLength(50);
      expect(candles.every((c, i) => i === 0 || c.openTime > (candles[i - 1]?.openTime ?? 0))).toBe(true);
      expect(candles.filter((c) => !c.closed)).toHaveLength(1);
      expect(candles.at(-1)?.closed).toBe(false);
    }
    await expect(history.candles('FOO/USD', '1m', 10)).rejects.toThrow('Kraken refused /0/public/OHLC: EQuery:Unknown asset pair');
  });
});
