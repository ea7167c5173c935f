// The loopback Binance simulator: spot and USDⓈ-M futures on 127.0.0.1, speaking Binance's
// protocol — combined streams (`/stream` for spot, `/futures/stream` for futures) with live
// SUBSCRIBE/UNSUBSCRIBE answered `{"result":null,"id":…}` and pushes wrapped as
// `{"stream":…, "data":…}`: `@depth@100ms` diffs (spot `U`/`u`, futures also `pu`), `@aggTrade`,
// `@ticker`, `@bookTicker` (futures), `@kline_<i>`; REST `/api/v3/{depth,exchangeInfo,klines}`
// and `/fapi/v1/…`. The market is the shared generated market and the server the simulator
// core (test/sim/core), which brings the shared faults; Binance adds `shutdown` (the
// `serverShutdown` event, then a close). A throttled request is refused with -1003.

import type http from 'node:http';
import { timeframeMs } from '../../../app/core/timeframes.js';
import { BookHistory, GeneratedMarket, type SimInstrument } from '../core/market.js';
import { SimServer, type FaultOptions, type SimConnection } from '../core/server.js';

type Market = 'spot' | 'futures';

/** Binance's own faults, on top of the simulator core's. */
export type BinanceFault = 'shutdown';

export type { FaultOptions };

export interface BinanceSimOptions {
  readonly port?: number;
  readonly tickMs?: number;
  readonly seed?: number;
  /** Keep each book's recent states by update id (see `bookAt`), for tests that compare books. */
  readonly trackBooks?: boolean;
  /** Close with 1008 when a client's unsent data exceeds this (slow reader). */
  readonly maxBufferedBytes?: number;
  /** Binance pings every 20 s (spot; futures every 3 min) and disconnects without a pong within a minute. */
  readonly serverPing?: { readonly intervalMs: number; readonly timeoutMs: number };
}

interface SimSymbol {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly price: number;
  readonly tick: string;
  readonly step: string;
}

