// Kraken Spot WebSocket v2 on the shared-connection kit (app/core/shared-connection.ts).
// Requests: `{"method":"subscribe"|"unsubscribe","params":{"channel","symbol":[…],"depth"|
// "interval"},"req_id":N}`, one channel per request; Kraken answers each symbol on its own:
// `{"method":"subscribe","result":{"channel","symbol",…},"success":true,"req_id":N}` or
// `{"method":"subscribe","success":false,"error":…,"symbol":…,"req_id":N}`, so acks and
// refusals are tied to their symbol. App-level `{"method":"ping"}` answered by
// `{"method":"pong"}`; a `heartbeat` arrives about once a second when nothing else does.
// Book frames are parsed keeping the spelling of prices and quantities (see messages.ts).
// https://docs.kraken.com/api/docs/websocket-v2/book

import { ConnectionPool, type ConnectionRules, type InboundFrame, type SubscriptionOp, type VenueCodec } from '../../core/shared-connection.js';
import { ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { RateLimiterOptions } from '../../core/rate-limiter.js';
import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanKrakenBook } from './book-scan.js';
import { parseKrakenFrame } from './messages.js';

export type KrakenChannel = 'book' | 'trade' | 'ticker' | 'ohlc';

export interface KrakenArg {
  readonly channel: KrakenChannel;
  readonly symbol: string;
  /** `book` only. */
  readonly depth?: number;
  /** `ohlc` only (minutes). */
  readonly interval?: number;
}

export function krakenKey(arg: { readonly channel: string; readonly symbol: string; readonly interval?: number | undefined }): string {
  return `${arg.channel === 'ohlc' ? `ohlc-${arg.interval ?? 1}` : arg.channel}:${arg.symbol}`;
}

function refusal(message: string): SubscriptionError | RateLimitError {
  const text = `Kraken refused the request: ${message}`;
  if (/rate|exceeded|too many/i.test(message)) return new RateLimitError(text, 1000, { exchange: 'kraken' });
  return new SubscriptionError(text, { exchange: 'kraken' });
}

