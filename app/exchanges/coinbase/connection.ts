// Coinbase Advanced Trade market data on the shared-connection kit
// (app/core/shared-connection.ts). One channel per request:
// `{"type":"subscribe"|"unsubscribe","product_ids":[…],"channel":"level2"}`; no request ids —
// after every change Coinbase sends the whole list of the connection's subscriptions
// (`channel: "subscriptions"`), which acknowledges requests; a refusal is
// `{"type":"error","message":…}` naming the product. Every frame carries `sequence_num`,
// counted per connection across all channels: a jump means frames were lost on every
// channel. `level2` data arrives as `l2_data`; `heartbeats` (one a second) keep quiet channels
// open and are always subscribed; a client must subscribe within a few seconds of connecting
// (the kit subscribes on open). A BTC-USD book snapshot is several MB, hence the larger
// message limit.
// https://docs.cdp.coinbase.com/advanced-trade/docs/ws-channels

import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanCoinbaseL2 } from './book-scan.js';
import { ConnectionPool, type ConnectionRules, type InboundFrame, type VenueCodec } from '../../core/shared-connection.js';
import { ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { RateLimiterOptions } from '../../core/rate-limiter.js';

/** The channels we subscribe to, by the name used in requests. */
export type CoinbaseChannel = 'level2' | 'market_trades' | 'ticker' | 'candles' | 'heartbeats';

export interface CoinbaseArg {
  readonly channel: CoinbaseChannel;
  readonly product: string;
}

/** The request channel of a data frame's `channel`. */
const CHANNEL_OF: Readonly<Record<string, CoinbaseChannel>> = {
  l2_data: 'level2',
  level2: 'level2',
  market_trades: 'market_trades',
  ticker: 'ticker',
  ticker_batch: 'ticker',
  candles: 'candles',
};

export function coinbaseKey(arg: CoinbaseArg): string {
  return `${arg.channel}:${arg.product}`;
}

/** The products a data frame speaks of (a frame of trades, tickers or candles may hold several). */
function productsOf(events: unknown): string[] {
  const products = new Set<string>();
  if (!Array.isArray(events)) return [];
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) continue;
    const e = event as { product_id?: unknown; trades?: unknown; tickers?: unknown; candles?: unknown };
    if (typeof e.product_id === 'string') products.add(e.product_id);
    for (const list of [e.trades, e.tickers, e.candles]) {
      if (!Array.isArray(list)) continue;
      for (const item of list as unknown[]) {
        const id = (item as { product_id?: unknown } | null)?.product_id;
        if (typeof id === 'string') products.add(id);
      }
    }
  }
  return [...products];
}

/** `message` names `product` as a whole word (BTC-USD is not named by "BTC-USDT"). */
function namesProduct(message: string, product: string): boolean {
  let at = message.indexOf(product);
  while (at >= 0) {
    const before = message[at - 1] ?? ' ';
    const after = message[at + product.length] ?? ' ';
    if (!/[A-Z0-9-]/i.test(before) && !/[A-Z0-9-]/i.test(after)) return true;
    at = message.indexOf(product, at + 1);
  }
  return false;
}

function refusal(message: string): SubscriptionError | RateLimitError {
  const text = `Coinbase refused the request: ${message}`;
  if (/rate limit|too many/i.test(message)) return new RateLimitError(text, 1000, { exchange: 'coinbase' });
  return new SubscriptionError(text, { exchange: 'coinbase' });
}