export const BINANCE_SYMBOLS: Readonly<Record<Market, readonly SimSymbol[]>> = {
  spot: [
    { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', price: 64000, tick: '0.01', step: '0.00001' },
    { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', price: 3100, tick: '0.01', step: '0.0001' },
    { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', price: 145, tick: '0.01', step: '0.001' },
    { symbol: 'BNBUSDT', base: 'BNB', quote: 'USDT', price: 580, tick: '0.01', step: '0.001' },
  ],
  futures: [
    { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', price: 64030, tick: '0.1', step: '0.001' },
    { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', price: 3102, tick: '0.01', step: '0.001' },
  ],
};

const INTERVAL_TIMEFRAME: Readonly<Record<string, string>> = {
  '1m': '1m',
  '3m': '3m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '1H',
  '2h': '2H',
  '4h': '4H',
  '6h': '6H',
  '12h': '12H',
  '1d': '1D',
  '1w': '1W',
  '1M': '1M',
};

interface Book {
  readonly market: GeneratedMarket;
  updateId: number;
  readonly history: BookHistory | undefined;
}

interface Conn extends SimConnection<Market> {
  readonly market: Market;
  readonly streams: Set<string>;
}

export class BinanceSimulator extends SimServer<Market, Conn, BinanceFault> {
  private readonly books = new Map<string, Book>();
  private readonly seed: number;
  private readonly trackBooks: boolean;

  private constructor(options: BinanceSimOptions) {
    super({
      tickMs: options.tickMs ?? 100,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      slowReaderClose: [1008, 'slow reader'],
      routes: { '/stream': 'spot', '/futures/stream': 'futures' },
      serverPing: options.serverPing ?? { intervalMs: 20_000, timeoutMs: 60_000 },
      // "WebSocket connections have a limit of 5 incoming messages per second": pings, pongs and requests.
      inboundLimit: { messages: 5, windowMs: 1000 },
    });
    this.seed = options.seed ?? 11;
    this.trackBooks = options.trackBooks ?? false;
  }

  static async start(options: BinanceSimOptions = {}): Promise<BinanceSimulator> {
    const sim = new BinanceSimulator(options);
    await sim.listen(options.port);
    return sim;
  }

  /** The book of `symbol` right after update id `updateId` (`trackBooks` only; recent ids only). */
  bookAt(market: Market, symbol: string, updateId: number): { bids: string[]; asks: string[] } | undefined {
    return this.books.get(`${market}:${symbol}`)?.history?.at(updateId);
  }

  /** Spot: `customParams.wsUrl` (the collector appends `/stream`); futures: `…/futures`. */
  wsUrl(market: Market = 'spot'): string {
    return `${this.wsBase}${market === 'spot' ? '' : '/futures'}`;
  }

  // ----- the codec -----

  protected createConnection(base: SimConnection<Market>): Conn {
    return Object.assign(base, { market: base.route, streams: new Set<string>() });
  }

  protected subscribedTo(c: Conn, symbol: string): boolean {
    const prefix = `${symbol.toLowerCase()}@`;
    for (const stream of c.streams) if (stream.startsWith(prefix)) return true;
    return false;
  }

  protected wants(c: Conn, stream: string): boolean {
    return c.streams.has(stream);
  }

  protected muteKeys(c: Conn, symbol: string | undefined, stream: string | undefined): string[] {
    const s = symbol?.toLowerCase();
    return [...c.streams].filter((x) => (s === undefined || x.startsWith(`${s}@`)) && x.includes(stream ?? '@depth'));
  }

  protected malformedFrame(symbol: string | undefined): string {
    return `{"stream":"${symbol?.toLowerCase() ?? 'btcusdt'}@depth@100ms","data":{"e":"depthUpdate","U":`;
  }

  protected floodFrames(c: Conn): string[] {
    return [...c.streams]
      .filter((x) => x.endsWith('@ticker'))
      .map((stream) =>
        JSON.stringify({
          stream,
          data: { e: '24hrTicker', E: Date.now(), s: stream.split('@')[0]?.toUpperCase(), c: '1', o: '1', h: '1', l: '1', v: '1', q: '1' },
        }),
      );
  }

  protected venueFault(c: Conn, kind: BinanceFault): void {
    if (kind === 'shutdown') {
      this.send(c, { e: 'serverShutdown', E: Date.now() });
      setTimeout(() => c.socket.close(1001, 'server shutdown'), 300).unref();
    }
  }

  protected onMessage(conn: Conn, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.send(conn, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      return;
    }
    const id = request.id ?? null;
    if ((request.method !== 'SUBSCRIBE' && request.method !== 'UNSUBSCRIBE') || !Array.isArray(request.params)) {
      this.send(conn, { error: { code: 1, msg: 'Invalid request' }, id });
      return;
    }
    if (this.takeThrottle(request.method === 'SUBSCRIBE' ? 'subscribe' : 'unsubscribe')) {
      this.send(conn, { error: { code: -1003, msg: 'Too many requests; current limit is 5 requests per second.' }, id });
      return;
    }
    const streams = (request.params as unknown[]).filter((p): p is string => typeof p === 'string');
    for (const stream of streams) {
      const symbol = stream.split('@')[0]?.toUpperCase() ?? '';
      if (!BINANCE_SYMBOLS[conn.market].some((s) => s.symbol === symbol)) {
        this.send(conn, { error: { code: 2, msg: `Invalid request: unknown symbol in stream ${stream}` }, id });
        return;
      }
    }
    if (request.method === 'UNSUBSCRIBE' && this.takeIgnoredUnsubscribe(conn)) return;
    for (const stream of streams) {
      if (request.method === 'SUBSCRIBE') conn.streams.add(stream);
      else {
        conn.streams.delete(stream);
        conn.muted.delete(stream);
      }
    }
    this.send(conn, { result: null, id });
  }

  // ----- market -----

  private book(market: Market, symbol: string): Book {
    const key = `${market}:${symbol}`;
    let book = this.books.get(key);
    if (book === undefined) {
      const info = BINANCE_SYMBOLS[market].find((s) => s.symbol === symbol);
      if (info === undefined) throw new Error(`unknown symbol ${symbol}`);
      // Binance quotes quantities in the base asset on both markets (USDⓈ-M too): sized like spot.
      const instrument: SimInstrument = {
        instId: info.symbol,
        instType: 'SPOT',
        price: info.price,
        tickSz: info.tick,
        lotSz: info.step,
      };
      book = {
        market: new GeneratedMarket(instrument, this.seed + this.books.size * 7919, 'zero'),
        updateId: 1_000_000 + this.books.size * 100_000,
        history: this.trackBooks ? new BookHistory() : undefined,
      };
      book.history?.record(book.updateId, book.market);
      this.books.set(key, book);
    }
    return book;
  }

  protected onTick(now: number, live: readonly Conn[]): void {
    const wanted = new Map<string, { market: Market; symbol: string; streams: Set<string> }>();
    for (const conn of live) {
      for (const stream of conn.streams) {
        const symbol = stream.split('@')[0]?.toUpperCase() ?? '';
        const key = `${conn.market}:${symbol}`;
        const entry = wanted.get(key) ?? { market: conn.market, symbol, streams: new Set<string>() };
        entry.streams.add(stream.slice(stream.indexOf('@') + 1));
        wanted.set(key, entry);
      }
    }
    for (const { market, symbol, streams } of wanted.values()) this.tickSymbol(market, symbol, streams, live, now);
  }

  private tickSymbol(market: Market, symbol: string, kinds: Set<string>, live: readonly Conn[], now: number): void {
    const book = this.book(market, symbol);
    const here = live.filter((c) => c.market === market);
    const timeframes = [...kinds].map((k) => (k.startsWith('kline_') ? INTERVAL_TIMEFRAME[k.slice(6)] : undefined)).filter((t): t is string => t !== undefined);
    const out = book.market.step(now, timeframes);
    const s = symbol.toLowerCase();
    const previous = book.updateId;
    book.updateId += 1 + (this.ticks % 3);
    book.history?.record(book.updateId, book.market);
    const depth = {
      e: 'depthUpdate',
      E: now,
      ...(market === 'futures' ? { T: now } : {}),
      s: symbol,
      U: previous + 1,
      u: book.updateId,
      ...(market === 'futures' ? { pu: previous } : {}),
      b: out.book.bids.map(([p, q]) => [p, q]),
      a: out.book.asks.map(([p, q]) => [p, q]),
    };
    this.broadcast(here, `${s}@depth@100ms`, (c) => {
      if (this.takeSkippedBook(c, symbol)) return;
      this.send(c, { stream: `${s}@depth@100ms`, data: depth });
    });
    for (const t of out.trades) {
      const count = Number(t['count'] ?? 1);
      const last = Number(t['tradeId']);
      const aggTrade = {
        e: 'aggTrade',
        E: now,
        s: symbol,
        a: last,
        p: t['px'],
        q: t['sz'],
        f: last - count + 1,
        l: last,
        T: now,
        m: t['side'] === 'sell',
        M: true,
      };
      this.broadcast(here, `${s}@aggTrade`, (c) => this.send(c, { stream: `${s}@aggTrade`, data: aggTrade }));
    }
    const tk = out.ticker;
    const ticker = {
      e: '24hrTicker',
      E: now,
      s: symbol,
      c: tk['last'],
      Q: tk['lastSz'],
      o: tk['open24h'],
      h: tk['high24h'],
      l: tk['low24h'],
      v: tk['vol24h'],
      q: tk['volCcy24h'],
      ...(market === 'spot' ? { b: tk['bidPx'], B: tk['bidSz'], a: tk['askPx'], A: tk['askSz'] } : {}),
    };
    // The 24 h ticker comes once a second; the best bid/ask (futures) with every change.
    if ((this.ticks * this.tickMs) % 1000 < this.tickMs) this.broadcast(here, `${s}@ticker`, (c) => this.send(c, { stream: `${s}@ticker`, data: ticker }));
    if (market === 'futures' && kinds.has('markPrice@1s') && (this.ticks * this.tickMs) % 1000 < this.tickMs) {
      const d = book.market.derivatives(now);
      const mark = { e: 'markPriceUpdate', E: now, s: symbol, p: d.mark, i: d.index, P: d.mark, r: d.fundingRate, T: d.nextFundingTime };
      this.broadcast(here, `${s}@markPrice@1s`, (c) => this.send(c, { stream: `${s}@markPrice@1s`, data: mark }));
    }
    if (market === 'futures') {
      const bookTicker = { e: 'bookTicker', u: book.updateId, s: symbol, b: tk['bidPx'], B: tk['bidSz'], a: tk['askPx'], A: tk['askSz'], T: now, E: now };
      this.broadcast(here, `${s}@bookTicker`, (c) => this.send(c, { stream: `${s}@bookTicker`, data: bookTicker }));
    }
    if ((this.ticks * this.tickMs) % 1000 < this.tickMs) {
      for (const [timeframe, rows] of book.market.candleRows(now, timeframes)) {
        const interval = Object.entries(INTERVAL_TIMEFRAME).find(([, t]) => t === timeframe)?.[0] ?? '1m';
        for (const [ts, o, h, l, c, vol, , quote, confirm] of rows) {
          const kline = {
            e: 'kline',
            E: now,
            s: symbol,
            k: {
              t: Number(ts),
              T: Number(ts) + (timeframeMs(timeframe) ?? 60_000) - 1,
              s: symbol,
              i: interval,
              o,
              c,
              h,
              l,
              v: vol,
              q: quote,
              x: confirm === '1',
            },
          };
          this.broadcast(here, `${s}@kline_${interval}`, (cn) => this.send(cn, { stream: `${s}@kline_${interval}`, data: kline }));
        }
      }
    }
  }

  // ----- REST -----

  protected onRest(req: http.IncomingMessage, url: URL, reply: (status: number, body: unknown) => void): void {
    const market: Market | undefined = url.pathname.startsWith('/api/v3/') ? 'spot' : url.pathname.startsWith('/fapi/v1/') ? 'futures' : undefined;
    if (req.method !== 'GET' || market === undefined) return reply(404, { code: -1, msg: 'not found' });
    const endpoint = url.pathname.split('/').at(-1);
    const symbol = url.searchParams.get('symbol') ?? '';
    const known = BINANCE_SYMBOLS[market].some((s) => s.symbol === symbol);
    if (endpoint === 'exchangeInfo') {
      return reply(200, {
        timezone: 'UTC',
        symbols: BINANCE_SYMBOLS[market].map((s) => ({
          symbol: s.symbol,
          status: 'TRADING',
          baseAsset: s.base,
          quoteAsset: s.quote,
          ...(market === 'futures' ? { contractType: 'PERPETUAL' } : {}),
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: s.tick, maxPrice: '1000000', tickSize: `${s.tick}000` },
            { filterType: 'LOT_SIZE', minQty: s.step, maxQty: '9000', stepSize: `${s.step}000` },
          ],
        })),
      });
    }
    if (!known) return reply(400, { code: -1121, msg: 'Invalid symbol.' });
    const book = this.book(market, symbol);
    if (endpoint === 'depth') {
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? '100'));
      const snap = book.market.snapshot(Date.now(), limit);
      return reply(200, {
        lastUpdateId: book.updateId,
        ...(market === 'futures' ? { E: Date.now(), T: Date.now() } : {}),
        bids: snap.bids.map(([p, q]) => [p, q]),
        asks: snap.asks.map(([p, q]) => [p, q]),
      });
    }
    if (endpoint === 'openInterest' && market === 'futures') {
      return reply(200, { openInterest: book.market.derivatives(Date.now()).openInterest, symbol, time: Date.now() });
    }
    if (endpoint === 'klines') {
      const interval = url.searchParams.get('interval') ?? '1m';
      const timeframe = INTERVAL_TIMEFRAME[interval];
      if (timeframe === undefined) return reply(400, { code: -1120, msg: 'Invalid interval.' });
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? '500'));
      const rows = book.market.history(timeframe, limit, Date.now()).reverse();
      const span = timeframeMs(timeframe) ?? 60_000;
      return reply(
        200,
        rows.map(([ts, o, h, l, c, vol, , quote]) => [Number(ts), o, h, l, c, vol, Number(ts) + span - 1, quote, 10, '0', '0', '0']),
      );
    }
    return reply(404, { code: -1, msg: 'not found' });
  }
}
