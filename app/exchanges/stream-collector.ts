// StreamCollector: the collector of one symbol whose streams all travel on one shared
// connection of its venue (Binance, Bybit, Coinbase, Kraken). It owns the session (subscribe,
// wait for every ack, leave), routes pushes to the venue's feed processor, keeps the book
// honest (a broken or stale book is resynced by resubscribing its stream; BookRecovery
// escalates to a new connection until it is valid again; an optional REST snapshot is spliced
// onto buffered updates) and turns the venue's refusals into the collector's errors. A venue
// supplies its connection pool and subscription args, a feed processor, and optionally its
// REST snapshot. No promise started here is left unhandled.

import { BookRecovery } from '../book/book-recovery.js';
import type { BookSync, RestSpliceResult } from '../book/book-sync.js';
import type { OrderBook } from '../book/order-book.js';
import { RestSnapshotLoader } from '../book/rest-snapshot.js';
import { BaseDataCollector, type BookStatus, type CollectorOptions, type StreamKey, type TransportStats } from '../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../core/config.js';
import { ExchangeError, ExchangeProtocolError, RateLimitError, SubscriptionError } from '../core/errors.js';
import type { ConnectionPool, ConnectionSubscriber, SharedConnection, SubscriptionOp } from '../core/shared-connection.js';
import type { FeedSink } from './types.js';

const ACK_TIMEOUT_MS = 10_000;

/** What the stream collector needs of a venue's feed processor. */
export interface StreamProcessor {
  readonly bookSync: BookSync<unknown> | undefined;
  handlePush(key: string, payload: unknown, receivedAt: number): void;
  /** Frames were lost on the connection (all channels): drop whatever was built from them. */
  framesLost?(): void;
}

/** One symbol's subscriptions on its venue. */
export interface StreamPlan<A> {
  /** The venue's registry id and its name for people. */
  readonly exchange: string;
  readonly displayName: string;
  readonly pool: ConnectionPool<A>;
  /** The WebSocket URL the args go to. */
  readonly url: string;
  readonly args: readonly A[];
  /** The book's subscription, resubscribed to resync the book; undefined without a book. */
  readonly bookArg: A | undefined;
  /** The routing key of an arg (as the pool's codec keys it). */
  key(arg: A): string;
}

/** How a venue takes a book snapshot over REST. */
export interface RestSnapshotPlan<S> {
  /** How long to wait for a snapshot on the stream first (0: the venue never sends one). */
  readonly graceMs: number;
  fetch(signal: AbortSignal): Promise<S>;
  /** Splices the buffered updates onto the snapshot (see BookSync.loadRestSnapshot). */
  splice(snapshot: S): RestSpliceResult;
}

export abstract class StreamCollector<A, P extends StreamProcessor, S = never> extends BaseDataCollector {
  protected readonly plan: StreamPlan<A>;
  protected readonly recovery: BookRecovery;
  /** The current session's processor (undefined while stopped). */
  protected processor: P | undefined;
  private readonly snapshots: RestSnapshotLoader<S>;
  private connection: SharedConnection<A> | undefined;
  private subscriber: ConnectionSubscriber<A> | undefined;
  /** Identity of the current session; callbacks from an ended session are ignored. */
  private session: object | undefined;
  private pendingAcks = new Set<string>();
  private ackWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(config: ExchangeCollectorConfig, options: CollectorOptions, plan: StreamPlan<A>) {
    super(config, options);
    this.plan = plan;
    this.recovery = new BookRecovery(
      { resubscribe: (reason) => this.resyncBook(reason), reconnect: (reason) => this.reconnectBook(reason) },
      { boundMs: this.recoveryBoundMs, now: this.now },
    );
    this.snapshots = new RestSnapshotLoader<S>(
      {
        wanted: () => this.session !== undefined && this.processor?.bookSync?.state === 'awaiting',
        fetch: (signal) => this.requireSnapshotPlan().fetch(signal),
        splice: (snapshot) => this.requireSnapshotPlan().splice(snapshot),
      },
      {
        loaded: () => {
          this.log.info({ seqId: this.processor?.bookSync?.seqId }, 'order book loaded from a REST snapshot');
          this.recovery.valid();
          this.emitStatus();
        },
        failed: (reason, gap) => {
          if (gap) {
            this.countSequenceGap();
            this.processor?.bookSync?.invalidate();
          }
          this.recovery.broken(`invalid: ${reason}`);
        },
        problem: (error) => this.recordError(error),
      },
      { retryAfterMs: (error) => (error instanceof RateLimitError ? (error.retryAfterMs ?? 2000) : undefined) },
    );
  }

  /** The venue's feed processor for a new session. */
  protected abstract createProcessor(sink: FeedSink): P;

  /** The venue's REST snapshot, when its book can (or must) start from one. */
  protected snapshotPlan(): RestSnapshotPlan<S> | undefined {
    return undefined;
  }

  /** Opens the venue's other session resources (REST clients); called before subscribing. */
  protected beginSession(): void {}

  /** Releases what beginSession opened. */
  protected endSession(): void {}

