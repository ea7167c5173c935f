// OkxCollector: one instrument on OKX (v5 public). Subscribes trades, tickers and books on the
// shared /public connection and candles on /business, normalizes every push, and keeps the
// order book consistent and current (sequence chain, checksum, REST snapshot fallback, and a
// BookRecovery that resyncs a broken or stale book and escalates until it is valid again).

import { BookRecovery } from '../../book/book-recovery.js';
import type { OrderBook } from '../../book/order-book.js';
import { RestSnapshotLoader } from '../../book/rest-snapshot.js';
import { BaseDataCollector, type BookStatus, type CollectorOptions, type StreamKey, type TransportStats } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { ExchangeError, ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { LivenessPolicy } from '../../core/stream-liveness.js';
import type { OkxBookSync } from './book-sync.js';
import { argKey, okxUrls, planChannels, type OkxChannelPlan, type OkxEndpoint } from './channels.js';
import { asOkxPush, okxConnections, type OkxConnection, type OkxConnectionPool, type OkxOp, type OkxSubscriber } from './connection.js';
import { okxDescriptor } from './descriptor.js';
import type { OkxArg, OkxBook, OkxPush } from './messages.js';
import { OkxFeedProcessor, type FeedSink } from './feed-processor.js';
import { OKX, timeframeOfChannel } from './parser.js';
import { OkxRestClient } from './rest.js';

const ACK_TIMEOUT_MS = 10_000;
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 3_000;

export interface OkxCollectorOptions extends CollectorOptions {
  /** Connection pool; defaults to the process-wide one. */
  readonly pool?: OkxConnectionPool;
}

export class OkxCollector extends BaseDataCollector {
  private readonly pool: OkxConnectionPool;
  private readonly plan: OkxChannelPlan;
  private readonly snapshotTimeoutMs: number;
  private readonly connections = new Map<OkxEndpoint, { connection: OkxConnection; subscriber: OkxSubscriber }>();
  private readonly reconnecting = new Set<OkxEndpoint>();
  /** Identity of the current session; callbacks from an ended session are ignored. */
  private session: object | undefined;
  private processor: OkxFeedProcessor | undefined;
  private rest: OkxRestClient | undefined;
  private readonly snapshots: RestSnapshotLoader<OkxBook>;
  private pendingAcks = new Set<string>();
  private ackWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private sequenceResets = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly recovery: BookRecovery;

  constructor(config: ExchangeCollectorConfig, options: OkxCollectorOptions = {}) {
    super(config, options);
    this.pool = options.pool ?? okxConnections;
    this.plan = planChannels(config);
    for (const arg of this.plan.business) {
      const timeframe = timeframeOfChannel(arg.channel);
      if (timeframe !== undefined) this.declareStream(`candles:${timeframe}`);
    }
    const extra = config.customParams.extra?.['snapshotTimeoutMs'];
    this.snapshotTimeoutMs = typeof extra === 'number' && extra > 0 ? extra : DEFAULT_SNAPSHOT_TIMEOUT_MS;
    this.recovery = new BookRecovery(
      { resubscribe: (reason) => this.resubscribeBook(reason), reconnect: (reason) => this.reconnectBook(reason) },
      { boundMs: this.recoveryBoundMs, now: this.now },
    );
    this.snapshots = new RestSnapshotLoader<OkxBook>(
      {
        wanted: () => this.rest !== undefined && this.bookSync?.state === 'awaiting',
        fetch: (signal) => {
          if (this.rest === undefined) throw new ExchangeError('collector stopped', false, { exchange: OKX });
          return this.rest.bookSnapshot(this.config.symbol, 400, signal);
        },
        splice: (data) => this.processor?.loadRestSnapshot(data) ?? 'gap',
      },
      {
        loaded: () => {
          this.log.info({ seqId: this.bookSync?.seqId }, 'order book loaded from REST snapshot');
          this.recovery.valid();
          this.emitStatus();
        },
        failed: (reason, gap) => {
          if (gap) {
            this.countSequenceGap();
            this.bookSync?.invalidate();
          }
          this.recovery.broken(`invalid: ${gap ? reason : `no snapshot over WebSocket and ${reason}`}`);
        },
        problem: (error) => this.recordError(error),
      },
      { retryAfterMs: (error) => (error instanceof RateLimitError ? error.retryAfterMs : undefined) },
    );
  }

  /** The live order book, or undefined while it is not known to be valid. */
  override getBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  /** The book's levels while they may be shown: valid, or stale (labelled so by its status). */
  override getDisplayBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.displayable === true ? sync.book : undefined;
  }

  private get bookSync(): OkxBookSync | undefined {
    return this.processor?.bookSync;
  }

  protected override bookStatus(): BookStatus | null {
    if (this.plan.book === undefined) return null;
    const recovery = this.recovery.status();
    const info =
      recovery === undefined
        ? null
        : { step: recovery.step, escalations: recovery.escalations, since: recovery.since, deadline: recovery.deadline, reason: recovery.reason };
    const sync = this.bookSync;
    if (sync === undefined) {
      return { state: 'syncing', seqId: null, bids: 0, asks: 0, crossed: false, sequenceResets: this.sequenceResets, lastChangeAt: null, recovery: info };
    }
    return { ...sync.status(this.sequenceResets), recovery: info };
  }

  protected override transportStats(): TransportStats {
    let queueDepth = 0;
    let dropped = 0;
    for (const { connection } of this.connections.values()) {
      const stats = connection.stats();
      queueDepth += stats.queueDepth;
      dropped += stats.dropped;
    }
    return { queueDepth, dropped };
  }

  protected override streamPolicy(key: StreamKey): Partial<LivenessPolicy> {
    const guarantee = key === 'orderbook' ? okxDescriptor.streamGuarantees?.orderbook : undefined;
    return guarantee === undefined ? {} : { maxSilenceMs: guarantee.maxSilenceMs };
  }

  protected override onStreamStale(key: StreamKey, reason: string): void {
    if (key !== 'orderbook' || this.plan.book === undefined) return;
    // Consistent but not current: shown stale with its age, and renewed from a fresh snapshot.
    this.bookSync?.markStale();
    this.recovery.broken(`stale: ${reason}`);
    this.emitStatus();
  }

  protected override onLivenessTick(): void {
    this.recovery.tick();
  }

  protected async openSession(signal: AbortSignal): Promise<void> {
    const urls = okxUrls(this.config);
    this.rest = new OkxRestClient({ baseUrl: urls.rest });
    this.processor = new OkxFeedProcessor(this.config.symbol, this.plan.book?.channel, this.feedSink(), this.now);
    this.recovery.reset();
    if (this.plan.book !== undefined) this.recovery.waiting('waiting for the first snapshot');
    const session = {};
    this.session = session;
    this.pendingAcks = new Set([...this.plan.public, ...this.plan.business].map(argKey));
    const acked = new Promise<void>((resolve, reject) => {
      this.ackWaiter = { resolve, reject };
    });
    acked.catch(() => undefined);
    const opened: Promise<void>[] = [];
    for (const endpoint of ['public', 'business'] as const) {
      const args = this.plan[endpoint];
      if (args.length === 0) continue;
      const connection = this.pool.acquire(urls.ws[endpoint], args);
      const subscriber = this.makeSubscriber(session, endpoint);
      this.connections.set(endpoint, { connection, subscriber });
      opened.push(connection.add(subscriber, args));
    }
    await Promise.all(opened);
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ExchangeProtocolError(`OKX did not confirm the subscriptions for ${this.config.symbol} within ${ACK_TIMEOUT_MS / 1000} s`, { exchange: OKX }),
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
    this.clearSnapshotTimer();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.rest?.dispose();
    this.rest = undefined;
    this.ackWaiter?.reject(new ExchangeError('collector stopped', false, { exchange: OKX }));
    this.ackWaiter = undefined;
    this.reconnecting.clear();
    const connections = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(connections.map(({ connection, subscriber }) => connection.remove(subscriber)));
    this.bookSync?.invalidate();
  }

  private makeSubscriber(session: object, endpoint: OkxEndpoint): OkxSubscriber {
    const current = (): boolean => this.session === session;
    return {
      onPush: (_key, payload, text, receivedAt) => {
        if (current()) this.onPush(asOkxPush(payload), text, receivedAt);
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
        if (current()) this.onConnection(endpoint, state, error);
      },
    };
  }

  private endpointOf(channel: string): OkxEndpoint {
    return timeframeOfChannel(channel) === undefined ? 'public' : 'business';
  }

  private onPush(push: OkxPush, text: string, receivedAt: number): void {
    this.publishRaw(this.endpointOf(push.arg.channel), text, receivedAt);
    this.processor?.handlePush(push, receivedAt);
  }

  private feedSink(): FeedSink {
    return {
      publish: (event) => {
        if (event.kind === 'book_snapshot') this.clearSnapshotTimer();
        this.publish(event);
        if ((event.kind === 'book_snapshot' || event.kind === 'book_update') && this.recovery.active && this.bookSync?.state === 'valid') {
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
        this.armSnapshotTimer();
        this.recovery.waiting('waiting for a snapshot');
      },
      sequenceReset: (from, to) => {
        this.sequenceResets += 1;
        this.log.info({ from, to }, 'OKX order-book sequence reset');
      },
      bookAlive: (receivedAt) => this.markAlive('orderbook', receivedAt),
    };
  }

  /** Unsubscribe and subscribe the book: OKX sends a fresh snapshot. A stale book keeps its levels until then. */
  private resubscribeBook(reason: string): void {
    if (this.plan.book === undefined || !this.connections.has('public')) return;
    if (this.bookSync?.state !== 'stale') this.bookSync?.invalidate();
    this.clearSnapshotTimer();
    this.countResync();
    this.relearnStream('orderbook');
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; resubscribing`, { exchange: OKX }));
    this.sendResync();
  }

  private sendResync(): void {
    const arg = this.plan.book;
    const connection = this.connections.get('public')?.connection;
    if (arg === undefined || connection === undefined) return;
    connection.resync(arg).catch((error: unknown) => this.recordError(error));
  }

  /** The last escalation: a new connection renews every subscription on it. */
  private reconnectBook(reason: string): void {
    const connection = this.connections.get('public')?.connection;
    if (connection === undefined) return;
    this.bookSync?.invalidate();
    this.clearSnapshotTimer();
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; reconnecting`, { exchange: OKX }));
    connection.reconnect(`order book of ${this.config.symbol} ${reason}`);
  }

  private onAck(op: OkxOp, arg: OkxArg): void {
    if (op !== 'subscribe') return;
    const key = argKey(arg);
    if (this.plan.book !== undefined && key === argKey(this.plan.book) && this.bookSync?.state !== 'valid') {
      // A (re)subscribed book starts over: buffer updates until a snapshot arrives.
      this.bookSync?.awaitSnapshot();
      if (arg.channel === 'books') this.armSnapshotTimer();
      this.recovery.waiting('waiting for a snapshot');
      this.emitStatus();
    }
    if (this.pendingAcks.delete(key) && this.pendingAcks.size === 0) {
      this.ackWaiter?.resolve();
      this.ackWaiter = undefined;
    }
  }

  private onSubscriptionError(error: ExchangeError, args: readonly OkxArg[], op: OkxOp | undefined): void {
    const book = this.plan.book;
    if (error instanceof RateLimitError) {
      // OKX refused the whole request for going too fast: send it again, later. A refused
      // resync unsubscribe is a resync that must still happen; a refused subscribe is resent.
      this.recordError(error);
      const resync = op === 'unsubscribe' && book !== undefined && args.some((a) => argKey(a) === argKey(book));
      this.later(error.retryAfterMs ?? 1000, () => {
        if (resync) {
          this.sendResync();
          return;
        }
        for (const endpoint of new Set(args.map((a) => this.endpointOf(a.channel)))) {
          const refused = args.filter((a) => this.endpointOf(a.channel) === endpoint);
          this.connections
            .get(endpoint)
            ?.connection.resubscribe(refused)
            .catch((e: unknown) => this.recordError(e));
        }
      });
      return;
    }
    const what = `${this.config.symbol} (${args.map((a) => a.channel).join(', ')})`;
    const options = { exchange: OKX, cause: error, ...(error.exchangeCode === undefined ? {} : { exchangeCode: error.exchangeCode }) };
    const wrapped = error.retryable
      ? new ExchangeProtocolError(`${what}: ${error.message}`, options)
      : new SubscriptionError(`${what}: ${error.message}`, options);
    if (this.ackWaiter !== undefined) {
      this.ackWaiter.reject(wrapped);
      this.ackWaiter = undefined;
      return;
    }
    // A refused unsubscribe leaves the subscription as it was: worth showing, not fatal.
    if (wrapped.retryable || op === 'unsubscribe') this.recordError(wrapped);
    else this.fail(wrapped);
  }

  private later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      fn();
    }, delayMs);
    this.retryTimers.add(timer);
  }

  private onConnection(endpoint: OkxEndpoint, state: 'open' | 'reconnecting' | 'failed', error?: ExchangeError): void {
    if (state === 'failed') {
      this.fail(error ?? new ExchangeError(`OKX ${endpoint} connection failed`, true, { exchange: OKX }));
      return;
    }
    if (state === 'reconnecting') {
      // Nothing stale is published while the socket is down; the resubscribe brings a snapshot.
      // The connection's backoff handles the outage; the book's recovery waits for it.
      if (endpoint === 'public') {
        this.bookSync?.invalidate();
        this.clearSnapshotTimer();
        this.recovery.reset();
      }
      this.reconnecting.add(endpoint);
      if (error !== undefined) this.recordError(error);
      this.markReconnecting();
      return;
    }
    this.reconnecting.delete(endpoint);
    if (endpoint === 'public' && this.plan.book !== undefined && this.bookSync?.state !== 'valid') {
      this.recovery.waiting('reconnected; waiting for a snapshot');
    }
    if (this.reconnecting.size === 0) this.markConnected();
  }

  /** No in-band snapshot within the grace period: take one over REST and splice the buffered updates onto it. */
  private armSnapshotTimer(): void {
    if (this.plan.book?.channel !== 'books') return;
    this.snapshots.request(this.snapshotTimeoutMs);
  }

  private clearSnapshotTimer(): void {
    this.snapshots.cancel();
  }
}
