// The loopback Coinbase Advanced Trade simulator on 127.0.0.1, speaking its public market-data
// protocol: one channel per request (`{"type":"subscribe","product_ids":[…],"channel":…}`),
// the connection's full list of subscriptions sent after every change, refusals as
// `{"type":"error","message":…,"reason":…}`, and `sequence_num` counted per connection across
// every channel (a withheld frame still uses its number, as a lost one would). Channels:
// `level2` (sent as `l2_data`: the whole book, then absolute updates, sides bid/offer),
// `market_trades` (recent trades, then live ones; `side` is the maker's), `ticker`, `candles`
// (5-minute bars), `heartbeats` (every second). A connection that subscribes to nothing within
// `subscribeWithinMs` is closed. REST: `/api/v3/brokerage/market/products` and
// `…/products/{id}/candles`. The market is the shared generated market and the server the
// simulator core (test/sim/core), which brings the shared faults.

import type http from 'node:http';
import { timeframeMs } from '../../../app/core/timeframes.js';
import { GeneratedMarket, type SimInstrument } from '../core/market.js';
import { SimServer, type FaultOptions, type SimConnection } from '../core/server.js';

export type { FaultOptions };

export interface CoinbaseSimOptions {
  readonly port?: number;
  readonly tickMs?: number;
  readonly seed?: number;
  /** Keep each connection's recent books by `sequence_num` (see `bookAt`). */
  readonly trackBooks?: boolean;
  readonly maxBufferedBytes?: number;
  /** Close a connection that has not subscribed within this time (Coinbase: a few seconds). */
  readonly subscribeWithinMs?: number;
}

interface SimProduct {
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  readonly price: number;
  readonly tick: string;
  readonly step: string;
}

export const COINBASE_PRODUCTS: readonly SimProduct[] = [
  { id: 'BTC-USD', base: 'BTC', quote: 'USD', price: 64020, tick: '0.01', step: '0.00000001' },
  { id: 'ETH-USD', base: 'ETH', quote: 'USD', price: 3099, tick: '0.01', step: '0.00000001' },
  { id: 'SOL-USD', base: 'SOL', quote: 'USD', price: 144, tick: '0.01', step: '0.00000001' },
];

const CHANNELS = ['level2', 'market_trades', 'ticker', 'ticker_batch', 'candles', 'heartbeats', 'status'];
const GRANULARITY_TIMEFRAME: Readonly<Record<string, string>> = {
  ONE_MINUTE: '1m',
  FIVE_MINUTE: '5m',
  FIFTEEN_MINUTE: '15m',
  THIRTY_MINUTE: '30m',
  ONE_HOUR: '1H',
  TWO_HOUR: '2H',
  SIX_HOUR: '6H',
  ONE_DAY: '1D',
};
const HISTORY_KEPT = 256;

interface Conn extends SimConnection<'public'> {
  /** channel → products */
  readonly subs: Map<string, Set<string>>;
  seq: number;
  /** This connection's books by the `sequence_num` of the frame that made them (trackBooks). */
  readonly books: Map<number, { product: string; bids: string[]; asks: string[] }>;
  readonly openedAt: number;
}

export class CoinbaseSimulator extends SimServer<'public', Conn> {
  private readonly markets = new Map<string, GeneratedMarket>();
  private readonly seed: number;
  private readonly trackBooks: boolean;
  private readonly subscribeWithinMs: number;
  private tradeId = 900_000_000;

  private constructor(options: CoinbaseSimOptions) {
    super({
      tickMs: options.tickMs ?? 100,
      maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
      slowReaderClose: [1008, 'slow reader'],
      routes: { '/': 'public' },
    });
    this.seed = options.seed ?? 37;
    this.trackBooks = options.trackBooks ?? false;
    this.subscribeWithinMs = options.subscribeWithinMs ?? 5000;
  }

  static async start(options: CoinbaseSimOptions = {}): Promise<CoinbaseSimulator> {
    const sim = new CoinbaseSimulator(options);
    await sim.listen(options.port);
    return sim;
  }

  get wsUrl(): string {
    return this.wsBase;
  }

