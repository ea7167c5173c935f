// SharedConnection: one WebSocket to one venue endpoint, shared by every collector of the
// process. Many subscriptions per socket (up to a per-venue cap), pushes routed to their
// subscriber by key, resubscription after every reconnect (by the WebSocket client), requests
// sent with ids so the venue's errors reach the collector that caused them, a per-venue budget
// of outbound requests, a resync (unsubscribe, then subscribe on the ack), and a proactive
// reconnect before the venue ends the connection's lifetime or when it announces a shutdown.
// A venue only supplies a VenueCodec: how to write (un)subscribe requests and what an inbound
// frame is. No promise started here is left unhandled.

import { ExchangeConnectionError, ExchangeProtocolError, describeError, type ExchangeError } from './errors.js';
import { getLogger } from './logger.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { ExchangeWebSocketClient, type CloseDecision, type KeepAlive, type WsClientStats } from './ws-client.js';

const log = getLogger('connections');

export type SubscriptionOp = 'subscribe' | 'unsubscribe';

/** What an inbound text frame is, as the venue's codec reads it. */
export type InboundFrame<A> = InboundKind<A> & {
  /**
   * The connection-wide sequence number of the frame, for venues that number every frame of a
   * connection (Coinbase `sequence_num`): a jump means frames were lost on every channel.
   */
  readonly seq?: number;
};

type InboundKind<A> =
  /** Market data for the subscription with this routing key. */
  | { readonly kind: 'push'; readonly key: string; readonly payload: unknown }
  /** Market data for several subscriptions at once (Coinbase: one frame, several products). */
  | { readonly kind: 'pushes'; readonly keys: readonly string[]; readonly payload: unknown }
  /**
   * The venue lists every subscription of the connection after each change (Coinbase): pending
   * subscribes whose keys are all listed are acknowledged, and pending unsubscribes whose keys
   * are all gone.
   */
  | { readonly kind: 'subscriptions'; readonly keys: ReadonlySet<string> }
  /** A request was accepted: for these args, or (no args) for every arg of request `id`. */
  | { readonly kind: 'ack'; readonly id?: string; readonly op?: SubscriptionOp; readonly args?: readonly A[] }
  /**
   * A request was refused: request `id`, or (without an id) the subscriptions whose routing key
   * `names` accepts (e.g. OKX names the instrument in the message).
   */
  | { readonly kind: 'error'; readonly id?: string; readonly names?: (key: string) => boolean; readonly error: ExchangeError }
  /** The venue will close this connection soon (service upgrade, shutdown): reconnect now. */
  | { readonly kind: 'reconnect'; readonly reason: string }
  /** Nothing for anyone (a pong, an informational event). */
  | { readonly kind: 'ignore' };

/** What a venue supplies to share connections. */
export interface VenueCodec<A> {
  /** Routing key of a subscription argument; pushes carry the same key. */
  key(arg: A): string;
  /** The request frame(s) for `args` under request id `id` (several where the venue takes one channel per request). */
  encode(op: SubscriptionOp, args: readonly A[], id: string): string | readonly string[];
  /** Most args in one request frame. */
  readonly maxArgsPerRequest: number;
  /** Reads one inbound text frame; throws (an ExchangeProtocolError) on one it cannot read. */
  classify(text: string): InboundFrame<A>;
  /** How much of the connection's capacity an arg uses (e.g. OKX: a book channel counts 1). */
  weight?(arg: A): number;
}

/** One venue's rules for its connections. */
export interface ConnectionRules {
  /** Label for logs (`okx/public`, `binance/spot`). */
  readonly name: string;
  readonly keepAlive: KeepAlive;
  readonly classifyClose?: (code: number, reason: string) => CloseDecision;
  /** Subscribe/unsubscribe requests per connection. */
  readonly requestLimit: RateLimiterOptions;
  /** New connections to one host. */
  readonly connectLimit: RateLimiterOptions;
  /** Most args per connection, by weight (see VenueCodec.weight); beyond it a new connection opens. */
  readonly capacity: number;
  /** Reconnect before the venue ends a connection at this age (e.g. Binance: 24 h). */
  readonly lifetimeMs?: number;
  readonly maxMessageBytes?: number;
  /** Binary frames are a protocol error for venues that never send them. */
  readonly binaryFrames?: 'text' | 'reject';
  readonly idleMs?: number;
  readonly pongTimeoutMs?: number;
}

