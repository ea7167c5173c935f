// The loopback Kraken Spot WebSocket v2 simulator on 127.0.0.1 (`/v2`), speaking Kraken's
// public protocol: `{"method":"subscribe","params":{"channel",…},"req_id"}` answered symbol by
// symbol, app-level ping/pong, a heartbeat every second, and the channels `book` (a snapshot,
// then updates of the subscribed depth's window: changed levels, `qty 0` for levels removed,
// nothing for levels pushed out of range; every message with the CRC-32 of the top 10 levels;
// prices and quantities written as JSON numbers at full precision), `trade` (taker side),
// `ticker`, `ohlc`. REST: `/0/public/AssetPairs` and `/0/public/OHLC`. The market is the shared
// generated market and the server the simulator core (test/sim/core), which brings the shared
// faults; Kraken adds `checksum` (the next book message carries a wrong checksum). A `gap`
// withholds a book update that changes the top 10 (so that its checksum tells).

import type http from 'node:http';
import zlib from 'node:zlib';
import { timeframeMs } from '../../../app/core/timeframes.js';
import { GeneratedMarket, type SimInstrument } from '../core/market.js';
import { SimServer, type FaultOptions, type SimConnection } from '../core/server.js';

export type KrakenFault = 'checksum';

export type { FaultOptions };

export interface KrakenSimOptions {
  readonly port?: number;
  readonly tickMs?: number;
  readonly seed?: number;
  /** Keep each book's recent windows by the time of their message (see `bookAt`). */
  readonly trackBooks?: boolean;
  readonly maxBufferedBytes?: number;
}

interface SimPair {
  readonly symbol: string;
  /** REST names. */
  readonly rest: string;
  readonly altname: string;
  readonly wsname: string;
  readonly price: number;
  readonly tick: string;
  readonly priceDecimals: number;
}

export const KRAKEN_PAIRS: readonly SimPair[] = [
  { symbol: 'BTC/USD', rest: 'XXBTZUSD', altname: 'XBTUSD', wsname: 'XBT/USD', price: 64015, tick: '0.1', priceDecimals: 1 },
  { symbol: 'ETH/USD', rest: 'XETHZUSD', altname: 'ETHUSD', wsname: 'ETH/USD', price: 3098, tick: '0.01', priceDecimals: 2 },
  { symbol: 'SOL/USD', rest: 'SOLUSD', altname: 'SOLUSD', wsname: 'SOL/USD', price: 143, tick: '0.01', priceDecimals: 2 },
];

const DEPTHS = [10, 25, 100, 500, 1000];
const INTERVALS: Readonly<Record<number, string>> = { 1: '1m', 5: '5m', 15: '15m', 30: '30m', 60: '1H', 240: '4H', 1440: '1D', 10080: '1W' };
const HISTORY_KEPT = 256;

interface Window {
  bids: Map<string, string>;
  asks: Map<string, string>;
  readonly history: Map<number, { bids: string[]; asks: string[] }> | undefined;
}

interface Conn extends SimConnection<'v2'> {
  /** `book:SYM` (depth kept apart), `trade:SYM`, `ticker:SYM`, `ohlc-<i>:SYM`. */
  readonly subs: Set<string>;
  readonly depths: Map<string, number>;
  corruptChecksum: boolean;
}

/** Kraken's checksum string of a level: `.` removed, leading zeros stripped. */
function digits(decimal: string): string {
  return decimal.replace('.', '').replace(/^0+/, '');
}

export function simKrakenChecksum(asks: readonly string[][], bids: readonly string[][]): number {
  let text = '';
  for (const [p, q] of asks.slice(0, 10)) text += digits(p ?? '') + digits(q ?? '');
  for (const [p, q] of bids.slice(0, 10)) text += digits(p ?? '') + digits(q ?? '');
  return zlib.crc32(text) >>> 0;
}

function levelsJson(levels: readonly string[][]): string {
  // Numbers at full precision, as Kraken writes them (JSON.stringify would drop trailing zeros).
  return `[${levels.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}]`;
}

