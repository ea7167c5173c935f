// BinanceCollector: one symbol on Binance spot (`binance`) or USDⓈ-M futures
// (`binance-futures`). Its streams share a combined-stream connection (app/core
// shared-connection); diff depth is spliced onto REST snapshots by the BookSync engine, and a
// BookRecovery rebuilds a broken or stale book (a fresh REST snapshot after resubscribing the
// diff stream) and escalates to a new connection until it is valid again.

import { BookRecovery } from '../../book/book-recovery.js';
import type { OrderBook } from '../../book/order-book.js';
import { RestSnapshotLoader } from '../../book/rest-snapshot.js';
import { BaseDataCollector, type BookStatus, type CollectorOptions, type StreamKey, type TransportStats } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { ExchangeError, ExchangeProtocolError, RateLimitError, SubscriptionError } from '../../core/errors.js';
import type { ConnectionSubscriber, SharedConnection, SubscriptionOp } from '../../core/shared-connection.js';
import type { FeedSink } from '../types.js';
import { binanceConnections, type BinanceConnectionPool, type BinanceStream } from './connection.js';
import { BinanceFeedProcessor, streamNames } from './feed-processor.js';
import { binanceMarket, intervalOf, timeframeOfInterval, type BinanceMarket } from './markets.js';
import type { DepthSnapshot } from './messages.js';
import { BinanceRestClient } from './rest.js';

const ACK_TIMEOUT_MS = 10_000;

export interface BinanceCollectorOptions extends CollectorOptions {
  readonly pool?: BinanceConnectionPool;
}