export interface ConnectionSubscriber<A> {
  onPush(key: string, payload: unknown, text: string, receivedAt: number): void;
  onAck(op: SubscriptionOp, arg: A): void;
  /** The venue refused a request; `op` is undefined when the error could not be tied to one. */
  onSubscriptionError(error: ExchangeError, args: readonly A[], op: SubscriptionOp | undefined): void;
  onProblem(error: Error): void;
  onConnection(state: 'open' | 'reconnecting' | 'failed', error?: ExchangeError): void;
  /** Frames were lost on this connection (its sequence jumped from `expected - 1` to `got`): every channel missed data. */
  onSequenceGap?(expected: number, got: number): void;
}

/** Outstanding request ids remembered for error attribution. */
const MAX_TRACKED_REQUESTS = 500;
/** Reconnect this long before the venue's lifetime limit. */
const LIFETIME_MARGIN_MS = 5 * 60_000;

export class SharedConnection<A> {
  private readonly client: ExchangeWebSocketClient<A>;
  private readonly routes = new Map<string, ConnectionSubscriber<A>>();
  /** The arg behind each routing key. */
  private readonly argsByKey = new Map<string, A>();
  private readonly members = new Map<ConnectionSubscriber<A>, A[]>();
  private readonly requests = new Map<string, { readonly op: SubscriptionOp; readonly args: readonly A[] }>();
  private readonly resyncs = new Set<string>();
  private lifetimeTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private disposed = false;
  /** The last connection-wide sequence number seen on this socket (venues that number frames). */
  private lastSeq: number | undefined;

  constructor(
    readonly url: string,
    private readonly codec: VenueCodec<A>,
    private readonly rules: ConnectionRules,
    private readonly pool: ConnectionPool<A>,
    connectLimiter: RateLimiter,
  ) {
    this.client = new ExchangeWebSocketClient<A>({
      url,
      name: rules.name,
      subscriptions: { key: (arg) => codec.key(arg), encode: (op, args) => this.encode(op, args) },
      keepAlive: rules.keepAlive,
      onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
      ...(rules.classifyClose === undefined ? {} : { classifyClose: rules.classifyClose }),
      connectLimiter,
      requestLimit: rules.requestLimit,
      ...(rules.binaryFrames === undefined ? {} : { binaryFrames: rules.binaryFrames }),
      ...(rules.maxMessageBytes === undefined ? {} : { maxMessageBytes: rules.maxMessageBytes }),
    });
    this.client.on('reconnecting', ({ reason, delayMs }) => {
      this.resyncs.clear();
      const error = new ExchangeConnectionError(`${rules.name}: ${reason}; reconnecting in ${delayMs} ms`);
      this.broadcast((s) => s.onConnection('reconnecting', error));
    });
    this.client.on('open', ({ connects }) => {
      // A new socket numbers its frames from the start.
      this.lastSeq = undefined;
      this.armLifetime();
      if (connects > 1) this.broadcast((s) => s.onConnection('open'));
    });
    this.client.on('giveUp', (error) => this.broadcast((s) => s.onConnection('failed', error)));
  }

  get failed(): boolean {
    return this.client.state === 'failed' || this.disposed;
  }

  /** Whether a subscriber already collects the arg with this key here. */
  carries(key: string): boolean {
    return this.routes.has(key);
  }

  /** Capacity used, by weight. */
  get load(): number {
    let load = 0;
    for (const args of this.members.values()) for (const arg of args) load += this.codec.weight?.(arg) ?? 1;
    return load;
  }

