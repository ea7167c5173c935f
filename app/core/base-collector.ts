// BaseDataCollector: the lifecycle every exchange collector shares. Subclasses open and close
// their sessions and publish normalized events; this class keeps the status, the counters,
// the health check (stale = no DATA for a health-check interval) and automatic restarts.

import { EventEmitter } from 'node:events';
import type { OrderBook } from '../book/order-book.js';
import type { ExchangeCollectorConfig } from './config.js';
import { ExchangeError, describeError } from './errors.js';
import { getLogger, type Logger } from './logger.js';
import {
  RateWindow,
  type BookStatus,
  type CollectorErrorEntry,
  type CollectorState,
  type CollectorStatus,
  type StreamStats,
} from './collector-status.js';
export type { BookStatus } from './collector-status.js';
import { dataTypeOf, type DataType, type MarketEvent, type RawMessage } from './types.js';

export interface CollectorEvents {
  data: [event: MarketEvent];
  raw: [message: RawMessage];
  status: [status: CollectorStatus];
}

export interface CollectorOptions {
  /** Errors kept in the status. */
  readonly errorHistory?: number;
  /** Automatic restarts in a row without data before the collector gives up. */
  readonly maxAutoRestarts?: number;
  readonly now?: () => number;
  /** Overrides the `exchange:symbol` id (e.g. `replay:okx:BTC-USDT`). */
  readonly id?: string;
}

export interface TransportStats {
  readonly queueDepth: number;
  readonly dropped: number;
}

interface StreamCounter {
  messages: number;
  lastMessageAt: number | null;
}

export abstract class BaseDataCollector extends EventEmitter<CollectorEvents> {
  readonly config: ExchangeCollectorConfig;
  readonly id: string;
  protected readonly log: Logger;
  protected readonly now: () => number;
  private state: CollectorState = 'stopped';
  private lifecycle: AbortController | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private runningSince: number | undefined;
  private startedAt: number | undefined;
  private lastMessageAt: number | undefined;
  private exchangeLagMs: number | undefined;
  private messages = 0;
  private readonly rate = new RateWindow();
  private readonly streams = new Map<DataType, StreamCounter>();
  private readonly errors: CollectorErrorEntry[] = [];
  private readonly errorHistory: number;
  private readonly maxAutoRestarts: number;
  private autoRestartsInARow = 0;
  private lastFatal: unknown;
  private counters = { reconnects: 0, restarts: 0, resyncs: 0, sequenceGaps: 0, checksumFailures: 0 };

  constructor(config: ExchangeCollectorConfig, options: CollectorOptions = {}) {
    super();
    this.config = config;
    this.id = options.id ?? `${config.exchange}:${config.symbol}`;
    this.log = getLogger('collector').child({ collector: this.id });
    this.now = options.now ?? Date.now;
    this.errorHistory = options.errorHistory ?? 20;
    this.maxAutoRestarts = options.maxAutoRestarts ?? 10;
    for (const type of config.dataTypes) this.streams.set(type, { messages: 0, lastMessageAt: null });
  }

  /** Connects and subscribes. Do not resolve before the session is usable; honour `signal`. */
  protected abstract openSession(signal: AbortSignal): Promise<void>;

  /**
   * Releases every socket, timer and listener of the session. Must be idempotent and safe to
   * call while `openSession` is still in flight (it is how a pending start is cancelled).
   */
  protected abstract closeSession(): Promise<void>;

  /** The live order book when the collector keeps one and it is known to be valid. */
  getBook(): OrderBook | undefined {
    return undefined;
  }

  /** Order-book health without computing the whole status (cheap; used per frame). */
  getBookStatus(): BookStatus | null {
    return this.bookStatus();
  }

  /** The state of the collector's order book; null when it keeps none. */
  protected bookStatus(): BookStatus | null {
    return null;
  }

  /** Inbound queue figures of the session's connections. */
  protected transportStats(): TransportStats {
    return { queueDepth: 0, dropped: 0 };
  }