export const KRAKEN_CODEC: VenueCodec<KrakenArg> = {
  key: krakenKey,
  maxArgsPerRequest: 50,
  encode: (op, args, id) => {
    const groups = new Map<string, KrakenArg[]>();
    for (const arg of args) {
      const group = `${arg.channel}|${arg.depth ?? ''}|${arg.interval ?? ''}`;
      groups.set(group, [...(groups.get(group) ?? []), arg]);
    }
    return [...groups.values()].map((group) => {
      const [first] = group as [KrakenArg, ...KrakenArg[]];
      const params = {
        channel: first.channel,
        symbol: group.map((a) => a.symbol),
        ...(first.depth === undefined ? {} : { depth: first.depth }),
        ...(first.interval === undefined ? {} : { interval: first.interval }),
        ...(op === 'subscribe' && first.channel !== 'ticker' ? { snapshot: true } : {}),
      };
      return JSON.stringify({ method: op, params, req_id: Number(id) });
    });
  },
  classify: (text): InboundFrame<KrakenArg> => {
    // Book messages, the bulk of the traffic, are read and checked in one pass. One the scan
    // refuses takes the general path: if it is JSON it reaches its processor, whose checks
    // say what is wrong and resync the book.
    const book = scannedOrUndefined(scanKrakenBook, text);
    if (book !== undefined) {
      const keys: string[] = [];
      for (const d of book.data) {
        const key = krakenKey({ channel: 'book', symbol: d.symbol, interval: undefined });
        if (!keys.includes(key)) keys.push(key);
      }
      return { kind: 'pushes', keys, payload: book };
    }
    let value: unknown;
    try {
      value = parseKrakenFrame(text);
    } catch {
      throw new ExchangeProtocolError(`Kraken sent a frame that is not JSON: ${text.slice(0, 80)}`, { exchange: 'kraken' });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ExchangeProtocolError('Kraken sent a frame that is not an object', { exchange: 'kraken' });
    const frame = value as {
      method?: unknown;
      success?: unknown;
      result?: unknown;
      error?: unknown;
      symbol?: unknown;
      req_id?: unknown;
      channel?: unknown;
      data?: unknown;
    };
    if (frame.method === 'subscribe' || frame.method === 'unsubscribe') {
      const op: SubscriptionOp = frame.method;
      if (frame.success === true) {
        const result = frame.result as { channel?: unknown; symbol?: unknown; interval?: unknown } | null;
        if (result === null || typeof result !== 'object' || typeof result.channel !== 'string' || typeof result.symbol !== 'string') return { kind: 'ignore' };
        const channel = result.channel as KrakenChannel;
        const interval = typeof result.interval === 'number' ? result.interval : undefined;
        return { kind: 'ack', op, args: [{ channel, symbol: result.symbol, ...(interval === undefined ? {} : { interval }) }] };
      }
      const message = typeof frame.error === 'string' ? frame.error : 'no reason given';
      const symbol = typeof frame.symbol === 'string' ? frame.symbol : undefined;
      // Asking twice is refused, yet the subscription stands (the refusal names no channel: every one of the symbol's is meant).
      if (op === 'subscribe' && symbol !== undefined && /already subscribed/i.test(message)) return { kind: 'ignore' };
      const id = typeof frame.req_id === 'number' ? String(frame.req_id) : undefined;
      // Kraken names the symbol it refused: only that symbol's subscriptions are meant.
      if (symbol !== undefined) return { kind: 'error', names: (key) => key.endsWith(`:${symbol}`), error: refusal(message) };
      return { kind: 'error', ...(id === undefined ? {} : { id }), error: refusal(message) };
    }
    if (frame.method !== undefined) return { kind: 'ignore' };
    const channel = typeof frame.channel === 'string' ? frame.channel : '';
    if (channel !== 'book' && channel !== 'trade' && channel !== 'ticker' && channel !== 'ohlc') return { kind: 'ignore' };
    const keys = new Set<string>();
    if (Array.isArray(frame.data)) {
      for (const item of frame.data as unknown[]) {
        const d = item as { symbol?: unknown; interval?: unknown } | null;
        if (d === null || typeof d !== 'object' || typeof d.symbol !== 'string') continue;
        keys.add(krakenKey({ channel, symbol: d.symbol, interval: typeof d.interval === 'number' ? d.interval : undefined }));
      }
    }
    return { kind: 'pushes', keys: [...keys], payload: value };
  },
};

export interface KrakenConnectionOptions {
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  readonly requestLimit?: RateLimiterOptions;
  readonly maxMessageBytes?: number;
  readonly capacity?: number;
}

let pingIds = 0;

export function isKrakenPong(text: string): boolean {
  return text.includes('"pong"') && /"method"\s*:\s*"pong"/.test(text);
}

export function krakenConnectionRules(_url: string, options: KrakenConnectionOptions = {}): ConnectionRules {
  return {
    name: 'kraken',
    // Heartbeats come every second; a silent connection is probed with an app-level ping.
    keepAlive: {
      kind: 'json',
      buildPing: () => JSON.stringify({ method: 'ping', req_id: (pingIds = (pingIds % 1_000_000_000) + 1) }),
      isPong: isKrakenPong,
      idleMs: options.idleMs ?? 10_000,
      timeoutMs: options.pongTimeoutMs ?? 10_000,
    },
    // A pair with every timeframe sends about ten requests at once (one per channel and interval):
    // let them go together, five a second after that.
    requestLimit: options.requestLimit ?? { capacity: 12, tokensPerInterval: 5, intervalMs: 1000 },
    connectLimit: { capacity: 5, tokensPerInterval: 1, intervalMs: 1000 },
    capacity: options.capacity ?? 500,
    binaryFrames: 'reject',
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
  };
}

export class KrakenConnectionPool extends ConnectionPool<KrakenArg> {
  constructor(options: KrakenConnectionOptions = {}) {
    super(KRAKEN_CODEC, (url) => krakenConnectionRules(url, options));
  }
}

/** The process-wide pool every KrakenCollector shares. */
export const krakenConnections = new KrakenConnectionPool();