  override getBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  override getDisplayBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.displayable === true ? sync.book : undefined;
  }

  protected override bookStatus(): BookStatus | null {
    if (this.plan.bookArg === undefined) return null;
    const recovery = this.recovery.status();
    const info =
      recovery === undefined
        ? null
        : { step: recovery.step, escalations: recovery.escalations, since: recovery.since, deadline: recovery.deadline, reason: recovery.reason };
    const sync = this.processor?.bookSync;
    if (sync === undefined) return { state: 'syncing', seqId: null, bids: 0, asks: 0, crossed: false, sequenceResets: 0, lastChangeAt: null, recovery: info };
    return { ...sync.status(this.sequenceResets), recovery: info };
  }

  /** Documented sequence resets seen (shown with the book; not errors). */
  protected sequenceResets = 0;

  protected override transportStats(): TransportStats {
    const stats = this.connection?.stats();
    return { queueDepth: stats?.queueDepth ?? 0, dropped: stats?.dropped ?? 0 };
  }

  protected override onStreamStale(key: StreamKey, reason: string): void {
    if (key !== 'orderbook' || this.plan.bookArg === undefined) return;
    // Consistent but not current: shown stale with its age, and renewed.
    this.processor?.bookSync?.markStale();
    this.recovery.broken(`stale: ${reason}`);
    this.emitStatus();
  }

  protected override onLivenessTick(): void {
    this.recovery.tick();
  }

  protected async openSession(signal: AbortSignal): Promise<void> {
    const { plan } = this;
    this.beginSession();
    this.processor = this.createProcessor(this.feedSink());
    this.recovery.reset();
    if (plan.bookArg !== undefined) this.recovery.waiting('waiting for the first snapshot');
    const session = {};
    this.session = session;
    this.pendingAcks = new Set(plan.args.map((arg) => plan.key(arg)));
    const acked = new Promise<void>((resolve, reject) => {
      this.ackWaiter = { resolve, reject };
    });
    acked.catch(() => undefined);
    const connection = plan.pool.acquire(plan.url, plan.args);
    const subscriber = this.makeSubscriber(session);
    this.connection = connection;
    this.subscriber = subscriber;
    await connection.add(subscriber, plan.args);
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ExchangeProtocolError(`${plan.displayName} did not confirm the subscriptions for ${this.config.symbol} within ${ACK_TIMEOUT_MS / 1000} s`, {
              exchange: plan.exchange,
            }),
          ),
        ACK_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([acked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  protected async closeSession(): Promise<void> {
    this.session = undefined;
    this.recovery.reset();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.snapshots.cancel();
    this.endSession();
    this.ackWaiter?.reject(new ExchangeError('collector stopped', false, { exchange: this.plan.exchange }));
    this.ackWaiter = undefined;
    const connection = this.connection;
    const subscriber = this.subscriber;
    this.connection = undefined;
    this.subscriber = undefined;
    if (connection !== undefined && subscriber !== undefined) await connection.remove(subscriber);
    this.processor?.bookSync?.invalidate();
  }

  /** Runs `fn` after `delayMs` unless the session ends first. */
  protected later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private requireSnapshotPlan(): RestSnapshotPlan<S> {
    const plan = this.snapshotPlan();
    if (plan === undefined) throw new ExchangeError(`${this.plan.displayName} has no REST snapshot`, false, { exchange: this.plan.exchange });
    return plan;
  }

  private makeSubscriber(session: object): ConnectionSubscriber<A> {
    const current = (): boolean => this.session === session;
    return {
      onPush: (key, payload, text, receivedAt) => {
        if (!current()) return;
        this.publishRaw(this.plan.exchange, text, receivedAt);
        this.processor?.handlePush(key, payload, receivedAt);
      },
      onAck: (op, arg) => {
        if (current()) this.onAck(op, arg);
      },
      onSubscriptionError: (error, args, op) => {
        if (current()) this.onSubscriptionError(error, args, op);
      },
      onProblem: (error) => {
        if (current()) this.recordError(error);
      },
      onConnection: (state, error) => {
        if (current()) this.onConnection(state, error);
      },
      onSequenceGap: (expected, got) => {
        if (current()) this.onFramesLost(expected, got);
      },
    };
  }

  private feedSink(): FeedSink {
    return {
      publish: (event) => {
        this.publish(event);
        if ((event.kind === 'book_snapshot' || event.kind === 'book_update') && this.recovery.active && this.processor?.bookSync?.state === 'valid') {
          this.snapshots.cancel();
          this.recovery.valid();
          this.emitStatus();
        }
      },
      problem: (error) => this.recordError(error),
      bookBroken: (kind, reason) => {
        if (kind === 'gap') this.countSequenceGap();
        else if (kind === 'checksum') this.countChecksumFailure();
        this.recovery.broken(`invalid: ${reason}`);
      },
      awaitingSnapshot: () => {
        const rest = this.snapshotPlan();
        if (rest !== undefined) this.snapshots.request(rest.graceMs);
        this.recovery.waiting('waiting for a snapshot');
      },
      sequenceReset: (from, to) => {
        this.sequenceResets += 1;
        this.log.info({ from, to }, `${this.plan.displayName} order-book sequence reset`);
      },
      bookAlive: (receivedAt) => this.markAlive('orderbook', receivedAt),
    };
  }

  /** The connection's own sequence jumped: every channel of it missed frames, the book included. */
  private onFramesLost(expected: number, got: number): void {
    const what = `sequence gap on the ${this.plan.displayName} connection: ${got - expected} frame${got - expected === 1 ? '' : 's'} lost (${expected - 1} → ${got})`;
    this.recordError(new ExchangeProtocolError(`${this.config.symbol}: ${what}`, { exchange: this.plan.exchange }));
    this.processor?.framesLost?.();
    const sync = this.processor?.bookSync;
    if (sync === undefined) return;
    this.countSequenceGap();
    sync.invalidate();
    this.recovery.broken(`invalid: ${what}`);
    this.emitStatus();
  }

  private onAck(op: SubscriptionOp, arg: A): void {
    if (op !== 'subscribe') return;
    const key = this.plan.key(arg);
    if (this.plan.bookArg !== undefined && key === this.plan.key(this.plan.bookArg) && this.processor?.bookSync?.state !== 'valid') {
      // A (re)subscribed book starts over: its updates wait for a snapshot.
      this.processor?.bookSync?.awaitSnapshot();
      this.recovery.waiting('waiting for a snapshot');
      this.emitStatus();
    }
    if (this.pendingAcks.delete(key) && this.pendingAcks.size === 0) {
      this.ackWaiter?.resolve();
      this.ackWaiter = undefined;
    }
  }

  /** Resubscribes the book's stream: the venue starts it over (a snapshot, or diffs for a REST splice). */
  private resyncBook(reason: string): void {
    const arg = this.plan.bookArg;
    const connection = this.connection;
    if (arg === undefined || connection === undefined) return;
    this.snapshots.cancel();
    this.countResync();
    this.relearnStream('orderbook');
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; resubscribing`, { exchange: this.plan.exchange }));
    // A stale book keeps its levels (shown greyed) until the fresh state arrives.
    if (this.processor?.bookSync?.state !== 'stale') this.processor?.bookSync?.awaitSnapshot();
    connection.resync(arg).catch((error: unknown) => this.recordError(error));
  }

  /** The last escalation: a new connection renews every subscription on it. */
  private reconnectBook(reason: string): void {
    const connection = this.connection;
    if (connection === undefined) return;
    this.snapshots.cancel();
    this.processor?.bookSync?.invalidate();
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; reconnecting`, { exchange: this.plan.exchange }));
    connection.reconnect(`order book of ${this.config.symbol} ${reason}`);
  }

  private onSubscriptionError(error: ExchangeError, args: readonly A[], op: SubscriptionOp | undefined): void {
    const bookArg = this.plan.bookArg;
    const bookKey = bookArg === undefined ? undefined : this.plan.key(bookArg);
    if (error instanceof RateLimitError) {
      this.recordError(error);
      this.later(error.retryAfterMs ?? 1000, () => {
        // A refused resync step starts the resync again; anything else is asked for again.
        if (op === 'unsubscribe' && bookArg !== undefined && args.some((a) => this.plan.key(a) === bookKey)) {
          this.connection?.resync(bookArg).catch((e: unknown) => this.recordError(e));
        } else {
          this.connection?.resubscribe(args).catch((e: unknown) => this.recordError(e));
        }
      });
      return;
    }
    const what = `${this.config.symbol} (${args.map((a) => this.plan.key(a)).join(', ')})`;
    const options = { exchange: this.plan.exchange, cause: error, ...(error.exchangeCode === undefined ? {} : { exchangeCode: error.exchangeCode }) };
    const wrapped = error.retryable
      ? new ExchangeProtocolError(`${what}: ${error.message}`, options)
      : new SubscriptionError(`${what}: ${error.message}`, options);
    if (this.ackWaiter !== undefined) {
      this.ackWaiter.reject(wrapped);
      this.ackWaiter = undefined;
      return;
    }
    if (wrapped.retryable || op === 'unsubscribe') this.recordError(wrapped);
    else this.fail(wrapped);
  }

  private onConnection(state: 'open' | 'reconnecting' | 'failed', error?: ExchangeError): void {
    if (state === 'failed') {
      this.fail(error ?? new ExchangeError(`${this.plan.displayName} connection failed`, true, { exchange: this.plan.exchange }));
      return;
    }
    if (state === 'reconnecting') {
      // Nothing stale is published while the socket is down; the resubscribe brings a fresh book.
      this.processor?.bookSync?.invalidate();
      this.snapshots.cancel();
      this.recovery.reset();
      if (error !== undefined) this.recordError(error);
      this.markReconnecting();
      return;
    }
    if (this.plan.bookArg !== undefined && this.processor?.bookSync?.state !== 'valid') this.recovery.waiting('reconnected; waiting for a snapshot');
    this.markConnected();
  }
}
