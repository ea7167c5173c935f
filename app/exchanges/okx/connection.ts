// OkxConnection: one WebSocket to one OKX endpoint, shared by every collector of the process.
// It batches (un)subscribe requests with ids, routes pushes and acks by (channel, instId),
// attributes error events to the request (and operation) that caused them, answers the text
// keep-alive, reconnects early on `notice 64008`, and resyncs a channel by
// unsubscribe-then-subscribe. No promise it starts is left unhandled.
// OkxConnectionPool hands out connections per endpoint URL, spreading order books so no
// connection carries more than OKX recommends.

import { ExchangeConnectionError, ExchangeError, ExchangeProtocolError, describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logger.js';
import { RateLimiter, type RateLimiterOptions } from '../../core/rate-limiter.js';
import { ExchangeWebSocketClient, type WsClientStats } from '../../core/ws-client.js';
import { argKey, type OkxEndpoint } from './channels.js';
import { classifyOkxClose, okxEventError } from './errors.js';
import type { OkxArg, OkxEvent, OkxPush } from './messages.js';
import { decodeFrame } from './parser.js';

const log = getLogger('okx');

/** OKX recommends fewer than 30 book channels per connection. */
export const MAX_BOOKS_PER_CONNECTION = 25;
/** Args per subscribe frame (OKX's limit is 64 KB of args; this stays far below). */
const MAX_ARGS_PER_REQUEST = 100;
/** Outstanding request ids remembered for error attribution. */
const MAX_TRACKED_REQUESTS = 500;

export type OkxOp = 'subscribe' | 'unsubscribe';

export interface OkxSubscriber {
  onPush(push: OkxPush, text: string, receivedAt: number): void;
  onAck(op: OkxOp, arg: OkxArg): void;
  /** OKX refused a request; `op` is undefined when the error could not be tied to one. */
  onSubscriptionError(error: ExchangeError, args: readonly OkxArg[], op: OkxOp | undefined): void;
  onProblem(error: Error): void;
  onConnection(state: 'open' | 'reconnecting' | 'failed', error?: ExchangeError): void;
}

export interface OkxConnectionOptions {
  /** Keep-alive: ping after this much silence (OKX closes at 30 s). */
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
  /** Subscribe/unsubscribe budget per connection (OKX: 480 per hour). */
  readonly requestLimit?: RateLimiterOptions;
  /** Largest inbound message accepted (default 16 MiB). */
  readonly maxMessageBytes?: number;
}

export class OkxConnection {
  private readonly client: ExchangeWebSocketClient<OkxArg>;
  private readonly routes = new Map<string, OkxSubscriber>();
  private readonly members = new Map<OkxSubscriber, OkxArg[]>();
  private readonly requests = new Map<string, { readonly op: OkxOp; readonly args: readonly OkxArg[] }>();
  private readonly resyncs = new Set<string>();
  private nextId = 1;
  private disposed = false;

  constructor(
    readonly url: string,
    readonly endpoint: OkxEndpoint,
    private readonly pool: OkxConnectionPool,
    connectLimiter: RateLimiter,
    options: OkxConnectionOptions = {},
  ) {
    this.client = new ExchangeWebSocketClient<OkxArg>({
      url,
      name: `okx/${endpoint}`,
      subscriptions: { key: argKey, encode: (op, args) => this.encode(op, args) },
      keepAlive: { kind: 'text', ping: 'ping', pong: 'pong', idleMs: options.idleMs ?? 20_000, timeoutMs: options.pongTimeoutMs ?? 10_000 },
      onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
      classifyClose: classifyOkxClose,
      connectLimiter,
      // 480 subscribe/unsubscribe requests per hour per connection.
      requestLimit: options.requestLimit ?? { capacity: 480, tokensPerInterval: 480, intervalMs: 3_600_000 },
      // OKX sends JSON text only; a binary frame is a protocol error.
      binaryFrames: 'reject',
      ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    });
    this.client.on('reconnecting', ({ reason, delayMs }) => {
      this.resyncs.clear();
      const error = new ExchangeConnectionError(`okx/${endpoint}: ${reason}; reconnecting in ${delayMs} ms`, { exchange: 'okx' });
      this.broadcast((s) => s.onConnection('reconnecting', error));
    });
    this.client.on('open', ({ connects }) => {
      if (connects > 1) this.broadcast((s) => s.onConnection('open'));
    });
    this.client.on('giveUp', (error) => this.broadcast((s) => s.onConnection('failed', error)));
  }

  get failed(): boolean {
    return this.client.state === 'failed' || this.disposed;
  }

  get bookChannels(): number {
    let count = 0;
    for (const key of this.routes.keys()) if (key.startsWith('books')) count += 1;
    return count;
  }

  stats(): WsClientStats {
    return this.client.stats();
  }

  /** Subscribes `args` for `subscriber` and resolves once the connection is open. */
  async add(subscriber: OkxSubscriber, args: readonly OkxArg[]): Promise<void> {
    for (const arg of args) {
      const owner = this.routes.get(argKey(arg));
      if (owner !== undefined && owner !== subscriber) {
        throw new ExchangeError(`${arg.channel} ${arg.instId} is already collected on this connection`, false, { exchange: 'okx' });
      }
    }
    this.members.set(subscriber, [...(this.members.get(subscriber) ?? []), ...args]);
    for (const arg of args) this.routes.set(argKey(arg), subscriber);
    await this.client.subscribe(args);
    await this.client.connect();
  }

  /** Unsubscribes everything of `subscriber`; the last one out closes the connection. */
  async remove(subscriber: OkxSubscriber): Promise<void> {
    const args = this.members.get(subscriber);
    if (args === undefined) return;
    this.members.delete(subscriber);
    for (const arg of args) {
      this.routes.delete(argKey(arg));
      this.resyncs.delete(argKey(arg));
    }
    if (this.members.size === 0) {
      this.disposed = true;
      this.pool.forget(this);
      await this.client.dispose();
      return;
    }
    await this.client.unsubscribe(args).catch((error: unknown) => log.warn({ err: describeError(error) }, 'unsubscribe failed'));
  }

  /**
   * Unsubscribe, wait for the ack, subscribe again: OKX then sends a fresh snapshot. Always
   * sends (the caller decides when a resync is due); a refused request is reported to the
   * subscriber with its op, and the pending resync is forgotten so it can be tried again.
   */
  async resync(arg: OkxArg): Promise<void> {
    this.resyncs.add(argKey(arg));
    await this.client.resend('unsubscribe', [arg]);
  }

  /** Sends a subscribe again for args the exchange refused (they stay in the bookkeeping). */
  async resubscribe(args: readonly OkxArg[]): Promise<void> {
    await this.client.resend('subscribe', args);
  }

  /** Replaces the socket at once: every subscription is renewed (books send new snapshots). */
  reconnect(reason: string): void {
    this.client.reconnect(reason);
  }

  /** Drops the socket as a network failure would (used by tests and diagnostics). */
  drop(reason: string): void {
    this.client.drop(reason);
  }

  private encode(op: 'subscribe' | 'unsubscribe', args: readonly OkxArg[]): string[] {
    const frames: string[] = [];
    for (let i = 0; i < args.length; i += MAX_ARGS_PER_REQUEST) {
      const chunk = args.slice(i, i + MAX_ARGS_PER_REQUEST);
      const id = String(this.nextId++);
      this.requests.set(id, { op, args: chunk });
      if (this.requests.size > MAX_TRACKED_REQUESTS) {
        const oldest = this.requests.keys().next().value;
        if (oldest !== undefined) this.requests.delete(oldest);
      }
      frames.push(JSON.stringify({ id, op, args: chunk.map((a) => ({ channel: a.channel, instId: a.instId })) }));
    }
    return frames;
  }

  private onMessage(text: string, receivedAt: number): void {
    let frame;
    try {
      frame = decodeFrame(text);
    } catch (error) {
      const problem = asError(error);
      this.broadcast((s) => s.onProblem(problem));
      return;
    }
    if (frame.kind === 'push') {
      const { channel, instId } = frame.push.arg;
      if (instId === undefined) return;
      this.routes.get(argKey({ channel, instId }))?.onPush(frame.push, text, receivedAt);
      return;
    }
    this.onEvent(frame.event);
  }

  private onEvent(event: OkxEvent): void {
    const arg = event.arg?.instId === undefined ? undefined : { channel: event.arg.channel, instId: event.arg.instId };
    switch (event.event) {
      case 'subscribe':
      case 'unsubscribe': {
        if (arg === undefined) return;
        const key = argKey(arg);
        if (event.event === 'unsubscribe' && this.resyncs.delete(key) && this.routes.has(key)) {
          this.client.resend('subscribe', [arg]).catch((error: unknown) => this.routes.get(key)?.onProblem(asError(error)));
        }
        this.routes.get(key)?.onAck(event.event, arg);
        return;
      }
      case 'error':
        this.onError(event);
        return;
      case 'notice':
        if (event.code === '64008') {
          log.info({ endpoint: this.endpoint, msg: event.msg }, 'service upgrade notice: reconnecting now');
          this.client.reconnect(`OKX service upgrade notice (64008)`);
        }
        return;
      default:
        log.debug({ event: event.event }, 'unhandled OKX event');
    }
  }

  private onError(event: OkxEvent): void {
    const error = okxEventError(event.code ?? '?', event.msg ?? '');
    const requested = event.id === undefined ? undefined : this.requests.get(event.id);
    if (event.id !== undefined) this.requests.delete(event.id);
    // Without a request id, OKX names the instrument in the message (`instId:FOO-BAR`).
    const named = /instId:([A-Za-z0-9-]+)/.exec(event.msg ?? '')?.[1];
    const args =
      requested?.args ?? [...this.routes.keys()].map(parseKey).filter((a) => named !== undefined && a.instId === named);
    const bySubscriber = new Map<OkxSubscriber, OkxArg[]>();
    for (const arg of args) {
      // A refused resync step is over: the subscriber decides whether to try again.
      this.resyncs.delete(argKey(arg));
      const subscriber = this.routes.get(argKey(arg));
      if (subscriber !== undefined) bySubscriber.set(subscriber, [...(bySubscriber.get(subscriber) ?? []), arg]);
    }
    if (bySubscriber.size === 0) {
      this.broadcast((s) => s.onProblem(error));
      return;
    }
    for (const [subscriber, subscriberArgs] of bySubscriber) subscriber.onSubscriptionError(error, subscriberArgs, requested?.op);
  }

  private broadcast(fn: (subscriber: OkxSubscriber) => void): void {
    for (const subscriber of [...this.members.keys()]) {
      try {
        fn(subscriber);
      } catch (error) {
        log.error({ err: describeError(error) }, 'subscriber failed');
      }
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new ExchangeProtocolError(describeError(error));
}

function parseKey(key: string): OkxArg {
  const split = key.indexOf(':');
  return { channel: key.slice(0, split), instId: key.slice(split + 1) };
}

export class OkxConnectionPool {
  private readonly connections = new Map<string, OkxConnection[]>();
  private readonly connectLimiters = new Map<string, RateLimiter>();

  constructor(private readonly options: OkxConnectionOptions = {}) {}

  /** A connection to `url` with room for `books` more order-book channels. */
  acquire(url: string, endpoint: OkxEndpoint, books: number): OkxConnection {
    const list = this.connections.get(url) ?? [];
    const reusable = list.find((c) => !c.failed && c.bookChannels + books <= MAX_BOOKS_PER_CONNECTION);
    if (reusable !== undefined) return reusable;
    const connection = new OkxConnection(url, endpoint, this, this.limiterFor(url), this.options);
    this.connections.set(url, [...list, connection]);
    return connection;
  }

  forget(connection: OkxConnection): void {
    const list = (this.connections.get(connection.url) ?? []).filter((c) => c !== connection);
    if (list.length === 0) this.connections.delete(connection.url);
    else this.connections.set(connection.url, list);
  }

  /** Open connections (for diagnostics and tests). */
  count(): number {
    let total = 0;
    for (const list of this.connections.values()) total += list.length;
    return total;
  }

  private limiterFor(url: string): RateLimiter {
    const host = new URL(url).host;
    let limiter = this.connectLimiters.get(host);
    if (limiter === undefined) {
      // New connections: 3 per second per IP.
      limiter = new RateLimiter({ capacity: 3, tokensPerInterval: 3, intervalMs: 1000, name: `okx connections to ${host}` });
      this.connectLimiters.set(host, limiter);
    }
    return limiter;
  }
}

/** The process-wide pool every OkxCollector shares. */
export const okxConnections = new OkxConnectionPool();