  stats(): WsClientStats {
    return this.client.stats();
  }

  /** Subscribes `args` for `subscriber` and resolves once the connection is open. */
  async add(subscriber: ConnectionSubscriber<A>, args: readonly A[]): Promise<void> {
    for (const arg of args) {
      const owner = this.routes.get(this.codec.key(arg));
      if (owner !== undefined && owner !== subscriber) {
        throw new ExchangeProtocolError(`${this.codec.key(arg)} is already collected on this connection`);
      }
    }
    this.members.set(subscriber, [...(this.members.get(subscriber) ?? []), ...args]);
    for (const arg of args) {
      this.routes.set(this.codec.key(arg), subscriber);
      this.argsByKey.set(this.codec.key(arg), arg);
    }
    await this.client.subscribe(args);
    await this.client.connect();
  }

  /** Unsubscribes everything of `subscriber`; the last one out closes the connection. */
  async remove(subscriber: ConnectionSubscriber<A>): Promise<void> {
    const args = this.members.get(subscriber);
    if (args === undefined) return;
    this.members.delete(subscriber);
    for (const arg of args) {
      this.routes.delete(this.codec.key(arg));
      this.argsByKey.delete(this.codec.key(arg));
      this.resyncs.delete(this.codec.key(arg));
    }
    if (this.members.size === 0) {
      this.disposed = true;
      this.clearLifetime();
      this.pool.forget(this);
      await this.client.dispose();
      return;
    }
    await this.client.unsubscribe(args).catch((error: unknown) => log.warn({ connection: this.rules.name, err: describeError(error) }, 'unsubscribe failed'));
  }

  /**
   * Unsubscribe, wait for the ack, subscribe again: the venue then sends fresh state. Always
   * sends (the caller decides when a resync is due); a refused request is reported with its op.
   */
  async resync(arg: A): Promise<void> {
    this.resyncs.add(this.codec.key(arg));
    await this.client.resend('unsubscribe', [arg]);
  }

  /** Sends a subscribe again for args the venue refused (they stay in the bookkeeping). */
  async resubscribe(args: readonly A[]): Promise<void> {
    await this.client.resend('subscribe', args);
  }

  /** Replaces the socket at once: every subscription is renewed. */
  reconnect(reason: string): void {
    this.client.reconnect(reason);
  }

  /** Drops the socket as a network failure would (tests and diagnostics). */
  drop(reason: string): void {
    this.client.drop(reason);
  }

  private encode(op: SubscriptionOp, args: readonly A[]): string[] {
    const frames: string[] = [];
    for (let i = 0; i < args.length; i += this.codec.maxArgsPerRequest) {
      const chunk = args.slice(i, i + this.codec.maxArgsPerRequest);
      const id = String(this.nextId++);
      this.requests.set(id, { op, args: chunk });
      if (this.requests.size > MAX_TRACKED_REQUESTS) {
        const oldest = this.requests.keys().next().value;
        if (oldest !== undefined) this.requests.delete(oldest);
      }
      const encoded = this.codec.encode(op, chunk, id);
      if (typeof encoded === 'string') frames.push(encoded);
      else frames.push(...encoded);
    }
    return frames;
  }

  private onMessage(text: string, receivedAt: number): void {
    let frame: InboundFrame<A>;
    try {
      frame = this.codec.classify(text);
    } catch (error) {
      const problem = error instanceof Error ? error : new ExchangeProtocolError(describeError(error));
      this.broadcast((s) => s.onProblem(problem));
      return;
    }
    if (frame.seq !== undefined) this.checkSequence(frame.seq);
    switch (frame.kind) {
      case 'push':
        this.routes.get(frame.key)?.onPush(frame.key, frame.payload, text, receivedAt);
        return;
      case 'pushes':
        for (const key of frame.keys) this.routes.get(key)?.onPush(key, frame.payload, text, receivedAt);
        return;
      case 'subscriptions':
        this.onSubscriptionList(frame.keys);
        return;
      case 'ack':
        this.onAck(frame);
        return;
      case 'error':
        this.onError(frame);
        return;
      case 'reconnect':
        log.info({ connection: this.rules.name, reason: frame.reason }, 'the venue will close this connection: reconnecting now');
        this.client.reconnect(frame.reason);
        return;
      case 'ignore':
        return;
    }
  }

