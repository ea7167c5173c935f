// BaseDataCollector: the lifecycle every exchange collector shares. Subclasses open and close
// their sessions and publish normalized events; this class keeps the status, the counters,
// the liveness of every subscribed stream (judged per stream, never per socket; see
// stream-liveness.ts) and automatic restarts of a failed session, which never give up while
// `autoRestart` is on.

import { EventEmitter } from 'node:events';
import type { ExchangeCollectorConfig } from './config.js';
import { ExchangeError, describeError } from './errors.js';
import { getLogger, type Logger } from './logger.js';
import {
  RateWindow,
  type AutoRestartStatus,
  type BookStatus,
  type CollectorErrorEntry,
  type CollectorState,
  type CollectorStatus,
  type StreamStats,
} from './collector-status.js';
import { DEFAULT_LIVENESS, StreamLiveness, type LivenessPolicy } from './stream-liveness.js';
export type { BookStatus } from './collector-status.js';
import type { BookSnapshot, MarketEvent, OrderBookReader, RawMessage } from './types.js';

export interface CollectorEvents {
  data: [event: MarketEvent];
  raw: [message: RawMessage];
  status: [status: CollectorStatus];
}

export interface CollectorOptions {
  /** Errors kept in the status. */
  readonly errorHistory?: number;
  /** Fast automatic restarts in a row before settling to `steadyRestartMs`. */
  readonly maxAutoRestarts?: number;
  /** Interval of automatic restarts once the fast ones are used up (default 60 s). */
  readonly steadyRestartMs?: number;
  readonly now?: () => number;
  /** Overrides the `exchange:symbol` id (e.g. `replay:okx:BTC-USDT`). */
  readonly id?: string;
  /** Overrides of the default liveness policy of every stream (tests use shorter floors). */
  readonly liveness?: Partial<LivenessPolicy>;
  /** A book unchanged this long while trades print is stale (default 5 s). */
  readonly bookFrozenMs?: number;
  /** How long a book may stay not valid before its recovery escalates (default 15 s). */
  readonly recoveryBoundMs?: number;
  /** How often streams are judged (default 1 s). */
  readonly livenessTickMs?: number;
}

export interface TransportStats {
  readonly queueDepth: number;
  readonly dropped: number;
}

/** Stream keys: a data type, or `candles:<timeframe>` for each candle timeframe. */
export type StreamKey = string;

/** Trades later than this after the book's last change count as evidence it is frozen. */
const TRADE_EVIDENCE_GRACE_MS = 1000;
/** Trades needed as evidence (a trade always changes the book it hit). */
const TRADE_EVIDENCE_COUNT = 2;

interface StreamEntry {
  readonly liveness: StreamLiveness;
  stale: boolean;
  reason: string | null;
}

