// OKX on the shared-connection kit (app/core/shared-connection.ts): how OKX writes
// (un)subscribe requests and what its frames mean, plus its connection rules — a text
// `ping`/`pong` keep-alive (OKX closes a connection silent for 30 s), 3 new connections per
// second per IP, 480 subscribe/unsubscribe requests per hour per connection, fewer than 30 book
// channels per connection, JSON text frames only, and notice 64008 ahead of a service upgrade.
// https://www.okx.com/docs-v5/en/#overview-websocket-connect

import type { SharedConnection } from '../../core/shared-connection.js';
import {
  ConnectionPool,
  type ConnectionRules,
  type ConnectionSubscriber,
  type InboundFrame,
  type SubscriptionOp,
  type VenueCodec,
} from '../../core/shared-connection.js';
import type { RateLimiterOptions } from '../../core/rate-limiter.js';
import { argKey } from './channels.js';
import { classifyOkxClose, okxEventError } from './errors.js';
import type { OkxArg, OkxPush } from './messages.js';
import { decodeFrame } from './parser.js';

export type OkxOp = SubscriptionOp;
export type OkxSubscriber = ConnectionSubscriber<OkxArg>;
export type OkxConnection = SharedConnection<OkxArg>;

/** OKX recommends fewer than 30 book channels per connection. */
export const MAX_BOOKS_PER_CONNECTION = 25;

export const OKX_CODEC: VenueCodec<OkxArg> = {
  key: argKey,
  // OKX's limit is 64 KB of args per request; 100 stays far below.
  maxArgsPerRequest: 100,
  encode: (op, args, id) => JSON.stringify({ id, op, args: args.map((a) => ({ channel: a.channel, instId: a.instId })) }),
  // Only book channels count against a connection's capacity.
  weight: (arg) => (arg.channel.startsWith('books') ? 1 : 0),
  classify: (text): InboundFrame<OkxArg> => {
    const frame = decodeFrame(text);
    if (frame.kind === 'push') {
      const { channel, instId } = frame.push.arg;
      return instId === undefined ? { kind: 'ignore' } : { kind: 'push', key: argKey({ channel, instId }), payload: frame.push };
    }
    const event = frame.event;
    const arg = event.arg?.instId === undefined ? undefined : { channel: event.arg.channel, instId: event.arg.instId };
    switch (event.event) {
      case 'subscribe':
      case 'unsubscribe':
        return arg === undefined ? { kind: 'ignore' } : { kind: 'ack', op: event.event, args: [arg], ...(event.id === undefined ? {} : { id: event.id }) };
      case 'error': {
        const error = okxEventError(event.code ?? '?', event.msg ?? '');
        if (event.id !== undefined) return { kind: 'error', id: event.id, error };
        // Without a request id, OKX names the instrument in the message (`instId:FOO-BAR`).
        const named = /instId:([A-Za-z0-9-]+)/.exec(event.msg ?? '')?.[1];
        return { kind: 'error', error, ...(named === undefined ? {} : { names: (key: string) => key.endsWith(`:${named}`) }) };
      }
      case 'notice':
        return event.code === '64008' ? { kind: 'reconnect', reason: 'OKX service upgrade notice (64008)' } : { kind: 'ignore' };
      default:
        return { kind: 'ignore' };
    }
  },
};

export interface OkxConnectionOptions {
  /** Keep-alive: ping after this much silence (OKX closes at 30 s). */
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  /** Subscribe/unsubscribe budget per connection (OKX: 480 per hour). */
  readonly requestLimit?: RateLimiterOptions;
  /** Largest inbound message accepted (default 16 MiB). */
  readonly maxMessageBytes?: number;
}

export function okxConnectionRules(url: string, options: OkxConnectionOptions = {}): ConnectionRules {
  const endpoint = url.endsWith('/business') ? 'business' : 'public';
  return {
    name: `okx/${endpoint}`,
    keepAlive: { kind: 'text', ping: 'ping', pong: 'pong', idleMs: options.idleMs ?? 20_000, timeoutMs: options.pongTimeoutMs ?? 10_000 },
    classifyClose: classifyOkxClose,
    requestLimit: options.requestLimit ?? { capacity: 480, tokensPerInterval: 480, intervalMs: 3_600_000 },
    connectLimit: { capacity: 3, tokensPerInterval: 3, intervalMs: 1000 },
    capacity: MAX_BOOKS_PER_CONNECTION,
    binaryFrames: 'reject',
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
  };
}

export class OkxConnectionPool extends ConnectionPool<OkxArg> {
  constructor(options: OkxConnectionOptions = {}) {
    super(OKX_CODEC, (url) => okxConnectionRules(url, options));
  }
}

/** The process-wide pool every OkxCollector shares. */
export const okxConnections = new OkxConnectionPool();

/** Narrows a routed payload to the push the OKX codec put there. */
export function asOkxPush(payload: unknown): OkxPush {
  return payload as OkxPush;
}