  /** The book of `product` as sent on a connection right after its frame `seq` (trackBooks only). */
  bookAt(product: string, seq: number): { bids: string[]; asks: string[] } | undefined {
    for (const c of this.open(product)) {
      const book = c.books.get(seq);
      if (book?.product === product) return { bids: book.bids, asks: book.asks };
    }
    return undefined;
  }

  // ----- the codec -----

  protected createConnection(base: SimConnection<'public'>): Conn {
    return Object.assign(base, { subs: new Map<string, Set<string>>(), seq: 0, books: new Map(), openedAt: Date.now() });
  }

  protected subscribedTo(c: Conn, product: string): boolean {
    for (const products of c.subs.values()) if (products.has(product)) return true;
    return false;
  }

  /** Keys are `channel:product`. */
  protected wants(c: Conn, key: string): boolean {
    const [channel, product] = key.split(':');
    return c.subs.get(channel ?? '')?.has(product ?? '') === true;
  }

  protected muteKeys(c: Conn, product: string | undefined, stream: string | undefined): string[] {
    const channel = stream ?? 'level2';
    return [...(c.subs.get(channel) ?? [])].filter((p) => product === undefined || p === product).map((p) => `${channel}:${p}`);
  }

  protected malformedFrame(product: string | undefined): string {
    return `{"channel":"l2_data","timestamp":"${new Date().toISOString()}","sequence_num":1,"events":[{"type":"update","product_id":"${product ?? 'BTC-USD'}","updates":[`;
  }

  protected floodFrames(c: Conn): string[] {
    return [...(c.subs.get('ticker') ?? [])].map((product) =>
      JSON.stringify({
        channel: 'ticker',
        timestamp: new Date().toISOString(),
        sequence_num: 0,
        events: [{ type: 'update', tickers: [{ type: 'ticker', product_id: product, price: '1' }] }],
      }),
    );
  }

  protected venueFault(): void {}

  /** Sends a data frame numbered in this connection's sequence. */
  private sendFrame(c: Conn, channel: string, events: unknown[], now = Date.now()): number {
    const seq = c.seq;
    c.seq += 1;
    this.send(c, { channel, client_id: '', timestamp: new Date(now).toISOString(), sequence_num: seq, events });
    return seq;
  }

  protected onMessage(conn: Conn, text: string): void {
    let request: { type?: unknown; product_ids?: unknown; channel?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      this.send(conn, { type: 'error', message: 'Failed to parse message' });
      return;
    }
    const op = request.type;
    const channel = typeof request.channel === 'string' ? request.channel : '';
    const products = Array.isArray(request.product_ids) ? (request.product_ids as unknown[]).filter((p): p is string => typeof p === 'string') : [];
    if ((op !== 'subscribe' && op !== 'unsubscribe') || !CHANNELS.includes(channel)) {
      this.send(conn, { type: 'error', message: 'Failed to subscribe', reason: `unknown channel ${channel}` });
      return;
    }
    if (this.takeThrottle(op)) {
      this.send(conn, { type: 'error', message: 'Failed to subscribe', reason: 'rate limit exceeded' });
      return;
    }
    const unknown = products.find((p) => !COINBASE_PRODUCTS.some((x) => x.id === p));
    if (unknown !== undefined) {
      this.send(conn, { type: 'error', message: 'Failed to subscribe', reason: `${unknown} is not a valid product` });
      return;
    }
    if (op === 'unsubscribe') {
      if (this.takeIgnoredUnsubscribe(conn)) return;
      for (const p of products) {
        conn.subs.get(channel)?.delete(p);
        conn.muted.delete(`${channel}:${p}`);
      }
      this.sendSubscriptions(conn);
      return;
    }
    const set = conn.subs.get(channel) ?? new Set<string>();
    conn.subs.set(channel, set);
    const fresh = products.filter((p) => !set.has(p));
    for (const p of products) set.add(p);
    const now = Date.now();
    // What a new subscription starts with, then the confirmation.
    for (const product of fresh) {
      const market = this.market(product);
      if (channel === 'level2') {
        const snap = market.snapshot(now, 10_000);
        const updates = [
          ...snap.bids.map(([p, q]) => ({ side: 'bid', event_time: new Date(now).toISOString(), price_level: p, new_quantity: q })),
          ...snap.asks.map(([p, q]) => ({ side: 'offer', event_time: new Date(now).toISOString(), price_level: p, new_quantity: q })),
        ];
        const seq = this.sendFrame(conn, 'l2_data', [{ type: 'snapshot', product_id: product, updates }], now);
        this.remember(conn, seq, product, market);
      } else if (channel === 'ticker') {
        this.sendFrame(conn, 'ticker', [{ type: 'snapshot', tickers: [this.ticker(product, market, now)] }], now);
      } else if (channel === 'candles') {
        const rows = market.history('5m', 20, now).reverse();
        this.sendFrame(conn, 'candles', [{ type: 'snapshot', candles: rows.map((r) => this.candle(product, r)) }], now);
      } else if (channel === 'market_trades') {
        this.sendFrame(conn, 'market_trades', [{ type: 'snapshot', trades: [] }], now);
      }
    }
    this.sendSubscriptions(conn);
  }