  private onAck(frame: Extract<InboundFrame<A>, { kind: 'ack' }>): void {
    const request = frame.id === undefined ? undefined : this.requests.get(frame.id);
    const op = frame.op ?? request?.op;
    if (op === undefined) return;
    // A venue that acks per request (Binance) names no args: the request's are meant.
    const args = frame.args ?? request?.args ?? [];
    if (frame.args === undefined && frame.id !== undefined) this.requests.delete(frame.id);
    for (const acked of args) {
      const key = this.codec.key(acked);
      // The arg as subscribed (a venue's ack may leave parameters out, e.g. a book's depth).
      const arg = this.argsByKey.get(key) ?? acked;
      if (op === 'unsubscribe' && this.resyncs.delete(key) && this.routes.has(key)) {
        this.client
          .resend('subscribe', [arg])
          .catch((error: unknown) => this.routes.get(key)?.onProblem(error instanceof Error ? error : new Error(describeError(error))));
      }
      this.routes.get(key)?.onAck(op, arg);
    }
  }

  private checkSequence(seq: number): void {
    const last = this.lastSeq;
    this.lastSeq = seq;
    if (last === undefined || seq === last + 1) return;
    log.warn({ connection: this.rules.name, expected: last + 1, got: seq }, 'frames were lost on this connection');
    this.broadcast((s) => s.onSequenceGap?.(last + 1, seq));
  }

  /** Acknowledges what a venue's full list of subscriptions confirms (see InboundFrame `subscriptions`), arg by arg. */
  private onSubscriptionList(listed: ReadonlySet<string>): void {
    for (const [id, request] of [...this.requests]) {
      const done = request.args.filter((arg) => listed.has(this.codec.key(arg)) === (request.op === 'subscribe'));
      if (done.length === 0) continue;
      const left = request.args.filter((arg) => !done.includes(arg));
      if (left.length === 0) this.requests.delete(id);
      else this.requests.set(id, { op: request.op, args: left });
      this.onAck({ kind: 'ack', op: request.op, args: done });
    }
  }

  private onError(frame: Extract<InboundFrame<A>, { kind: 'error' }>): void {
    const named = frame.names;
    let id = frame.id;
    if (id === undefined && named !== undefined) {
      // A venue that names what it refused but not the request (Coinbase): the oldest pending
      // request carrying a named subscription is the one refused.
      for (const [pending, request] of this.requests) {
        if (request.args.some((arg) => named(this.codec.key(arg)))) {
          id = pending;
          break;
        }
      }
    }
    const request = id === undefined ? undefined : this.requests.get(id);
    if (id !== undefined) this.requests.delete(id);
    const args = request?.args ?? (named === undefined ? [] : [...this.argsByKey].filter(([key]) => named(key)).map(([, arg]) => arg));
    const bySubscriber = new Map<ConnectionSubscriber<A>, A[]>();
    for (const arg of args) {
      const key = this.codec.key(arg);
      // A refused resync step is over: the subscriber decides whether to try again.
      this.resyncs.delete(key);
      const subscriber = this.routes.get(key);
      if (subscriber !== undefined) bySubscriber.set(subscriber, [...(bySubscriber.get(subscriber) ?? []), arg]);
    }
    if (bySubscriber.size === 0) {
      // A refusal naming subscriptions no one holds any more (its collector already failed) is nobody's problem.
      if (named !== undefined && request === undefined) {
        log.debug({ connection: this.rules.name, err: frame.error.message }, 'refusal of a subscription no longer held');
        return;
      }
      this.broadcast((s) => s.onProblem(frame.error));
      return;
    }
    if (request !== undefined && bySubscriber.size > 1 && !frame.error.retryable) {
      // One request carried several collectors' args (e.g. everything subscribed when a socket
      // opens) and the venue refused it whole: ask again per collector, so that the refusal
      // reaches only the one whose symbol it is.
      for (const subscriberArgs of bySubscriber.values()) {
        this.client
          .resend(request.op, subscriberArgs)
          .catch((error: unknown) => this.broadcast((s) => s.onProblem(error instanceof Error ? error : new Error(describeError(error)))));
      }
      return;
    }
    for (const [subscriber, subscriberArgs] of bySubscriber) subscriber.onSubscriptionError(frame.error, subscriberArgs, request?.op);
  }