export abstract class BaseDataCollector extends EventEmitter<CollectorEvents> {
  readonly config: ExchangeCollectorConfig;
  readonly id: string;
  protected readonly log: Logger;
  /** The collector's clock (a replay's is the recorded time it plays, see ReplayCollector). */
  protected now: () => number;
  protected readonly recoveryBoundMs: number;
  private state: CollectorState = 'stopped';
  private lifecycle: AbortController | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAt: number | null = null;
  private runningSince: number | undefined;
  private lastMessageAt: number | undefined;
  private exchangeLagMs: number | undefined;
  private messages = 0;
  private readonly rate = new RateWindow();
  private readonly streams = new Map<StreamKey, StreamEntry>();
  private readonly errors: CollectorErrorEntry[] = [];
  private readonly errorHistory: number;
  private readonly maxAutoRestarts: number;
  private readonly steadyRestartMs: number;
  private readonly livenessPolicy: LivenessPolicy;
  private readonly bookFrozenMs: number;
  private readonly livenessTickMs: number;
  private autoRestartsInARow = 0;
  private tradesSinceBookChange = 0;
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
    this.steadyRestartMs = options.steadyRestartMs ?? 60_000;
    this.livenessPolicy = { ...DEFAULT_LIVENESS, ...options.liveness };
    this.bookFrozenMs = options.bookFrozenMs ?? 5000;
    this.recoveryBoundMs = options.recoveryBoundMs ?? 15_000;
    this.livenessTickMs = options.livenessTickMs ?? 1000;
    for (const type of config.dataTypes) {
      if (type !== 'candles') this.declareStream(type);
    }
    for (const timeframe of config.dataTypes.includes('candles') ? (config.customParams.candleTimeframes ?? []) : []) {
      this.declareStream(`candles:${timeframe}`);
    }
  }

  /** Connects and subscribes. Do not resolve before the session is usable; honour `signal`. */
  protected abstract openSession(signal: AbortSignal): Promise<void>;

  /**
   * Releases every socket, timer and listener of the session. Must be idempotent and safe to
   * call while `openSession` is still in flight (it is how a pending start is cancelled).
   */
  protected abstract closeSession(): Promise<void>;

  /** The live order book when the collector keeps one and it is known to be valid. */
  getBook(): OrderBookReader | undefined {
    return undefined;
  }

  /** The book's levels while they may be shown: valid, or stale and labelled so. */
  getDisplayBook(): OrderBookReader | undefined {
    return this.getBook();
  }

  /** Order-book health without computing the whole status (cheap; used per frame). */
  /**
   * The book as it stands, as a `book_snapshot` event stamped `at` with its sequence id: where a
   * reader of a recording starts (a session's seed, a cluster checkpoint). Undefined without a book.
   */
  bookSnapshotEvent(at: number): BookSnapshot | undefined {
    const book = this.getBook();
    if (book === undefined) return undefined;
    const seqId = this.getBookStatus()?.seqId ?? null;
    return {
      kind: 'book_snapshot',
      exchange: this.config.exchange,
      symbol: this.config.symbol,
      exchangeTs: at,
      receivedAt: at,
      bids: book.bids.all(),
      asks: book.asks.all(),
      ...(seqId === null ? {} : { seqId }),
    };
  }

  getBookStatus(): BookStatus | null {
    const status = this.bookStatus();
    if (status === null || this.state !== 'stopped') return status;
    return { ...status, state: 'stopped', recovery: null };
  }

  /** The state of the collector's order book; null when it keeps none. */
  protected bookStatus(): BookStatus | null {
    return null;
  }

  /** A feed taken from a cluster names the node publishing it (see app/cluster/); others say nothing. */
  protected viaNode(): { via?: string | null; viaHealth?: string | null } {
    return {};
  }

  /** Inbound queue figures of the session's connections. */
  protected transportStats(): TransportStats {
    return { queueDepth: 0, dropped: 0 };
  }

  /** The venue's guarantees for a stream (e.g. OKX: a book keep-alive at least every 60 s). */
  protected streamPolicy(_key: StreamKey): Partial<LivenessPolicy> {
    return {};
  }

  /** A stream was judged stale (a book must be resynced); called once per episode. */
  protected onStreamStale(_key: StreamKey, _reason: string): void {
    // Subclasses act on it; the base has already recorded and shown it.
  }

  /**
   * Judges every live stream stale now, for `reason`: the source that vouches for them has gone
   * quiet (a collector node that stopped saying how it is). Each recovers with its next data.
   */
  protected declareStale(reason: string): void {
    if (this.lifecycle === undefined || (this.state !== 'running' && this.state !== 'stale')) return;
    for (const [key, entry] of this.streams) if (!entry.stale) this.streamWentStale(key, entry, reason);
  }

  /** Called on every liveness tick while the session runs (e.g. to escalate a book recovery). */
  protected onLivenessTick(): void {
    // Nothing by default.
  }

  isRunning(): boolean {
    return this.state === 'running' || this.state === 'reconnecting' || this.state === 'stale';
  }

  get currentState(): CollectorState {
    return this.state;
  }

  /**
   * Starts collecting; resolves once running. On failure the status is `error`, the error is
   * thrown, and, when `autoRestart` is on and the failure is retryable, restarts are scheduled.
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
    this.autoRestartsInARow = 0;
    return this.halt();
  }

  /** Stop then start; counted in `restarts`. */
  async restart(reason = 'requested'): Promise<void> {
    this.autoRestartsInARow = 0;
    await this.cycle(reason);
  }

  private async cycle(reason: string): Promise<void> {
    this.counters.restarts += 1;
    this.log.info({ reason }, 'restarting');
    await this.halt();
    await this.start();
  }

  private halt(): Promise<void> {
    this.stopTimers();
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

  getStatus(): CollectorStatus {
    const now = this.now();
    const transport = this.transportStats();
    const streams: Record<StreamKey, StreamStats> = {};
    const staleStreams: StreamKey[] = [];
    for (const [key, entry] of this.streams) {
      const { liveness } = entry;
      if (entry.stale) staleStreams.push(key);
      streams[key] = {
        messages: liveness.messages,
        lastMessageAt: liveness.lastMessageAt,
        lastDataAt: liveness.lastDataAt,
        state: entry.stale ? 'stale' : liveness.lastMessageAt === null ? 'waiting' : 'live',
        thresholdMs: liveness.thresholdMs(),
        reason: entry.reason,
      };
    }
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
      staleStreams,
      autoRestart: this.autoRestartStatus(),
      book: this.getBookStatus(),
      ...this.viaNode(),
    };
  }

  // ----- for subclasses -----

  /** Adds a stream to judge (collectors whose streams differ from the config's data types). */
  protected declareStream(key: StreamKey): void {
    if (this.streams.has(key)) return;
    this.streams.set(key, { liveness: new StreamLiveness({ ...this.livenessPolicy, ...this.streamPolicy(key) }), stale: false, reason: null });
  }

  /** Hands a normalized event to listeners and counts it as data (this is what liveness means). */
  protected publish(event: MarketEvent): void {
    const at = event.receivedAt;
    this.messages += 1;
    this.rate.add(at);
    this.lastMessageAt = at;
    // Lag needs an event time: a candle's time is when it opened, not when it was sent, and an
    // event stamped with its own receive time (Kraken v2 tickers carry no time) tells nothing.
    if (event.kind !== 'candle' && event.exchangeTs !== at) this.exchangeLagMs = at - event.exchangeTs;
    const key = event.kind === 'candle' ? `candles:${event.timeframe}` : event.kind === 'trade' ? 'trade' : event.kind === 'ticker' ? 'ticker' : 'orderbook';
    if (key === 'orderbook') {
      this.tradesSinceBookChange = 0;
    } else if (key === 'trade') {
      const bookChanged = this.streams.get('orderbook')?.liveness.lastDataAt;
      if (bookChanged !== undefined && bookChanged !== null && at - bookChanged > TRADE_EVIDENCE_GRACE_MS) this.tradesSinceBookChange += 1;
    }
    this.markStream(key, at, true);
    this.autoRestartsInARow = 0;
    if (this.state === 'error' && this.lifecycle !== undefined) this.setState(this.staleKeys().length > 0 ? 'stale' : 'running');
    this.emit('data', event);
  }

  /** A keep-alive (or other no-change message) on a stream: alive, though nothing changed. */
  protected markAlive(key: StreamKey, at: number): void {
    this.markStream(key, at, false);
  }

  /** The stream's cadence restarts (e.g. after a resubscribe). */
  protected relearnStream(key: StreamKey): void {
    this.streams.get(key)?.liveness.relearn();
    if (key === 'orderbook') this.tradesSinceBookChange = 0;
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
    if (this.state === 'reconnecting') this.setState(this.staleKeys().length > 0 ? 'stale' : 'running');
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

  /** Status listeners should look again (e.g. the book's state changed without data). */
  protected emitStatus(): void {
    this.emit('status', this.getStatus());
  }

  /** The session cannot continue (e.g. its connection gave up): status `error`, session closed. */
  protected fail(error: unknown): void {
    if (this.lifecycle === undefined) return;
    this.lastFatal = error;
    this.recordError(error);
    this.setState('error');
    this.closeSession().catch((closeError: unknown) => this.recordError(closeError));
    this.scheduleAutoRestart();
  }

  // ----- internals -----

  private markStream(key: StreamKey, at: number, data: boolean): void {
    const entry = this.streams.get(key);
    if (entry === undefined) return;
    entry.liveness.mark(at, data);
    if (entry.stale && (data || key !== 'orderbook')) this.streamRecovered(key, entry);
  }

  private async doStart(): Promise<void> {
    const lifecycle = new AbortController();
    this.lifecycle = lifecycle;
    this.lastFatal = undefined;
    this.runningSince = undefined;
    this.clearRestartTimer();
    for (const entry of this.streams.values()) {
      entry.stale = false;
      entry.reason = null;
      entry.liveness.relearn();
    }
    this.setState('starting');
    this.livenessTimer = setInterval(() => this.checkStreams(), this.livenessTickMs);
    try {
      await this.openSession(lifecycle.signal);
    } catch (error) {
      if (lifecycle.signal.aborted) return;
      // fail() may already have recorded this very error (a give-up also rejects the open).
      if (this.lastFatal !== error) this.recordError(error);
      this.lastFatal = error;
      await this.closeSession().catch((closeError: unknown) => this.recordError(closeError));
      this.stopLivenessTimer();
      this.setState('error');
      this.scheduleAutoRestart();
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
      for (const entry of this.streams.values()) {
        entry.stale = false;
        entry.reason = null;
      }
      this.setState('stopped');
    }
  }

  private stopLivenessTimer(): void {
    if (this.livenessTimer !== undefined) clearInterval(this.livenessTimer);
    this.livenessTimer = undefined;
  }

  private clearRestartTimer(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restartAt = null;
  }

  private stopTimers(): void {
    this.stopLivenessTimer();
    this.clearRestartTimer();
  }

  private mayAutoRestart(): boolean {
    if (!this.config.autoRestart) return false;
    return this.lastFatal === undefined || !(this.lastFatal instanceof ExchangeError) || this.lastFatal.retryable;
  }

  /** Fast retries first (1, 2, 4 … s, at most the health-check interval), then steadily, forever. */
  private scheduleAutoRestart(): void {
    if (this.restartTimer !== undefined || !this.mayAutoRestart()) return;
    const fastMs = Math.min(this.config.healthCheckInterval * 1000, 1000 * 2 ** this.autoRestartsInARow);
    const delayMs = this.autoRestartsInARow < this.maxAutoRestarts ? fastMs : this.steadyRestartMs;
    if (this.autoRestartsInARow === this.maxAutoRestarts) {
      this.recordError(new Error(`still failing after ${this.maxAutoRestarts} automatic restarts; retrying every ${seconds(this.steadyRestartMs)}`));
    }
    this.restartAt = this.now() + delayMs;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartAt = null;
      if (this.state !== 'error') return;
      this.autoRestartsInARow += 1;
      // The count goes back to 0 when data flows again (publish), not merely on a start.
      this.cycle('automatic restart after error').catch((error: unknown) => {
        this.log.warn({ err: describeError(error), attempts: this.autoRestartsInARow }, 'automatic restart failed');
        this.scheduleAutoRestart();
      });
    }, delayMs);
    this.emitStatus();
  }

  private autoRestartStatus(): AutoRestartStatus | null {
    if (this.restartAt === null && this.autoRestartsInARow === 0) return null;
    return {
      attempts: this.autoRestartsInARow,
      nextAt: this.restartAt,
      everyMs: this.autoRestartsInARow >= this.maxAutoRestarts ? this.steadyRestartMs : null,
    };
  }

  private staleKeys(): StreamKey[] {
    const keys: StreamKey[] = [];
    for (const [key, entry] of this.streams) if (entry.stale) keys.push(key);
    return keys;
  }

  /** Judges every stream; marks and reports the ones that went stale. */
  private checkStreams(): void {
    if (this.lifecycle === undefined) return;
    const now = this.now();
    if (this.state === 'running' || this.state === 'stale') {
      // A book that is not valid is not claimed live; its recovery deals with it.
      const bookClaimedLive = this.bookStatus()?.state === 'valid';
      for (const [key, entry] of this.streams) {
        if (entry.stale || (key === 'orderbook' && !bookClaimedLive)) continue;
        const reason = this.staleReason(key, entry, now);
        if (reason !== undefined) this.streamWentStale(key, entry, reason);
      }
    }
    this.onLivenessTick();
  }

  private staleReason(key: StreamKey, entry: StreamEntry, now: number): string | undefined {
    const judgement = entry.liveness.judge(now);
    if (judgement.state === 'stale' && judgement.ageMs !== null && judgement.thresholdMs !== null) {
      const cap = entry.liveness.policy.maxSilenceMs;
      const why = cap !== undefined && judgement.thresholdMs >= cap ? 'longer than the exchange ever stays silent' : 'far beyond its usual pace';
      return `no ${describeStream(key)} for ${seconds(judgement.ageMs)} (${why})`;
    }
    if (key === 'orderbook' && this.tradesSinceBookChange >= TRADE_EVIDENCE_COUNT) {
      const changed = entry.liveness.lastDataAt;
      if (changed !== null && now - changed >= this.bookFrozenMs) {
        return `order book unchanged for ${seconds(now - changed)} while trades print`;
      }
    }
    return undefined;
  }

  private streamWentStale(key: StreamKey, entry: StreamEntry, reason: string): void {
    entry.stale = true;
    entry.reason = reason;
    this.recordError(new Error(`${this.config.symbol} ${reason}`));
    if (this.state === 'running') this.setState('stale');
    else this.emitStatus();
    this.onStreamStale(key, reason);
  }

  private streamRecovered(key: StreamKey, entry: StreamEntry): void {
    entry.stale = false;
    entry.reason = null;
    if (key === 'orderbook') this.tradesSinceBookChange = 0;
    if (this.state === 'stale' && this.staleKeys().length === 0) this.setState('running');
    else this.emitStatus();
  }

  private setState(state: CollectorState): void {
    if (this.state === state) return;
    this.state = state;
    this.log.debug({ state }, 'status');
    this.emitStatus();
  }
}

function describeStream(key: StreamKey): string {
  if (key === 'orderbook') return 'order-book update';
  if (key === 'trade') return 'trade';
  if (key === 'ticker') return 'ticker';
  return key.startsWith('candles:') ? `${key.slice('candles:'.length)} candle` : key;
}

function seconds(ms: number): string {
  if (ms >= 10_000 || ms % 1000 === 0) return `${Math.round(ms / 1000)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}