export const COINBASE_CODEC: VenueCodec<CoinbaseArg> = {
  key: coinbaseKey,
  maxArgsPerRequest: 100,
  // One channel per request: a frame per channel of the args. A refusal names its product but
  // no request; the kit finds the request by the product and asks again per collector.
  encode: (op, args) => {
    const byChannel = new Map<CoinbaseChannel, string[]>();
    for (const arg of args) byChannel.set(arg.channel, [...(byChannel.get(arg.channel) ?? []), arg.product]);
    return [...byChannel].map(([channel, products]) => JSON.stringify({ type: op, product_ids: products, channel }));
  },
  classify: (text): InboundFrame<CoinbaseArg> => {
    // Book frames, the bulk of the traffic, are read and checked in one pass; one the scan
    // refuses takes the general path (its processor's checks say what is wrong and resync).
    const book = scannedOrUndefined(scanCoinbaseL2, text);
    if (book !== undefined) {
      const keys: string[] = [];
      for (const e of book.events) {
        const key = coinbaseKey({ channel: 'level2', product: e.product_id });
        if (!keys.includes(key)) keys.push(key);
      }
      return { kind: 'pushes', keys, payload: book, seq: book.seq };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExchangeProtocolError(`Coinbase sent a frame that is not JSON: ${text.slice(0, 80)}`, { exchange: 'coinbase' });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ExchangeProtocolError('Coinbase sent a frame that is not an object', { exchange: 'coinbase' });
    }
    const frame = value as { channel?: unknown; sequence_num?: unknown; events?: unknown; type?: unknown; message?: unknown; reason?: unknown };
    const seq = typeof frame.sequence_num === 'number' && Number.isSafeInteger(frame.sequence_num) ? { seq: frame.sequence_num } : {};
    if (frame.type === 'error') {
      const message = [frame.message, frame.reason].filter((m): m is string => typeof m === 'string' && m !== '').join(': ') || 'no reason given';
      // Coinbase names the product it refused; the subscriptions of that product are meant.
      return { kind: 'error', names: (key) => namesProduct(message, key.slice(key.indexOf(':') + 1)), error: refusal(message), ...seq };
    }
    const channel = typeof frame.channel === 'string' ? frame.channel : '';
    if (channel === 'subscriptions') {
      const keys = new Set<string>();
      const events = Array.isArray(frame.events) ? (frame.events as unknown[]) : [];
      for (const event of events) {
        const listing = (event as { subscriptions?: unknown } | null)?.subscriptions;
        if (typeof listing !== 'object' || listing === null) continue;
        for (const [name, products] of Object.entries(listing as Record<string, unknown>)) {
          const requested = CHANNEL_OF[name] ?? (name === 'heartbeats' ? 'heartbeats' : undefined);
          if (requested === undefined || !Array.isArray(products)) continue;
          for (const product of products as unknown[]) if (typeof product === 'string') keys.add(coinbaseKey({ channel: requested, product }));
        }
      }
      return { kind: 'subscriptions', keys, ...seq };
    }
    const requested = CHANNEL_OF[channel];
    if (requested === undefined) return { kind: 'ignore', ...seq };
    return { kind: 'pushes', keys: productsOf(frame.events).map((product) => coinbaseKey({ channel: requested, product })), payload: value, ...seq };
  },
};

export interface CoinbaseConnectionOptions {
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  readonly requestLimit?: RateLimiterOptions;
  /** Coinbase's full-book snapshots are several MB (BTC-USD about 6 MB). */
  readonly maxMessageBytes?: number;
  readonly capacity?: number;
}

export function coinbaseConnectionRules(_url: string, options: CoinbaseConnectionOptions = {}): ConnectionRules {
  return {
    name: 'coinbase',
    // Heartbeats arrive every second; silence beyond this is probed with a protocol ping.
    keepAlive: { kind: 'control', idleMs: options.idleMs ?? 15_000, timeoutMs: options.pongTimeoutMs ?? 10_000 },
    // Public WebSocket: 8 requests per second per IP (unauthenticated).
    requestLimit: options.requestLimit ?? { capacity: 8, tokensPerInterval: 8, intervalMs: 1000 },
    connectLimit: { capacity: 5, tokensPerInterval: 1, intervalMs: 1000 },
    capacity: options.capacity ?? 500,
    binaryFrames: 'reject',
    maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024,
  };
}

export class CoinbaseConnectionPool extends ConnectionPool<CoinbaseArg> {
  constructor(options: CoinbaseConnectionOptions = {}) {
    super(COINBASE_CODEC, (url) => coinbaseConnectionRules(url, options));
  }
}

/** The process-wide pool every CoinbaseCollector shares. */
export const coinbaseConnections = new CoinbaseConnectionPool();
