// Bybit v5 public streams on the shared-connection kit (app/core/shared-connection.ts).
// Requests `{"req_id","op":"subscribe"|"unsubscribe","args":[topics]}` are answered
// `{"success":true|false,"ret_msg","conn_id","req_id","op"}`; pushes carry their `topic`
// (`orderbook.200.BTCUSDT`, `publicTrade.BTCUSDT`, `tickers.BTCUSDT`, `kline.1.BTCUSDT`).
// Bybit wants a JSON `{"op":"ping"}` about every 20 s from every client, busy or not, and
// answers it with a pong whose shape differs by market (linear: `ret_msg:"pong", op:"ping"`;
// spot: `op:"pong"`). Spot takes at most 10 topics per request; the topics of one connection
// may not exceed 21,000 characters; 500 connections per 5 minutes per IP.
// https://bybit-exchange.github.io/docs/v5/ws/connect

import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanBybitBook } from './book-scan.js';
import { ConnectionPool, type ConnectionRules, type InboundFrame, type VenueCodec } from '../../core/shared-connection.js';
import { ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { RateLimiterOptions } from '../../core/rate-limiter.js';

/** A Bybit topic (`orderbook.200.BTCUSDT`): the subscription argument and routing key. */
export type BybitTopic = string;

/** Characters of topics one connection may carry. */
export const BYBIT_ARGS_CHARS_PER_CONNECTION = 21_000;

function refusal(message: string): SubscriptionError | RateLimitError {
  const text = `Bybit refused the request: ${message === '' ? 'no reason given' : message}`;
  // Bybit documents no code for a request rate limit; its message says so.
  if (/too many|rate limit|frequen/i.test(message)) return new RateLimitError(text, 1000, { exchange: 'bybit' });
  return new SubscriptionError(text, { exchange: 'bybit' });
}

/** A JSON pong, whatever the market's shape of it. */
export function isBybitPong(text: string): boolean {
  if (!text.includes('pong') || text.includes('"topic"')) return false;
  try {
    const v = JSON.parse(text) as { op?: unknown; ret_msg?: unknown } | null;
    return v !== null && typeof v === 'object' && (v.op === 'pong' || (v.op === 'ping' && v.ret_msg === 'pong'));
  } catch {
    return false;
  }
}

export const BYBIT_CODEC: VenueCodec<BybitTopic> = {
  key: (topic) => topic,
  maxArgsPerRequest: 10,
  // The connection's capacity is counted in characters of topics.
  weight: (topic) => topic.length,
  encode: (op, topics, id) => JSON.stringify({ req_id: id, op, args: topics }),
  classify: (text): InboundFrame<BybitTopic> => {
    // Book messages, the bulk of the traffic, are read and checked in one pass; one the scan
    // refuses takes the general path (its processor's checks say what is wrong and resync).
    const book = scannedOrUndefined(scanBybitBook, text);
    if (book !== undefined) return { kind: 'push', key: book.topic, payload: book };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExchangeProtocolError(`Bybit sent a frame that is not JSON: ${text.slice(0, 80)}`, { exchange: 'bybit' });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ExchangeProtocolError('Bybit sent a frame that is not an object', { exchange: 'bybit' });
    const frame = value as { topic?: unknown; success?: unknown; ret_msg?: unknown; req_id?: unknown; op?: unknown };
    if (typeof frame.topic === 'string') return { kind: 'push', key: frame.topic, payload: frame };
    if (frame.op === 'pong' || frame.op === 'ping') return { kind: 'ignore' };
    if (typeof frame.success !== 'boolean') return { kind: 'ignore' };
    const id = typeof frame.req_id === 'string' && frame.req_id !== '' ? frame.req_id : undefined;
    const op = frame.op === 'subscribe' || frame.op === 'unsubscribe' ? frame.op : undefined;
    const message = typeof frame.ret_msg === 'string' ? frame.ret_msg : '';
    // Asking for a topic twice is refused, yet the topic is subscribed.
    if (frame.success || /already subscribed/i.test(message)) return { kind: 'ack', ...(id === undefined ? {} : { id }), ...(op === undefined ? {} : { op }) };
    const error = refusal(message);
    // Without a req_id, the topics the message names (`Invalid symbol :[orderbook.50.FOO]`).
    return id === undefined ? { kind: 'error', names: (key) => message.includes(key), error } : { kind: 'error', id, error };
  },
};

export interface BybitConnectionOptions {
  /** The ping interval (Bybit: every 20 s). */
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  readonly requestLimit?: RateLimiterOptions;
  readonly maxMessageBytes?: number;
  /** Characters of topics per connection (Bybit: 21,000). */
  readonly capacity?: number;
}

let pingIds = 0;

export function bybitConnectionRules(url: string, options: BybitConnectionOptions = {}): ConnectionRules {
  return {
    name: url.includes('/spot') ? 'bybit-spot' : 'bybit',
    keepAlive: {
      kind: 'json',
      periodic: true,
      buildPing: () => JSON.stringify({ req_id: `ping-${(pingIds += 1)}`, op: 'ping' }),
      isPong: isBybitPong,
      idleMs: options.idleMs ?? 20_000,
      timeoutMs: options.pongTimeoutMs ?? 10_000,
    },
    requestLimit: options.requestLimit ?? { capacity: 5, tokensPerInterval: 5, intervalMs: 1000 },
    // 500 connections per 5 minutes per IP.
    connectLimit: { capacity: 5, tokensPerInterval: 1, intervalMs: 1000 },
    capacity: options.capacity ?? BYBIT_ARGS_CHARS_PER_CONNECTION,
    binaryFrames: 'reject',
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
  };
}

export class BybitConnectionPool extends ConnectionPool<BybitTopic> {
  constructor(options: BybitConnectionOptions = {}) {
    super(BYBIT_CODEC, (url) => bybitConnectionRules(url, options));
  }
}

/** The process-wide pool every BybitCollector shares. */
export const bybitConnections = new BybitConnectionPool();