export class BinanceCollector extends BaseDataCollector {
  private readonly market: BinanceMarket;
  private readonly pool: BinanceConnectionPool;
  private readonly streamList: BinanceStream[];
  private readonly depthStream: BinanceStream | undefined;
  private readonly recovery: BookRecovery;
  private connection: SharedConnection<BinanceStream> | undefined;
  private subscriber: ConnectionSubscriber<BinanceStream> | undefined;
  private session: object | undefined;
  private processor: BinanceFeedProcessor | undefined;
  private rest: BinanceRestClient | undefined;
  private readonly snapshots: RestSnapshotLoader<DepthSnapshot>;
  private pendingAcks = new Set<string>();
  private ackWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(config: ExchangeCollectorConfig, options: BinanceCollectorOptions = {}) {
    super(config, options);
    this.market = binanceMarket(config.exchange);
    this.pool = options.pool ?? binanceConnections;
    const timeframes = config.customParams.candleTimeframes ?? ['1m'];
    const intervals = timeframes.map((t) => intervalOf(t)).filter((i): i is string => i !== undefined);
    this.streamList = streamNames(config.symbol, config.dataTypes, intervals, this.market);
    this.depthStream = this.streamList.find((s) => s.includes('@depth'));
    for (const interval of intervals) {
      const timeframe = timeframeOfInterval(interval);
      if (timeframe !== undefined) this.declareStream(`candles:${timeframe}`);
    }
    this.recovery = new BookRecovery(
      { resubscribe: (reason) => this.rebuildBook(reason), reconnect: (reason) => this.reconnectBook(reason) },
      { boundMs: this.recoveryBoundMs, now: this.now },
    );
    // Binance sends no snapshot on the stream: every book starts from REST, as soon as diffs buffer.
    this.snapshots = new RestSnapshotLoader<DepthSnapshot>(
      {
        wanted: () => this.rest !== undefined && this.processor?.bookSync?.state === 'awaiting',
        fetch: (signal) => {
          if (this.rest === undefined) throw new ExchangeError('collector stopped', false, { exchange: this.market.id });
          return this.rest.depth(this.config.symbol, signal);
        },
        splice: (snapshot) => this.processor?.loadRestSnapshot(snapshot, this.now()) ?? 'gap',
      },
      {
        loaded: () => {
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

  override getBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  override getDisplayBook(): OrderBook | undefined {
    const sync = this.processor?.bookSync;
    return sync?.displayable === true ? sync.book : undefined;
  }

  protected override bookStatus(): BookStatus | null {
    if (this.depthStream === undefined) return null;
    const recovery = this.recovery.status();
    const info =
      recovery === undefined
        ? null
        : { step: recovery.step, escalations: recovery.escalations, since: recovery.since, deadline: recovery.deadline, reason: recovery.reason };
    const sync = this.processor?.bookSync;
    if (sync === undefined) return { state: 'syncing', seqId: null, bids: 0, asks: 0, crossed: false, sequenceResets: 0, lastChangeAt: null, recovery: info };
    return { ...sync.status(0), recovery: info };
  }

  protected override transportStats(): TransportStats {
    const stats = this.connection?.stats();
    return { queueDepth: stats?.queueDepth ?? 0, dropped: stats?.dropped ?? 0 };
  }

  protected override onStreamStale(key: StreamKey, reason: string): void {
    if (key !== 'orderbook' || this.depthStream === undefined) return;
    this.processor?.bookSync?.markStale();
    this.recovery.broken(`stale: ${reason}`);
    this.emitStatus();
  }

  protected override onLivenessTick(): void {
    this.recovery.tick();
  }

  protected async openSession(signal: AbortSignal): Promise<void> {
    const restUrl = (this.config.customParams.restUrl ?? this.market.restUrl).replace(/\/+$/, '');
    const wsUrl = `${(this.config.customParams.wsUrl ?? this.market.wsUrl).replace(/\/+$/, '')}/stream`;
    this.rest = new BinanceRestClient(this.market, restUrl);
    this.processor = new BinanceFeedProcessor(this.config.symbol, this.market, this.depthStream !== undefined, this.feedSink(), this.now);
    this.recovery.reset();
    if (this.depthStream !== undefined) this.recovery.waiting('waiting for the first snapshot');
    const session = {};
    this.session = session;
    this.pendingAcks = new Set(this.streamList);
    const acked = new Promise<void>((resolve, reject) => {
      this.ackWaiter = { resolve, reject };
    });
    acked.catch(() => undefined);
    const connection = this.pool.acquire(wsUrl, this.streamList);
    const subscriber = this.makeSubscriber(session);
    this.connection = connection;
    this.subscriber = subscriber;
    await connection.add(subscriber, this.streamList);
    if (signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ExchangeProtocolError(
              `${this.market.displayName} did not confirm the subscriptions for ${this.config.symbol} within ${ACK_TIMEOUT_MS / 1000} s`,
              { exchange: this.market.id },
            ),
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
    this.rest?.dispose();
    this.rest = undefined;
    this.ackWaiter?.reject(new ExchangeError('collector stopped', false, { exchange: this.market.id }));
    this.ackWaiter = undefined;
    const connection = this.connection;
    const subscriber = this.subscriber;
    this.connection = undefined;
    this.subscriber = undefined;
    if (connection !== undefined && subscriber !== undefined) await connection.remove(subscriber);
    this.processor?.bookSync?.invalidate();
  }

  private makeSubscriber(session: object): ConnectionSubscriber<BinanceStream> {
    const current = (): boolean => this.session === session;
    return {
      onPush: (key, payload, text, receivedAt) => {
        if (!current()) return;
        this.publishRaw(this.market.id, text, receivedAt);
        this.processor?.handlePush(key, payload, receivedAt);
      },
      onAck: (op, stream) => {
        if (current()) this.onAck(op, stream);
      },
      onSubscriptionError: (error, streams, op) => {
        if (current()) this.onSubscriptionError(error, streams, op);
      },
      onProblem: (error) => {
        if (current()) this.recordError(error);
      },
      onConnection: (state, error) => {
        if (current()) this.onConnection(state, error);
      },
    };
  }

  private feedSink(): FeedSink {
    return {
      publish: (event) => {
        this.publish(event);
        const sync = this.processor?.bookSync;
        if ((event.kind === 'book_snapshot' || event.kind === 'book_update') && this.recovery.active && sync?.state === 'valid') {
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
      awaitingSnapshot: () => this.snapshots.request(),
      sequenceReset: () => undefined,
      bookAlive: (receivedAt) => this.markAlive('orderbook', receivedAt),
    };
  }

  private onAck(op: SubscriptionOp, stream: BinanceStream): void {
    if (op !== 'subscribe') return;
    if (stream === this.depthStream && this.processor?.bookSync?.state !== 'valid') {
      // A (re)subscribed diff stream starts over: buffer until a REST snapshot is spliced in.
      this.processor?.bookSync?.awaitSnapshot();
      this.recovery.waiting('waiting for a snapshot');
      this.emitStatus();
    }
    if (this.pendingAcks.delete(stream) && this.pendingAcks.size === 0) {
      this.ackWaiter?.resolve();
      this.ackWaiter = undefined;
    }
  }

  /** Resubscribe the diff stream and rebuild from a fresh REST snapshot. */
  private rebuildBook(reason: string): void {
    const stream = this.depthStream;
    const connection = this.connection;
    if (stream === undefined || connection === undefined) return;
    this.countResync();
    this.relearnStream('orderbook');
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; resubscribing`, { exchange: this.market.id }));
    this.processor?.bookSync?.awaitSnapshot();
    connection.resync(stream).catch((error: unknown) => this.recordError(error));
  }

  private reconnectBook(reason: string): void {
    const connection = this.connection;
    if (connection === undefined) return;
    this.processor?.bookSync?.invalidate();
    this.recordError(new ExchangeProtocolError(`order book of ${this.config.symbol} ${reason}; reconnecting`, { exchange: this.market.id }));
    connection.reconnect(`order book of ${this.config.symbol} ${reason}`);
  }

  private onSubscriptionError(error: ExchangeError, streams: readonly BinanceStream[], op: SubscriptionOp | undefined): void {
    if (error instanceof RateLimitError) {
      this.recordError(error);
      this.later(error.retryAfterMs ?? 1000, () => {
        if (op === 'unsubscribe' && this.depthStream !== undefined && streams.includes(this.depthStream))
          this.connection?.resync(this.depthStream).catch((e: unknown) => this.recordError(e));
        else this.connection?.resubscribe(streams).catch((e: unknown) => this.recordError(e));
      });
      return;
    }
    const what = `${this.config.symbol} (${streams.join(', ')})`;
    const options = { exchange: this.market.id, cause: error, ...(error.exchangeCode === undefined ? {} : { exchangeCode: error.exchangeCode }) };
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
      this.fail(error ?? new ExchangeError(`${this.market.displayName} connection failed`, true, { exchange: this.market.id }));
      return;
    }
    if (state === 'reconnecting') {
      this.processor?.bookSync?.invalidate();
      this.snapshots.cancel();
      this.recovery.reset();
      if (error !== undefined) this.recordError(error);
      this.markReconnecting();
      return;
    }
    if (this.depthStream !== undefined && this.processor?.bookSync?.state !== 'valid') this.recovery.waiting('reconnected; waiting for a snapshot');
    this.markConnected();
  }

  private later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }
}
