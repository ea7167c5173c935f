// The loopback Bybit v5 simulator: linear perpetuals and spot on 127.0.0.1, speaking Bybit's
// public protocol — `/v5/public/linear` and `/v5/public/spot` with `{"req_id","op","args"}`
// requests answered `{"success","ret_msg","conn_id","req_id","op"}` (spot takes at most 10
// topics per request; an unknown symbol refuses the request with `Invalid symbol :[topic]`),
// JSON ping/pong in each market's shape, and pushes: `orderbook.{50,200,1000}` as a snapshot
// on subscribe then deltas of the top-`depth` window with `u` +1 per message (levels that leave
// the window are deleted), `publicTrade` (taker side), `tickers` (linear: snapshot then partial
// deltas; spot: snapshots), `kline.{interval}` with `confirm`; REST
// `/v5/market/{instruments-info,kline}`. The market is the shared generated market and the
// server the simulator core (test/sim/core), which brings the shared faults; Bybit adds
// `restart` (the book service restarts: the next push is a snapshot with `u = 1`).
// A throttled request is refused with "Too many requests" (Bybit documents no code for it).

import type http from 'node:http';
import { timeframeMs } from '../../../app/core/timeframes.js';
import { GeneratedMarket, type SimInstrument } from '../core/market.js';
import { SimServer, type FaultOptions, type SimConnection } from '../core/server.js';

type Market = 'linear' | 'spot';

export type BybitFault = 'restart';

export type { FaultOptions };

export interface BybitSimOptions {
  readonly port?: number;
  readonly tickMs?: number;
  readonly seed?: number;
  /** Keep each book's recent states by `u` (see `bookAt`), for tests that compare books. */
  readonly trackBooks?: boolean;
  readonly maxBufferedBytes?: number;
}

interface SimSymbol {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly price: number;
  readonly tick: string;
  readonly step: string;
}