  /** Reconnects before the venue's lifetime limit ends the connection mid-stream. */
  private armLifetime(): void {
    this.clearLifetime();
    const lifetime = this.rules.lifetimeMs;
    if (lifetime === undefined) return;
    const after = Math.max(1000, lifetime - Math.min(LIFETIME_MARGIN_MS, lifetime / 10));
    this.lifetimeTimer = setTimeout(() => {
      this.lifetimeTimer = undefined;
      this.client.reconnect(`${this.rules.name}: renewing the connection before the venue's ${describeAge(lifetime)} limit`);
    }, after);
    this.lifetimeTimer.unref();
  }

  private clearLifetime(): void {
    if (this.lifetimeTimer !== undefined) clearTimeout(this.lifetimeTimer);
    this.lifetimeTimer = undefined;
  }

  private broadcast(fn: (subscriber: ConnectionSubscriber<A>) => void): void {
    for (const subscriber of [...this.members.keys()]) {
      try {
        fn(subscriber);
      } catch (error) {
        log.error({ err: describeError(error) }, 'subscriber failed');
      }
    }
  }
}

/** `24 h`, `90 min`, `2 s`. */
function describeAge(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** Hands out shared connections per endpoint URL, opening another when one is full. */
export class ConnectionPool<A> {
  private readonly connections = new Map<string, SharedConnection<A>[]>();
  private readonly connectLimiters = new Map<string, RateLimiter>();

  constructor(
    private readonly codec: VenueCodec<A>,
    private readonly rules: (url: string) => ConnectionRules,
  ) {}

  /** A connection to `url` with room for `args`. */
  acquire(url: string, args: readonly A[]): SharedConnection<A> {
    const rules = this.rules(url);
    const needed = args.reduce((sum, arg) => sum + (this.codec.weight?.(arg) ?? 1), 0);
    const list = this.connections.get(url) ?? [];
    // A connection that already carries one of the args (e.g. two contracts on one index) is not reused.
    const reusable = list.find((c) => !c.failed && c.load + needed <= rules.capacity && args.every((arg) => !c.carries(this.codec.key(arg))));
    if (reusable !== undefined) return reusable;
    const connection = new SharedConnection(url, this.codec, rules, this, this.limiterFor(url, rules));
    this.connections.set(url, [...list, connection]);
    return connection;
  }

  forget(connection: SharedConnection<A>): void {
    const list = (this.connections.get(connection.url) ?? []).filter((c) => c !== connection);
    if (list.length === 0) this.connections.delete(connection.url);
    else this.connections.set(connection.url, list);
  }

  /** Open connections (diagnostics and tests). */
  count(): number {
    let total = 0;
    for (const list of this.connections.values()) total += list.length;
    return total;
  }

  private limiterFor(url: string, rules: ConnectionRules): RateLimiter {
    const host = new URL(url).host;
    let limiter = this.connectLimiters.get(host);
    if (limiter === undefined) {
      limiter = new RateLimiter({ ...rules.connectLimit, name: `${rules.name} connections to ${host}` });
      this.connectLimiters.set(host, limiter);
    }
    return limiter;
  }
}