  isRunning(): boolean {
    return this.state === 'running' || this.state === 'reconnecting' || this.state === 'stale';
  }

  get currentState(): CollectorState {
    return this.state;
  }

  /**
   * Starts collecting; resolves once running. On failure the status is `error`, the error is
   * thrown, and, when `autoRestart` is on and the failure is retryable, the health check keeps
   * trying at its interval.
   */
  start(): Promise<void> {
    if (this.starting !== undefined) return this.starting;
    if (this.stopping !== undefined) {
      return this.stopping.then(() => this.start());
    }
    if (this.isRunning()) return Promise.resolve();
    this.starting = this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops collecting and releases everything; safe to call at any time, repeatedly. */
  stop(): Promise<void> {
    this.stopHealthCheck();
    const lifecycle = this.lifecycle;
    this.lifecycle = undefined;
    lifecycle?.abort();
    if (this.stopping !== undefined) return this.stopping;
    if (this.state === 'stopped' && lifecycle === undefined) return Promise.resolve();
    this.stopping = this.doStop().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /** Stop then start; counted in `restarts`. */
  async restart(reason = 'requested'): Promise<void> {
    this.counters.restarts += 1;
    this.log.info({ reason }, 'restarting');
    await this.stop();
    await this.start();
  }

  getStatus(): CollectorStatus {
    const now = this.now();
    const transport = this.transportStats();
    const streams: Partial<Record<DataType, StreamStats>> = {};
    for (const [type, counter] of this.streams) streams[type] = { ...counter };
    return {
      id: this.id,
      status: this.state,
      exchange: this.config.exchange,
      symbol: this.config.symbol,
      dataTypes: this.config.dataTypes,
      uptimeMs: this.runningSince === undefined ? 0 : now - this.runningSince,
      messagesReceived: this.messages,
      messagesPerSecond: Math.round(this.rate.rate(now) * 10) / 10,
      lastMessageAt: this.lastMessageAt ?? null,
      lastMessageAgeMs: this.lastMessageAt === undefined ? null : now - this.lastMessageAt,
      exchangeLagMs: this.exchangeLagMs ?? null,
      ...this.counters,
      errors: [...this.errors],
      queueDepth: transport.queueDepth,
      droppedMessages: transport.dropped,
      streams,
      book: this.bookStatus(),
    };
  }

  // ----- for subclasses -----

  /** Hands a normalized event to listeners and counts it as data (this is what liveness means). */
  protected publish(event: MarketEvent): void {
    const at = event.receivedAt;
    this.messages += 1;
    this.rate.add(at);
    this.lastMessageAt = at;
    this.exchangeLagMs = at - event.exchangeTs;
    const stream = this.streams.get(dataTypeOf(event));
    if (stream !== undefined) {
      stream.messages += 1;
      stream.lastMessageAt = at;
    }
    this.autoRestartsInARow = 0;
    if (this.state === 'stale') this.setState('running');
    this.emit('data', event);
  }

  /** Emits an exchange frame as received, when the config asks for raw data. */
  protected publishRaw(stream: string, payload: string, receivedAt: number): void {
    if (!this.config.storeRawData) return;
    this.emit('raw', { exchange: this.config.exchange, stream, receivedAt, payload });
  }

  /** Remembers an error in the status (bounded history) and logs it. */
  protected recordError(error: unknown): void {
    const entry: CollectorErrorEntry = {
      at: this.now(),
      kind: error instanceof Error ? error.name : 'Error',
      message: describeError(error),
      code: error instanceof ExchangeError ? (error.exchangeCode ?? null) : null,
    };
    this.errors.push(entry);
    if (this.errors.length > this.errorHistory) this.errors.splice(0, this.errors.length - this.errorHistory);
    this.log.warn({ kind: entry.kind, code: entry.code }, entry.message);
    this.emitStatus();
  }

  /** A connection of the session dropped and is being re-established. */
  protected markReconnecting(): void {
    this.counters.reconnects += 1;
    if (this.state === 'running' || this.state === 'stale') this.setState('reconnecting');
    else this.emitStatus();
  }

  /** Every connection of the session is up again. */
  protected markConnected(): void {
    if (this.state === 'reconnecting') this.setState('running');
  }

  protected countResync(): void {
    this.counters.resyncs += 1;
  }

  protected countSequenceGap(): void {
    this.counters.sequenceGaps += 1;
  }

  protected countChecksumFailure(): void {
    this.counters.checksumFailures += 1;
  }

  /** The session cannot continue (e.g. its connection gave up): status `error`, session closed. */
  protected fail(error: unknown): void {
    if (this.lifecycle === undefined) return;
    this.lastFatal = error;
    this.recordError(error);
    this.setState('error');
    this.closeSession().catch((closeError: unknown) => this.recordError(closeError));
  }

  // ----- internals -----

  private async doStart(): Promise<void> {
    const lifecycle = new AbortController();
    this.lifecycle = lifecycle;
    this.lastFatal = undefined;
    this.startedAt = this.now();
    this.runningSince = undefined;
    this.setState('starting');
    this.startHealthCheck();
    try {
      await this.openSession(lifecycle.signal);
    } catch (error) {
      if (lifecycle.signal.aborted) return;
      // fail() may already have recorded this very error (a give-up also rejects the open).
      if (this.lastFatal !== error) this.recordError(error);
      this.lastFatal = error;
      await this.closeSession().catch((closeError: unknown) => this.recordError(closeError));
      this.setState('error');
      if (!this.mayAutoRestart()) this.stopHealthCheck();
      throw error;
    }
    if (lifecycle.signal.aborted) return;
    if (this.state !== 'error') {
      this.runningSince = this.now();
      this.setState('running');
    }
  }

  private async doStop(): Promise<void> {
    try {
      await this.closeSession();
    } finally {
      await this.starting?.catch(() => undefined);
      this.runningSince = undefined;
      this.setState('stopped');
    }
  }

  private startHealthCheck(): void {
    this.stopHealthCheck();
    const intervalMs = this.config.healthCheckInterval * 1000;
    this.healthTimer = setInterval(() => this.checkHealth(intervalMs), intervalMs);
  }

  private stopHealthCheck(): void {
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
  }

  private mayAutoRestart(): boolean {
    if (!this.config.autoRestart) return false;
    return this.lastFatal === undefined || !(this.lastFatal instanceof ExchangeError) || this.lastFatal.retryable;
  }

  private checkHealth(intervalMs: number): void {
    const now = this.now();
    if (this.state === 'running' || this.state === 'reconnecting' || this.state === 'stale') {
      const since = this.lastMessageAt ?? this.runningSince ?? this.startedAt ?? now;
      const silentMs = now - since;
      if (silentMs < intervalMs) return;
      if (this.state !== 'stale') {
        this.setState('stale');
        this.recordError(new Error(`no market data for ${formatSeconds(silentMs)}`));
      }
    } else if (this.state !== 'error') {
      return;
    }
    if (!this.mayAutoRestart()) return;
    if (this.autoRestartsInARow >= this.maxAutoRestarts) {
      this.stopHealthCheck();
      this.recordError(
        new Error(`gave up after ${this.maxAutoRestarts} automatic restarts without data; restart it by hand`),
      );
      this.setState('error');
      return;
    }
    this.autoRestartsInARow += 1;
    this.restart(this.state === 'error' ? 'automatic restart after error' : 'stale data').catch((error: unknown) =>
      this.log.warn({ err: describeError(error) }, 'automatic restart failed'),
    );
  }

  private setState(state: CollectorState): void {
    if (this.state === state) return;
    this.state = state;
    this.log.debug({ state }, 'status');
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit('status', this.getStatus());
  }
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