export const BYBIT_SYMBOLS: Readonly<Record<Market, readonly SimSymbol[]>> = {
  linear: [
    { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', price: 64010, tick: '0.10', step: '0.001' },
    { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', price: 3101, tick: '0.01', step: '0.01' },
    { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', price: 145, tick: '0.010', step: '0.1' },
  ],
  spot: [
    { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', price: 64005, tick: '0.01', step: '0.000001' },
    { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', price: 3100, tick: '0.01', step: '0.00001' },
  ],
};

const DEPTHS = [1, 50, 200, 1000];
const INTERVAL_TIMEFRAME: Readonly<Record<string, string>> = {
  '1': '1m',
  '3': '3m',
  '5': '5m',
  '15': '15m',
  '30': '30m',
  '60': '1H',
  '120': '2H',
  '240': '4H',
  '360': '6H',
  '720': '12H',
  D: '1D',
  W: '1W',
  M: '1M',
};

/** One order-book topic's state: the window last pushed and its update id. */
interface BookTopic {
  u: number;
  bids: Map<string, string>;
  asks: Map<string, string>;
  /** Recent windows by `u` (`trackBooks`). */
  readonly history: Map<number, { bids: string[]; asks: string[] }> | undefined;
}

interface SymbolState {
  readonly market: GeneratedMarket;
  readonly topics: Map<number, BookTopic>;
  readonly info: SimSymbol;
}

interface Conn extends SimConnection<Market> {
  readonly market: Market;
  readonly topics: Set<string>;
  pings: number;
}

const HISTORY_KEPT = 512;

export class BybitSimulator extends SimServer<Market, Conn, BybitFault> {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly seed: number;
  private readonly trackBooks: boolean;
  private seq = 5_000_000_000;

  private constructor(options: BybitSimOptions) {
    super({
      tickMs: options.tickMs ?? 100,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      slowReaderClose: [1008, 'slow reader'],
      routes: { '/v5/public/linear': 'linear', '/v5/public/spot': 'spot' },
    });
    this.seed = options.seed ?? 23;
    this.trackBooks = options.trackBooks ?? false;
  }

  static async start(options: BybitSimOptions = {}): Promise<BybitSimulator> {
    const sim = new BybitSimulator(options);
    await sim.listen(options.port);
    return sim;
  }

  /** The WebSocket base a collector appends `/v5/public/<category>` to. */
  get wsUrl(): string {
    return this.wsBase;
  }

  /** The `depth` window of `symbol` right after update `u` (`trackBooks` only; recent ids only). */
  bookAt(market: Market, symbol: string, u: number, depth = 200): { bids: string[]; asks: string[] } | undefined {
    return this.symbols.get(`${market}:${symbol}`)?.topics.get(depth)?.history?.get(u);
  }

  // ----- the codec -----

  protected createConnection(base: SimConnection<Market>): Conn {
    return Object.assign(base, { market: base.route, topics: new Set<string>(), pings: 0 });
  }

  protected subscribedTo(c: Conn, symbol: string): boolean {
    for (const topic of c.topics) if (topic.endsWith(`.${symbol}`)) return true;
    return false;
  }

  protected wants(c: Conn, topic: string): boolean {
    return c.topics.has(topic);
  }

  protected muteKeys(c: Conn, symbol: string | undefined, stream: string | undefined): string[] {
    return [...c.topics].filter((t) => (symbol === undefined || t.endsWith(`.${symbol}`)) && t.startsWith(stream ?? 'orderbook.'));
  }

  protected malformedFrame(symbol: string | undefined): string {
    return `{"topic":"orderbook.200.${symbol ?? 'BTCUSDT'}","type":"delta","ts":${Date.now()},"data":{"s":`;
  }

  protected floodFrames(c: Conn): string[] {
    return [...c.topics]
      .filter((t) => t.startsWith('tickers.'))
      .map((topic) => JSON.stringify({ topic, type: 'snapshot', ts: Date.now(), data: { symbol: topic.slice(8), lastPrice: '1', volume24h: '1' } }));
  }

  protected venueFault(c: Conn, kind: BybitFault, symbol: string | undefined): void {
    if (kind !== 'restart') return;
    for (const [key, state] of this.symbols) {
      if (!key.startsWith(`${c.market}:`) || (symbol !== undefined && state.info.symbol !== symbol)) continue;
      for (const topic of state.topics.values()) topic.u = 0;
    }
  }

  protected onMessage(conn: Conn, text: string): void {
    let request: { req_id?: unknown; op?: unknown; args?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.send(conn, { success: false, ret_msg: 'Invalid request: not JSON', conn_id: conn.id, op: '' });
      return;
    }
    const reqId = typeof request.req_id === 'string' ? request.req_id : '';
    const op = request.op;
    if (op === 'ping') {
      conn.pings += 1;
      if (conn.stalled) return;
      // The two markets answer in different shapes.
      if (conn.market === 'spot') this.send(conn, { req_id: reqId, op: 'pong', args: [String(Date.now())], conn_id: conn.id });
      else this.send(conn, { success: true, ret_msg: 'pong', conn_id: conn.id, req_id: reqId, op: 'ping' });
      return;
    }
    if ((op !== 'subscribe' && op !== 'unsubscribe') || !Array.isArray(request.args)) {
      this.send(conn, { success: false, ret_msg: `Invalid op: ${String(op)}`, conn_id: conn.id, req_id: reqId, op: String(op) });
      return;
    }
    const reply = (success: boolean, message: string): void =>
      this.send(conn, { success, ret_msg: message === '' && conn.market === 'spot' && success ? op : message, conn_id: conn.id, req_id: reqId, op });
    if (this.takeThrottle(op)) return reply(false, 'Too many requests, please try again later');
    const topics = (request.args as unknown[]).filter((a): a is string => typeof a === 'string');
    if (conn.market === 'spot' && topics.length > 10) return reply(false, `args size >10`);
    const invalid = topics.filter((t) => !this.validTopic(conn.market, t));
    if (invalid.length > 0) return reply(false, `Invalid symbol :[${invalid.join(',')}]`);
    if (op === 'unsubscribe') {
      if (this.takeIgnoredUnsubscribe(conn)) return;
      for (const topic of topics) {
        conn.topics.delete(topic);
        conn.muted.delete(topic);
      }
      return reply(true, '');
    }
    const already = topics.filter((t) => conn.topics.has(t));
    if (already.length > 0) return reply(false, `error:already subscribed,topic:${already.join(',')}`);
    for (const topic of topics) conn.topics.add(topic);
    reply(true, '');
    // A book starts with its snapshot; a linear ticker with its full state.
    for (const topic of topics) this.sendInitial(conn, topic);
  }

  private validTopic(market: Market, topic: string): boolean {
    const parts = topic.split('.');
    const symbol = parts.at(-1) ?? '';
    if (!BYBIT_SYMBOLS[market].some((s) => s.symbol === symbol)) return false;
    if (parts[0] === 'orderbook') return parts.length === 3 && DEPTHS.includes(Number(parts[1]));
    if (parts[0] === 'kline') return parts.length === 3 && INTERVAL_TIMEFRAME[parts[1] ?? ''] !== undefined;
    return parts.length === 2 && (parts[0] === 'publicTrade' || parts[0] === 'tickers');
  }

  private sendInitial(conn: Conn, topic: string): void {
    const parts = topic.split('.');
    const state = this.state(conn.market, parts.at(-1) ?? '');
    if (parts[0] === 'orderbook') {
      const book = this.bookTopic(state, Number(parts[1]));
      this.send(conn, this.bookFrame(topic, 'snapshot', state, book, sortedLevels(book.bids, 'bid'), sortedLevels(book.asks, 'ask')));
    } else if (parts[0] === 'tickers') {
      this.send(conn, { topic, type: 'snapshot', ts: Date.now(), cs: (this.seq += 1), data: this.tickerFields(conn.market, state) });
    }
  }

  // ----- market -----

  private state(market: Market, symbol: string): SymbolState {
    const key = `${market}:${symbol}`;
    let state = this.symbols.get(key);
    if (state === undefined) {
      const info = BYBIT_SYMBOLS[market].find((s) => s.symbol === symbol);
      if (info === undefined) throw new Error(`unknown symbol ${symbol}`);
      // Bybit sizes linear contracts in the base coin, like spot.
      const instrument: SimInstrument = { instId: info.symbol, instType: 'SPOT', price: info.price, tickSz: info.tick, lotSz: info.step };
      state = { market: new GeneratedMarket(instrument, this.seed + this.symbols.size * 7919, 'zero'), topics: new Map(), info };
      this.symbols.set(key, state);
    }
    return state;
  }

  private bookTopic(state: SymbolState, depth: number): BookTopic {
    let topic = state.topics.get(depth);
    if (topic === undefined) {
      topic = { u: 10_000_000 + state.topics.size * 1_000_000, bids: new Map(), asks: new Map(), history: this.trackBooks ? new Map() : undefined };
      for (const [p, q] of state.market.sorted('bid').slice(0, depth)) topic.bids.set(p, q);
      for (const [p, q] of state.market.sorted('ask').slice(0, depth)) topic.asks.set(p, q);
      this.remember(topic);
      state.topics.set(depth, topic);
    }
    return topic;
  }

  private remember(topic: BookTopic): void {
    const history = topic.history;
    if (history === undefined) return;
    history.set(topic.u, {
      bids: sortedLevels(topic.bids, 'bid').map(([p, q]) => `${p}:${q}`),
      asks: sortedLevels(topic.asks, 'ask').map(([p, q]) => `${p}:${q}`),
    });
    if (history.size > HISTORY_KEPT) {
      const oldest = history.keys().next();
      if (oldest.done !== true) history.delete(oldest.value);
    }
  }

  private bookFrame(topic: string, type: 'snapshot' | 'delta', state: SymbolState, book: BookTopic, b: string[][], a: string[][]): object {
    const now = Date.now();
    return { topic, type, ts: now, data: { s: state.info.symbol, b, a, u: book.u, seq: (this.seq += 1) }, cts: now - 1 };
  }

  private tickerFields(market: Market, state: SymbolState): Record<string, string> {
    const t = state.market.ticker(Date.now());
    const common = {
      symbol: state.info.symbol,
      lastPrice: t['last'] ?? '0',
      prevPrice24h: t['open24h'] ?? '0',
      highPrice24h: t['high24h'] ?? '0',
      lowPrice24h: t['low24h'] ?? '0',
      volume24h: t['vol24h'] ?? '0',
      turnover24h: t['volCcy24h'] ?? '0',
    };
    if (market === 'spot') return common;
    // Linear contracts: mark, index, funding and open interest (in the base coin), as in the capture.
    const d = state.market.derivatives(Date.now());
    return {
      ...common,
      bid1Price: t['bidPx'] ?? '',
      bid1Size: t['bidSz'] ?? '',
      ask1Price: t['askPx'] ?? '',
      ask1Size: t['askSz'] ?? '',
      markPrice: d.mark,
      indexPrice: d.index,
      openInterest: d.openInterest,
      openInterestValue: (Number(d.openInterest) * Number(d.mark)).toFixed(2),
      fundingRate: d.fundingRate,
      nextFundingTime: String(d.nextFundingTime),
      fundingIntervalHour: '8',
    };
  }

  protected onTick(now: number, live: readonly Conn[]): void {
    const wanted = new Map<string, { market: Market; symbol: string; topics: Set<string> }>();
    for (const conn of live) {
      for (const topic of conn.topics) {
        const symbol = topic.split('.').at(-1) ?? '';
        const key = `${conn.market}:${symbol}`;
        const entry = wanted.get(key) ?? { market: conn.market, symbol, topics: new Set<string>() };
        entry.topics.add(topic);
        wanted.set(key, entry);
      }
    }
    for (const { market, symbol, topics } of wanted.values()) this.tickSymbol(market, symbol, topics, live, now);
  }

  private tickSymbol(market: Market, symbol: string, topics: Set<string>, live: readonly Conn[], now: number): void {
    const state = this.state(market, symbol);
    const here = live.filter((c) => c.market === market);
    const timeframes = [...topics].filter((t) => t.startsWith('kline.')).map((t) => INTERVAL_TIMEFRAME[t.split('.')[1] ?? ''] ?? '1m');
    const out = state.market.step(now, timeframes);
    const bids = state.market.sorted('bid');
    const asks = state.market.sorted('ask');
    for (const topic of topics) {
      if (!topic.startsWith('orderbook.')) continue;
      const depth = Number(topic.split('.')[1]);
      const book = this.bookTopic(state, depth);
      const restart = book.u === 0;
      const b = windowDelta(book.bids, bids.slice(0, depth));
      const a = windowDelta(book.asks, asks.slice(0, depth));
      if (!restart && b.length === 0 && a.length === 0) continue;
      book.u += 1;
      this.remember(book);
      // After a restart (`u = 1`) the message is the whole book.
      const frame = restart
        ? this.bookFrame(topic, 'snapshot', state, book, sortedLevels(book.bids, 'bid'), sortedLevels(book.asks, 'ask'))
        : this.bookFrame(topic, 'delta', state, book, b, a);
      this.broadcast(here, topic, (c) => {
        if (!restart && this.takeSkippedBook(c, symbol)) return;
        this.send(c, frame);
      });
    }
    if (out.trades.length > 0) {
      const topic = `publicTrade.${symbol}`;
      const data = out.trades.map((t) => ({
        T: now,
        s: symbol,
        S: t['side'] === 'sell' ? 'Sell' : 'Buy',
        v: t['sz'],
        p: t['px'],
        i: String(t['tradeId']),
        BT: false,
        RPI: false,
        seq: (this.seq += 1),
      }));
      this.broadcast(here, topic, (c) => this.send(c, { topic, type: 'snapshot', ts: now, data }));
    }
    const tickerTopic = `tickers.${symbol}`;
    if (market === 'linear') {
      // Partial deltas: only the best bid/ask, and every second the rest.
      const fields = this.tickerFields(market, state);
      const everySecond = (this.ticks * this.tickMs) % 1000 < this.tickMs;
      const data = everySecond
        ? fields
        : { symbol, bid1Price: fields['bid1Price'], bid1Size: fields['bid1Size'], ask1Price: fields['ask1Price'], ask1Size: fields['ask1Size'] };
      this.broadcast(here, tickerTopic, (c) => this.send(c, { topic: tickerTopic, type: 'delta', data, cs: (this.seq += 1), ts: now }));
    } else if ((this.ticks * this.tickMs) % 500 < this.tickMs) {
      this.broadcast(here, tickerTopic, (c) =>
        this.send(c, { topic: tickerTopic, ts: now, type: 'snapshot', cs: (this.seq += 1), data: this.tickerFields(market, state) }),
      );
    }
    if ((this.ticks * this.tickMs) % 1000 < this.tickMs) {
      for (const [timeframe, rows] of state.market.candleRows(now, timeframes)) {
        const interval = Object.entries(INTERVAL_TIMEFRAME).find(([, t]) => t === timeframe)?.[0] ?? '1';
        const topic = `kline.${interval}.${symbol}`;
        const span = timeframeMs(timeframe) ?? 60_000;
        const data = rows.map(([ts, o, h, l, c, vol, , quote, confirm]) => ({
          start: Number(ts),
          end: Number(ts) + span - 1,
          interval,
          open: o,
          close: c,
          high: h,
          low: l,
          volume: vol,
          turnover: quote,
          confirm: confirm === '1',
          timestamp: now,
        }));
        this.broadcast(here, topic, (cn) => this.send(cn, { topic, data, ts: now, type: 'snapshot' }));
      }
    }
  }

  // ----- REST -----

  protected onRest(req: http.IncomingMessage, url: URL, reply: (status: number, body: unknown) => void): void {
    const ok = (result: unknown): void => reply(200, { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: Date.now() });
    const refuse = (code: number, message: string): void => reply(200, { retCode: code, retMsg: message, result: {}, retExtInfo: {}, time: Date.now() });
    if (req.method !== 'GET' || !url.pathname.startsWith('/v5/market/')) return reply(404, { retCode: 404, retMsg: 'not found' });
    const category = url.searchParams.get('category');
    if (category !== 'linear' && category !== 'spot') return refuse(10001, 'params error: category is invalid');
    const endpoint = url.pathname.slice('/v5/market/'.length);
    if (endpoint === 'instruments-info') {
      return ok({
        category,
        list: BYBIT_SYMBOLS[category].map((s) =>
          category === 'spot'
            ? {
                symbol: s.symbol,
                baseCoin: s.base,
                quoteCoin: s.quote,
                status: 'Trading',
                lotSizeFilter: { basePrecision: s.step, quotePrecision: '0.0000001' },
                priceFilter: { tickSize: s.tick },
              }
            : {
                symbol: s.symbol,
                contractType: 'LinearPerpetual',
                status: 'Trading',
                baseCoin: s.base,
                quoteCoin: s.quote,
                priceFilter: { minPrice: s.tick, maxPrice: '1999999.80', tickSize: s.tick },
                lotSizeFilter: { maxOrderQty: '1190', minOrderQty: s.step, qtyStep: s.step },
              },
        ),
        nextPageCursor: '',
      });
    }
    if (endpoint === 'kline') {
      const symbol = url.searchParams.get('symbol') ?? '';
      if (!BYBIT_SYMBOLS[category].some((s) => s.symbol === symbol)) return refuse(10001, 'params error: symbol invalid');
      const timeframe = INTERVAL_TIMEFRAME[url.searchParams.get('interval') ?? ''];
      if (timeframe === undefined) return refuse(10001, 'params error: interval invalid');
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? '200'));
      // Newest first, as Bybit lists them.
      const rows = this.state(category, symbol).market.history(timeframe, limit, Date.now());
      return ok({ symbol, category, list: rows.map(([ts, o, h, l, c, vol, , quote]) => [ts, o, h, l, c, vol, quote]) });
    }
    return reply(404, { retCode: 404, retMsg: 'not found' });
  }
}

/** The window's changes (new or changed levels, and `"0"` for levels that left it); updates `window`. */
function windowDelta(window: Map<string, string>, levels: readonly string[][]): string[][] {
  const out: string[][] = [];
  const next = new Map<string, string>();
  for (const [price, size] of levels) if (price !== undefined && size !== undefined) next.set(price, size);
  for (const [price, size] of next) if (window.get(price) !== size) out.push([price, size]);
  for (const price of window.keys()) if (!next.has(price)) out.push([price, '0']);
  window.clear();
  for (const [price, size] of next) window.set(price, size);
  return out;
}

function sortedLevels(side: Map<string, string>, which: 'bid' | 'ask'): string[][] {
  const levels = [...side.entries()].map(([p, q]) => [p, q]);
  levels.sort((x, y) => (which === 'bid' ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return levels;
}