function sorted(side: Map<string, string>, which: 'bid' | 'ask'): string[][] {
  const levels = [...side.entries()].map(([p, q]) => [p, q]);
  levels.sort((x, y) => (which === 'bid' ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return levels;
}

export class KrakenSimulator extends SimServer<'v2', Conn, KrakenFault> {
  private readonly markets = new Map<string, GeneratedMarket>();
  private readonly windows = new Map<string, Window>();
  private readonly seed: number;
  private readonly trackBooks: boolean;
  private tradeId = 70_000_000;
  private lastBookTs = 0;

  private constructor(options: KrakenSimOptions) {
    super({
      tickMs: options.tickMs ?? 100,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      slowReaderClose: [1008, 'slow reader'],
      routes: { '/v2': 'v2' },
    });
    this.seed = options.seed ?? 53;
    this.trackBooks = options.trackBooks ?? false;
  }

  static async start(options: KrakenSimOptions = {}): Promise<KrakenSimulator> {
    const sim = new KrakenSimulator(options);
    await sim.listen(options.port);
    return sim;
  }

  get wsUrl(): string {
    return `${this.wsBase}/v2`;
  }

  /** The book window of `symbol` at `depth` as of the message stamped `ms` (trackBooks only). */
  bookAt(symbol: string, ms: number, depth = 500): { bids: string[]; asks: string[] } | undefined {
    return this.windows.get(`${symbol}|${depth}`)?.history?.get(ms);
  }

  // ----- the codec -----

  protected createConnection(base: SimConnection<'v2'>): Conn {
    return Object.assign(base, { subs: new Set<string>(), depths: new Map<string, number>(), corruptChecksum: false });
  }

  protected subscribedTo(c: Conn, symbol: string): boolean {
    for (const key of c.subs) if (key.endsWith(`:${symbol}`)) return true;
    return false;
  }

  protected wants(c: Conn, key: string): boolean {
    return c.subs.has(key);
  }

  protected muteKeys(c: Conn, symbol: string | undefined, stream: string | undefined): string[] {
    return [...c.subs].filter((k) => (symbol === undefined || k.endsWith(`:${symbol}`)) && k.startsWith(`${stream ?? 'book'}`));
  }

  protected malformedFrame(symbol: string | undefined): string {
    return `{"channel":"book","type":"update","data":[{"symbol":"${symbol ?? 'BTC/USD'}","bids":[{"price":`;
  }

  protected floodFrames(c: Conn): string[] {
    return [...c.subs]
      .filter((k) => k.startsWith('ticker:'))
      .map((k) =>
        JSON.stringify({
          channel: 'ticker',
          type: 'update',
          data: [{ symbol: k.slice(7), bid: 1, bid_qty: 1, ask: 1, ask_qty: 1, last: 1, volume: 1, vwap: 1, low: 1, high: 1, change: 0, change_pct: 0 }],
        }),
      );
  }

  protected venueFault(c: Conn, kind: KrakenFault): void {
    if (kind === 'checksum') c.corruptChecksum = true;
  }

  protected onMessage(conn: Conn, text: string): void {
    let request: { method?: unknown; params?: unknown; req_id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.send(conn, { error: 'Malformed request', method: 'error', success: false, time_in: new Date().toISOString(), time_out: new Date().toISOString() });
      return;
    }
    const reqId = typeof request.req_id === 'number' ? request.req_id : undefined;
    const times = { time_in: new Date().toISOString(), time_out: new Date().toISOString() };
    if (request.method === 'ping') {
      if (!conn.stalled) this.send(conn, { method: 'pong', ...(reqId === undefined ? {} : { req_id: reqId }), ...times });
      return;
    }
    const method = request.method;
    const params = request.params as { channel?: unknown; symbol?: unknown; depth?: unknown; interval?: unknown; snapshot?: unknown } | undefined;
    if ((method !== 'subscribe' && method !== 'unsubscribe') || params === undefined || typeof params.channel !== 'string' || !Array.isArray(params.symbol)) {
      this.send(conn, { error: 'Malformed request', method: String(method), success: false, ...times, ...(reqId === undefined ? {} : { req_id: reqId }) });
      return;
    }
    const channel = params.channel;
    const symbols = (params.symbol as unknown[]).filter((s): s is string => typeof s === 'string');
    const depth = typeof params.depth === 'number' ? params.depth : 10;
    const interval = typeof params.interval === 'number' ? params.interval : 1;
    for (const symbol of symbols) {
      const refuse = (error: string): void =>
        this.send(conn, { error, method, success: false, symbol, ...times, ...(reqId === undefined ? {} : { req_id: reqId }) });
      if (this.takeThrottle(method)) {
        refuse('Exceeded msg rate');
        continue;
      }
      if (!KRAKEN_PAIRS.some((p) => p.symbol === symbol)) {
        refuse(`Currency pair not supported ${symbol}`);
        continue;
      }
      if (
        (channel === 'book' && !DEPTHS.includes(depth)) ||
        (channel === 'ohlc' && INTERVALS[interval] === undefined) ||
        !['book', 'trade', 'ticker', 'ohlc'].includes(channel)
      ) {
        refuse(`Invalid params for ${channel}`);
        continue;
      }
      const key = channel === 'ohlc' ? `ohlc-${interval}:${symbol}` : `${channel}:${symbol}`;
      const result = { channel, symbol, ...(channel === 'book' ? { depth } : {}), ...(channel === 'ohlc' ? { interval } : {}) };
      if (method === 'unsubscribe') {
        if (this.takeIgnoredUnsubscribe(conn)) continue;
        conn.subs.delete(key);
        conn.muted.delete(key);
        this.send(conn, { method, result, success: true, ...times, ...(reqId === undefined ? {} : { req_id: reqId }) });
        continue;
      }
      if (conn.subs.has(key)) {
        refuse('Already subscribed');
        continue;
      }
      conn.subs.add(key);
      if (channel === 'book') conn.depths.set(symbol, depth);
      this.send(conn, {
        method,
        result: { ...result, snapshot: params.snapshot !== false },
        success: true,
        ...times,
        ...(reqId === undefined ? {} : { req_id: reqId }),
      });
      if (params.snapshot !== false || channel === 'ticker') this.sendInitial(conn, channel, symbol, depth, interval);
    }
  }

  private sendInitial(conn: Conn, channel: string, symbol: string, depth: number, interval: number): void {
    const now = Date.now();
    const market = this.market(symbol);
    if (channel === 'book') {
      const window = this.window(symbol, depth);
      const bids = sorted(window.bids, 'bid');
      const asks = sorted(window.asks, 'ask');
      const ts = this.bookTime(now);
      this.remember(window, ts);
      this.send(
        conn,
        `{"channel":"book","type":"snapshot","data":[{"symbol":"${symbol}","bids":${levelsJson(bids)},"asks":${levelsJson(asks)},"checksum":${simKrakenChecksum(asks, bids)},"timestamp":"${new Date(ts).toISOString()}"}]}`,
      );
    } else if (channel === 'ticker') {
      this.send(conn, { channel: 'ticker', type: 'snapshot', data: [this.ticker(symbol, market, now)] });
    } else if (channel === 'trade') {
      this.send(conn, { channel: 'trade', type: 'snapshot', data: [] });
    } else if (channel === 'ohlc') {
      const timeframe = INTERVALS[interval] ?? '1m';
      const rows = market.history(timeframe, 20, now).reverse();
      this.send(conn, { channel: 'ohlc', type: 'snapshot', data: rows.map((r) => this.bar(symbol, r, interval, now)) });
    }
  }

  // ----- market -----

  private market(symbol: string): GeneratedMarket {
    let market = this.markets.get(symbol);
    if (market === undefined) {
      const info = KRAKEN_PAIRS.find((p) => p.symbol === symbol);
      if (info === undefined) throw new Error(`unknown pair ${symbol}`);
      const instrument: SimInstrument = { instId: symbol, instType: 'SPOT', price: info.price, tickSz: info.tick, lotSz: '0.00000001' };
      market = new GeneratedMarket(instrument, this.seed + this.markets.size * 7919, 'zero');
      this.markets.set(symbol, market);
    }
    return market;
  }

  private window(symbol: string, depth: number): Window {
    const key = `${symbol}|${depth}`;
    let window = this.windows.get(key);
    if (window === undefined) {
      const market = this.market(symbol);
      window = { bids: new Map(), asks: new Map(), history: this.trackBooks ? new Map() : undefined };
      for (const [p, q] of market.sorted('bid').slice(0, depth)) window.bids.set(p, q);
      for (const [p, q] of market.sorted('ask').slice(0, depth)) window.asks.set(p, q);
      this.windows.set(key, window);
    }
    return window;
  }

  /** A distinct millisecond for every book message (the book's id in tests). */
  private bookTime(now: number): number {
    this.lastBookTs = Math.max(now, this.lastBookTs + 1);
    return this.lastBookTs;
  }

  private remember(window: Window, ts: number): void {
    const history = window.history;
    if (history === undefined) return;
    history.set(ts, { bids: sorted(window.bids, 'bid').map(([p, q]) => `${p}:${q}`), asks: sorted(window.asks, 'ask').map(([p, q]) => `${p}:${q}`) });
    if (history.size > HISTORY_KEPT) {
      const oldest = history.keys().next();
      if (oldest.done !== true) history.delete(oldest.value);
    }
  }

  private ticker(symbol: string, market: GeneratedMarket, now: number): Record<string, unknown> {
    const t = market.ticker(now);
    const last = Number(t['last']);
    const open = Number(t['open24h']);
    return {
      symbol,
      bid: Number(t['bidPx']),
      bid_qty: Number(t['bidSz']),
      ask: Number(t['askPx']),
      ask_qty: Number(t['askSz']),
      last,
      volume: Number(t['vol24h']),
      vwap: last,
      low: Number(t['low24h']),
      high: Number(t['high24h']),
      change: Number((last - open).toFixed(8)),
      change_pct: open > 0 ? Number((((last - open) / open) * 100).toFixed(2)) : 0,
    };
  }

  private bar(symbol: string, row: string[], interval: number, now: number): Record<string, unknown> {
    const [ts, o, h, l, c, vol] = row;
    return {
      symbol,
      open: Number(o),
      high: Number(h),
      low: Number(l),
      close: Number(c),
      trades: 10,
      volume: Number(vol),
      vwap: Number(c),
      interval_begin: new Date(Number(ts)).toISOString(),
      interval,
      timestamp: new Date(now).toISOString(),
    };
  }

  protected onTick(now: number, live: readonly Conn[]): void {
    const symbols = new Set<string>();
    for (const c of live) for (const key of c.subs) symbols.add(key.slice(key.indexOf(':') + 1));
    const second = (this.ticks * this.tickMs) % 1000 < this.tickMs;
    for (const symbol of symbols) this.tickSymbol(symbol, live, now, second);
    if (second) for (const c of live) if (!c.stalled && c.subs.size > 0) this.send(c, '{"channel":"heartbeat"}');
  }

  private tickSymbol(symbol: string, live: readonly Conn[], now: number, second: boolean): void {
    const market = this.market(symbol);
    const intervals = new Set<number>();
    for (const c of live)
      for (const key of c.subs) if (key.startsWith('ohlc-') && key.endsWith(`:${symbol}`)) intervals.add(Number(key.slice(5, key.indexOf(':'))));
    const out = market.step(
      now,
      [...intervals].map((i) => INTERVALS[i] ?? '1m'),
    );
    const bids = market.sorted('bid');
    const asks = market.sorted('ask');
    const depths = new Set<number>();
    for (const c of live) if (c.subs.has(`book:${symbol}`)) depths.add(c.depths.get(symbol) ?? 10);
    for (const depth of depths) {
      const window = this.window(symbol, depth);
      const topBefore = new Set([...sorted(window.bids, 'bid').slice(0, 10), ...sorted(window.asks, 'ask').slice(0, 10)].map(([p]) => p));
      const b = this.windowDelta(window.bids, bids.slice(0, depth), market, 'bid');
      const a = this.windowDelta(window.asks, asks.slice(0, depth), market, 'ask');
      if (b.length === 0 && a.length === 0) continue;
      const topAfter = new Set([...sorted(window.bids, 'bid').slice(0, 10), ...sorted(window.asks, 'ask').slice(0, 10)].map(([p]) => p));
      const touchesTop = [...b, ...a].some(([p]) => topBefore.has(p ?? '') || topAfter.has(p ?? ''));
      const ts = this.bookTime(now);
      this.remember(window, ts);
      const checksum = simKrakenChecksum(sorted(window.asks, 'ask'), sorted(window.bids, 'bid'));
      const body = (sum: number): string =>
        `{"channel":"book","type":"update","data":[{"symbol":"${symbol}","bids":${levelsJson(b)},"asks":${levelsJson(a)},"checksum":${sum},"timestamp":"${new Date(ts).toISOString()}"}]}`;
      this.broadcast(
        live.filter((c) => (c.depths.get(symbol) ?? 10) === depth),
        `book:${symbol}`,
        (c) => {
          if (touchesTop && this.takeSkippedBook(c, symbol)) return;
          const corrupt = c.corruptChecksum;
          c.corruptChecksum = false;
          this.send(c, body(corrupt ? (checksum + 1) >>> 0 : checksum));
        },
      );
    }
    if (out.trades.length > 0) {
      const data = out.trades.map((t) => ({
        symbol,
        side: t['side'] === 'sell' ? 'sell' : 'buy',
        price: Number(t['px']),
        qty: Number(t['sz']),
        ord_type: 'market',
        trade_id: (this.tradeId += 1),
        timestamp: new Date(now).toISOString(),
      }));
      this.broadcast(live, `trade:${symbol}`, (c) => this.send(c, { channel: 'trade', type: 'update', data }));
      this.broadcast(live, `ticker:${symbol}`, (c) => this.send(c, { channel: 'ticker', type: 'update', data: [this.ticker(symbol, market, now)] }));
    }
    if (second) {
      for (const interval of intervals) {
        const timeframe = INTERVALS[interval] ?? '1m';
        const rows = market.candleRows(now, [timeframe]).get(timeframe) ?? [];
        if (rows.length === 0) continue;
        const data = rows.map((r) => this.bar(symbol, r, interval, now));
        this.broadcast(live, `ohlc-${interval}:${symbol}`, (c) => this.send(c, { channel: 'ohlc', type: 'update', data }));
      }
    }
  }

  /**
   * The window's changes as Kraken sends them: new or changed levels, `0` for levels removed
   * from the book, nothing for levels only pushed out of range; updates `window`.
   */
  private windowDelta(window: Map<string, string>, levels: readonly string[][], market: GeneratedMarket, side: 'bid' | 'ask'): string[][] {
    const out: string[][] = [];
    const next = new Map<string, string>();
    for (const [price, size] of levels) if (price !== undefined && size !== undefined) next.set(price, size);
    for (const [price, size] of next) if (window.get(price) !== size) out.push([price, size]);
    const inBook = new Set(market.sorted(side).map(([p]) => p));
    for (const price of window.keys()) if (!next.has(price) && !inBook.has(price)) out.push([price, '0']);
    window.clear();
    for (const [price, size] of next) window.set(price, size);
    return out;
  }

  // ----- REST -----

  protected onRest(req: http.IncomingMessage, url: URL, reply: (status: number, body: unknown) => void): void {
    if (req.method !== 'GET') return reply(404, { error: ['EGeneral:Unknown method'] });
    if (url.pathname === '/0/public/AssetPairs') {
      const result: Record<string, unknown> = {};
      for (const p of KRAKEN_PAIRS) {
        const [base] = p.wsname.split('/');
        result[p.rest] = {
          altname: p.altname,
          wsname: p.wsname,
          base: base === 'XBT' ? 'XXBT' : base,
          quote: 'ZUSD',
          pair_decimals: p.priceDecimals,
          cost_decimals: 5,
          lot_decimals: 8,
          tick_size: p.tick,
          status: 'online',
        };
      }
      return reply(200, { error: [], result });
    }
    if (url.pathname === '/0/public/OHLC') {
      const asked = (url.searchParams.get('pair') ?? '').toUpperCase();
      const pair = KRAKEN_PAIRS.find((p) => [p.altname, p.rest, p.symbol.replace('/', ''), p.wsname.replace('/', '')].includes(asked));
      if (pair === undefined) return reply(200, { error: ['EQuery:Unknown asset pair'] });
      const interval = Number(url.searchParams.get('interval') ?? '1');
      const timeframe = INTERVALS[interval];
      if (timeframe === undefined) return reply(200, { error: ['EGeneral:Invalid arguments'] });
      const now = Date.now();
      const rows = this.market(pair.symbol).history(timeframe, 720, now).reverse();
      const span = timeframeMs(timeframe) ?? 60_000;
      return reply(200, {
        error: [],
        result: {
          [pair.rest]: rows.map(([ts, o, h, l, c, vol]) => [Math.floor(Number(ts) / 1000), o, h, l, c, c, vol, 10]),
          last: Math.floor((Math.floor(now / span) * span) / 1000),
        },
      });
    }
    return reply(404, { error: ['EGeneral:Unknown method'] });
  }
}