  private sendSubscriptions(conn: Conn): void {
    const listing: Record<string, string[]> = {};
    for (const [channel, products] of conn.subs) if (products.size > 0) listing[channel] = [...products];
    this.sendFrame(conn, 'subscriptions', [{ subscriptions: listing }]);
  }

  private remember(conn: Conn, seq: number, product: string, market: GeneratedMarket): void {
    if (!this.trackBooks) return;
    conn.books.set(seq, {
      product,
      bids: market.sorted('bid').map((l) => `${l[0]}:${l[1]}`),
      asks: market.sorted('ask').map((l) => `${l[0]}:${l[1]}`),
    });
    if (conn.books.size > HISTORY_KEPT) {
      const oldest = conn.books.keys().next();
      if (oldest.done !== true) conn.books.delete(oldest.value);
    }
  }

  // ----- market -----

  private market(product: string): GeneratedMarket {
    let market = this.markets.get(product);
    if (market === undefined) {
      const info = COINBASE_PRODUCTS.find((p) => p.id === product);
      if (info === undefined) throw new Error(`unknown product ${product}`);
      const instrument: SimInstrument = { instId: info.id, instType: 'SPOT', price: info.price, tickSz: info.tick, lotSz: '0.0001' };
      market = new GeneratedMarket(instrument, this.seed + this.markets.size * 7919, 'zero');
      this.markets.set(product, market);
    }
    return market;
  }

  private ticker(product: string, market: GeneratedMarket, now: number): Record<string, string> {
    const t = market.ticker(now);
    const last = Number(t['last']);
    const open = Number(t['open24h']);
    return {
      type: 'ticker',
      product_id: product,
      price: t['last'] ?? '0',
      volume_24_h: t['vol24h'] ?? '0',
      low_24_h: t['low24h'] ?? '0',
      high_24_h: t['high24h'] ?? '0',
      price_percent_chg_24_h: String(open > 0 ? ((last - open) / open) * 100 : 0),
      best_bid: t['bidPx'] ?? '',
      best_ask: t['askPx'] ?? '',
      best_bid_quantity: t['bidSz'] ?? '',
      best_ask_quantity: t['askSz'] ?? '',
    };
  }

  private candle(product: string, row: string[]): Record<string, string> {
    const [ts, o, h, l, c, vol] = row;
    return {
      start: String(Math.floor(Number(ts) / 1000)),
      high: h ?? '0',
      low: l ?? '0',
      open: o ?? '0',
      close: c ?? '0',
      volume: vol ?? '0',
      product_id: product,
    };
  }

