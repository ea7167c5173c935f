// Binance on the shared-connection kit (app/core/shared-connection.ts). Combined streams
// (`/stream`: payloads wrapped as `{"stream":…, "data":…}`) with live SUBSCRIBE/UNSUBSCRIBE
// requests carrying integer ids, answered `{"result":null,"id":…}` or `{"error":{…},"id":…}`;
// at most 5 incoming messages per second per connection, 1024 streams per connection, a
// connection lives at most 24 h, `serverShutdown` announces a close. The server pings; `ws`
// answers with pongs by itself, and an idle connection is probed with a ping of our own.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams

import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanBinanceDepth } from './book-scan.js';
import { ConnectionPool, type ConnectionRules, type InboundFrame, type VenueCodec } from '../../core/shared-connection.js';
import { ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { RateLimiterOptions } from '../../core/rate-limiter.js';

/** A Binance stream name (`btcusdt@depth@100ms`): the subscription argument and routing key. */
export type BinanceStream = string;

function errorOf(code: unknown, msg: unknown): ExchangeProtocolError | SubscriptionError | RateLimitError {
  const text = `Binance refused the request (${String(code)}): ${String(msg)}`;
  const options = { exchange: 'binance', exchangeCode: String(code) };
  // -1003/-1015: too many requests; 2/3: invalid request or value; 1: unknown property.
  if (code === -1003 || code === -1015) return new RateLimitError(text, 1000, options);
  if (code === 2 || code === 3 || code === 1) return new SubscriptionError(text, options);
  return new ExchangeProtocolError(text, options);
}

export const BINANCE_CODEC: VenueCodec<BinanceStream> = {
  key: (stream) => stream,
  // Binance takes many params per request; 200 keeps a request small.
  maxArgsPerRequest: 200,
  encode: (op, streams, id) => JSON.stringify({ method: op === 'subscribe' ? 'SUBSCRIBE' : 'UNSUBSCRIBE', params: streams, id: Number(id) }),
  classify: (text): InboundFrame<BinanceStream> => {
    // Depth diffs, the bulk of the traffic, are read and checked in one pass; one the scan
    // refuses takes the general path (its processor's checks say what is wrong and resync).
    const depth = scannedOrUndefined(scanBinanceDepth, text);
    if (depth !== undefined) return { kind: 'push', key: depth.stream, payload: depth.update };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExchangeProtocolError(`Binance sent a frame that is not JSON: ${text.slice(0, 80)}`, { exchange: 'binance' });
    }
    if (typeof value !== 'object' || value === null) throw new ExchangeProtocolError('Binance sent a frame that is not an object', { exchange: 'binance' });
    const frame = value as { stream?: unknown; data?: unknown; result?: unknown; id?: unknown; error?: unknown; e?: unknown };
    if (typeof frame.stream === 'string') return { kind: 'push', key: frame.stream, payload: frame.data };
    if (frame.e === 'serverShutdown') return { kind: 'reconnect', reason: 'Binance announced a server shutdown' };
    const id = typeof frame.id === 'number' || typeof frame.id === 'string' ? String(frame.id) : undefined;
    if (frame.error !== undefined && frame.error !== null) {
      const error = frame.error as { code?: unknown; msg?: unknown };
      return { kind: 'error', ...(id === undefined ? {} : { id }), error: errorOf(error.code, error.msg) };
    }
    if (id !== undefined && 'result' in frame) return { kind: 'ack', id };
    return { kind: 'ignore' };
  },
};

export interface BinanceConnectionOptions {
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  readonly requestLimit?: RateLimiterOptions;
  readonly maxMessageBytes?: number;
  /** Renew a connection before this age (Binance ends them at 24 h). */
  readonly lifetimeMs?: number;
  /** Streams per connection (Binance allows 1024). */
  readonly capacity?: number;
}

export function binanceConnectionRules(url: string, options: BinanceConnectionOptions = {}): ConnectionRules {
  return {
    name: url.includes('fstream') || url.includes('/futures') ? 'binance-futures' : 'binance',
    keepAlive: { kind: 'control', idleMs: options.idleMs ?? 30_000, timeoutMs: options.pongTimeoutMs ?? 15_000 },
    // 5 incoming messages per second, pings and pongs included. A bucket of 2 refilled at 2/s
    // lets at most 4 requests into any one second, leaving room for a pong or a ping.
    requestLimit: options.requestLimit ?? { capacity: 2, tokensPerInterval: 2, intervalMs: 1000 },
    // 300 connection attempts per 5 minutes per IP.
    connectLimit: { capacity: 5, tokensPerInterval: 1, intervalMs: 1000 },
    capacity: options.capacity ?? 1024,
    lifetimeMs: options.lifetimeMs ?? 24 * 3_600_000,
    binaryFrames: 'reject',
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
  };
}

export class BinanceConnectionPool extends ConnectionPool<BinanceStream> {
  constructor(options: BinanceConnectionOptions = {}) {
    super(BINANCE_CODEC, (url) => binanceConnectionRules(url, options));
  }
}

/** The process-wide pool every BinanceCollector shares. */
export const binanceConnections = new BinanceConnectionPool();
