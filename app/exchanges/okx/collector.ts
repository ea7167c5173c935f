// OkxCollector: one instrument on OKX (v5 public). Subscribes trades, tickers and books on the
// shared /public connection and candles on /business, normalizes every push, and keeps the
// order book consistent (sequence chain, checksum, resync, REST snapshot fallback).

import { BaseDataCollector, type BookStatus, type CollectorOptions, type TransportStats } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { ExchangeError, ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { OrderBook } from '../../book/order-book.js';
import type { OkxBookSync } from './book-sync.js';
import { argKey, okxUrls, planChannels, type OkxChannelPlan, type OkxEndpoint } from './channels.js';
import { okxConnections, type OkxConnection, type OkxConnectionPool, type OkxSubscriber } from './connection.js';
import type { OkxArg, OkxBookData, OkxPush } from './messages.js';
import { OkxFeedProcessor, type FeedSink } from './feed-processor.js';
import { OKX, timeframeOfChannel } from './parser.js';
import { OkxRestClient } from './rest.js';

const ACK_TIMEOUT_MS = 10_000;
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 3_000;
const REST_SNAPSHOT_ATTEMPTS = 5;

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
  private restAbort: AbortController | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private pendingAcks = new Set<string>();
  private ackWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private sequenceResets = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(config: ExchangeCollectorConfig, options: OkxCollectorOptions = {}) {
    super(config, options);
    this.pool = options.pool ?? okxConnections;
    this.plan = planChannels(config);
    const extra = config.customParams.extra?.['snapshotTimeoutMs'];
    this.snapshotTimeoutMs = typeof extra === 'number' && extra > 0 ? extra : DEFAULT_SNAPSHOT_TIMEOUT_MS;
  }

  /** The live order book, or undefined while it is not known to be valid. */
  override getBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  private get bookSync(): OkxBookSync | undefined {
    return this.processor?.bookSync;
  }

  protected override bookStatus(): BookStatus | null {
    const sync = this.bookSync;
    if (this.plan.book === undefined) return null;
    if (sync === undefined) return { state: 'syncing', seqId: null, bids: 0, asks: 0, crossed: false, sequenceResets: this.sequenceResets };
    return sync.status(this.sequenceResets);
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

  protected async openSession(signal: AbortSignal): Promise<void> {
    const urls = okxUrls(this.config);
    this.rest = new OkxRestClient({ baseUrl: urls.rest });
    this.processor = new OkxFeedProcessor(this.config.symbol, this.plan.book?.channel, this.feedSink());
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
      const books = args.filter((a) => a.channel.startsWith('books')).length;
      const connection = this.pool.acquire(urls.ws[endpoint], endpoint, books);
      const subscriber = this.makeSubscriber(session, endpoint);
      this.connections.set(endpoint, { connection, subscriber });
      opened.push(connection.add(subscriber, args));
    }
    await Promise.all(opened);
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ExchangeProtocolError(`OKX did not confirm the subscriptions for ${this.config.symbol} within ${ACK_TIMEOUT_MS / 1000} s`, { exchange: OKX })),
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
    this.clearSnapshotTimer();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.restAbort?.abort();
    this.restAbort = undefined;
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
      onPush: (push, text, receivedAt) => {
        if (current()) this.onPush(push, text, receivedAt);
      },
      onAck: (op, arg) => {
        if (current()) this.onAck(op, arg);
      },
      onSubscriptionError: (error, args) => {
        if (current()) this.onSubscriptionError(error, args);
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
      },
      problem: (error) => this.recordError(error),
      bookBroken: (kind, reason) => {
        if (kind === 'gap') this.countSequenceGap();
        else if (kind === 'checksum') this.countChecksumFailure();
        this.resyncBook(reason);
      },
      awaitingSnapshot: () => this.armSnapshotTimer(),
      sequenceReset: (from, to) => {
        this.sequenceResets += 1;
        this.log.info({ from, to }, 'OKX order-book sequence reset');
      },
    };
  }

  private resyncBook(reason: string): void {
    const arg = this.plan.book;
    const connection = this.connections.get('public')?.connection;
    if (arg === undefined || connection === undefined) return;
    this.bookSync?.invalidate();
    this.clearSnapshotTimer();
    this.countResync();
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} invalid: ${reason}; resyncing`, { exchange: OKX }));
    connection.resync(arg).catch((error: unknown) => this.recordError(error));
  }

  private onAck(op: 'subscribe' | 'unsubscribe', arg: OkxArg): void {
    if (op !== 'subscribe') return;
    const key = argKey(arg);
    if (this.plan.book !== undefined && key === argKey(this.plan.book) && this.bookSync?.state !== 'valid') {
      // A (re)subscribed book starts over: buffer updates until a snapshot arrives.
      this.bookSync?.awaitSnapshot();
      if (arg.channel === 'books') this.armSnapshotTimer();
    }
    if (this.pendingAcks.delete(key) && this.pendingAcks.size === 0) {
      this.ackWaiter?.resolve();
      this.ackWaiter = undefined;
    }
  }

  private onSubscriptionError(error: ExchangeError, args: readonly OkxArg[]): void {
    if (error instanceof RateLimitError) {
      // OKX refused the whole request for going too fast: send all of it again, later.
      this.recordError(error);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        for (const endpoint of new Set(args.map((a) => this.endpointOf(a.channel)))) {
          const refused = args.filter((a) => this.endpointOf(a.channel) === endpoint);
          this.connections.get(endpoint)?.connection.resubscribe(refused).catch((e: unknown) => this.recordError(e));
        }
      }, error.retryAfterMs ?? 1000);
      this.retryTimers.add(timer);
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
    if (wrapped.retryable) this.recordError(wrapped);
    else this.fail(wrapped);
  }

  private onConnection(endpoint: OkxEndpoint, state: 'open' | 'reconnecting' | 'failed', error?: ExchangeError): void {
    if (state === 'failed') {
      this.fail(error ?? new ExchangeError(`OKX ${endpoint} connection failed`, true, { exchange: OKX }));
      return;
    }
    if (state === 'reconnecting') {
      // Nothing stale is published while the socket is down; the resubscribe brings a snapshot.
      if (endpoint === 'public') {
        this.bookSync?.invalidate();
        this.clearSnapshotTimer();
      }
      this.reconnecting.add(endpoint);
      if (error !== undefined) this.recordError(error);
      this.markReconnecting();
      return;
    }
    this.reconnecting.delete(endpoint);
    if (this.reconnecting.size === 0) this.markConnected();
  }

  private armSnapshotTimer(): void {
    if (this.snapshotTimer !== undefined || this.plan.book?.channel !== 'books') return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.fetchRestSnapshot(1).catch((error: unknown) => this.recordError(error));
    }, this.snapshotTimeoutMs);
  }

  private clearSnapshotTimer(): void {
    if (this.snapshotTimer !== undefined) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
  }

  /** No in-band snapshot came: take one over REST and splice the buffered updates onto it. */
  private async fetchRestSnapshot(attempt: number): Promise<void> {
    const sync = this.bookSync;
    const rest = this.rest;
    if (sync === undefined || rest === undefined || sync.state !== 'awaiting') return;
    this.restAbort = new AbortController();
    let data: OkxBookData;
    try {
      data = await rest.bookSnapshot(this.config.symbol, 400, this.restAbort.signal);
    } catch (error) {
      if (this.rest === undefined) return;
      this.recordError(error);
      if (attempt < REST_SNAPSHOT_ATTEMPTS) this.retryRestSnapshot(attempt);
      else this.resyncBook('no snapshot over WebSocket or REST');
      return;
    }
    if (this.bookSync !== sync || sync.state !== 'awaiting' || this.processor === undefined) return;
    const result = this.processor.loadRestSnapshot(data);
    if (result === 'loaded') {
      this.log.info({ seqId: sync.seqId }, 'order book loaded from REST snapshot');
    } else if (result === 'stale' && attempt < REST_SNAPSHOT_ATTEMPTS) {
      this.retryRestSnapshot(attempt);
    } else {
      this.countSequenceGap();
      this.resyncBook(`REST snapshot could not be spliced onto the live updates (${result})`);
    }
  }

  private retryRestSnapshot(attempt: number): void {
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.fetchRestSnapshot(attempt + 1).catch((error: unknown) => this.recordError(error));
    }, 500 * attempt);
  }
}