  protected onTick(now: number, live: readonly Conn[]): void {
    for (const c of live) {
      if (c.subs.size === 0 && now - c.openedAt > this.subscribeWithinMs) c.socket.close(1008, 'no subscription received in time');
    }
    const products = new Set<string>();
    for (const c of live) for (const set of c.subs.values()) for (const p of set) products.add(p);
    const second = (this.ticks * this.tickMs) % 1000 < this.tickMs;
    for (const product of products) {
      const market = this.market(product);
      const out = market.step(now, ['5m']);
      const time = new Date(now).toISOString();
      const updates = [
        ...out.book.bids.map(([p, q]) => ({ side: 'bid', event_time: time, price_level: p, new_quantity: q })),
        ...out.book.asks.map(([p, q]) => ({ side: 'offer', event_time: time, price_level: p, new_quantity: q })),
      ];
      this.broadcast(live, `level2:${product}`, (c) => {
        if (this.takeSkippedBook(c, product)) {
          // Lost on the way: its number is used all the same.
          c.seq += 1;
          return;
        }
        const seq = this.sendFrame(c, 'l2_data', [{ type: 'update', product_id: product, updates }], now);
        this.remember(c, seq, product, market);
      });
      if (out.trades.length > 0) {
        // Coinbase lists the newest first; `side` is the resting (maker) order's.
        const trades = out.trades
          .map((t) => ({
            trade_id: String((this.tradeId += 1)),
            product_id: product,
            price: String(t['px']),
            size: String(t['sz']),
            time,
            side: t['side'] === 'buy' ? 'SELL' : 'BUY',
          }))
          .reverse();
        this.broadcast(live, `market_trades:${product}`, (c) => this.sendFrame(c, 'market_trades', [{ type: 'update', trades }], now));
        this.broadcast(live, `ticker:${product}`, (c) => this.sendFrame(c, 'ticker', [{ type: 'update', tickers: [this.ticker(product, market, now)] }], now));
      }
      if (second) {
        const current = market.candleRows(now, ['5m']).get('5m')?.at(-1);
        if (current !== undefined) {
          this.broadcast(live, `candles:${product}`, (c) => this.sendFrame(c, 'candles', [{ type: 'update', candles: [this.candle(product, current)] }], now));
        }
      }
    }
    if (second) {
      for (const c of live) {
        if (c.stalled || (c.subs.get('heartbeats')?.size ?? 0) === 0) continue;
        this.sendFrame(c, 'heartbeats', [{ current_time: new Date(now).toISOString(), heartbeat_counter: c.seq }], now);
      }
    }
  }

  // ----- REST -----

  protected onRest(req: http.IncomingMessage, url: URL, reply: (status: number, body: unknown) => void): void {
    if (req.method !== 'GET') return reply(404, { error: 'NOT_FOUND', message: 'not found' });
    if (url.pathname === '/api/v3/brokerage/market/products') {
      return reply(200, {
        products: COINBASE_PRODUCTS.map((p) => ({
          product_id: p.id,
          price: String(p.price),
          base_increment: p.step,
          quote_increment: p.tick,
          price_increment: p.tick,
          base_currency_id: p.base,
          quote_currency_id: p.quote,
          status: 'online',
          trading_disabled: false,
          product_type: 'SPOT',
        })),
        num_products: COINBASE_PRODUCTS.length,
      });
    }
    const match = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/candles$/.exec(url.pathname);
    if (match !== null) {
      const product = decodeURIComponent(match[1] ?? '');
      if (!COINBASE_PRODUCTS.some((p) => p.id === product)) return reply(404, { error: 'NOT_FOUND', message: `product ${product} not found` });
      const timeframe = GRANULARITY_TIMEFRAME[url.searchParams.get('granularity') ?? ''];
      if (timeframe === undefined) return reply(400, { error: 'INVALID_ARGUMENT', message: 'granularity is invalid' });
      const span = timeframeMs(timeframe) ?? 60_000;
      const start = Number(url.searchParams.get('start') ?? '0') * 1000;
      const end = Number(url.searchParams.get('end') ?? String(Date.now() / 1000)) * 1000;
      const limit = Math.min(350, Number(url.searchParams.get('limit') ?? '350'));
      const count = Math.min(limit, Math.floor((end - start) / span) + 1);
      // Newest first, as Coinbase lists them.
      const rows = this.market(product).history(timeframe, count, end);
      return reply(200, { candles: rows.map((r) => this.candle(product, r)).map(({ product_id: _p, ...rest }) => rest) });
    }
    return reply(404, { error: 'NOT_FOUND', message: 'not found' });
  }
}
