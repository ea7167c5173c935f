// ExchangeWebSocketClient: one WebSocket session to one exchange endpoint.
// It owns connect/reconnect (exponential backoff with jitter, reset after a stable period,
// bounded consecutive attempts, never a silent give-up), keep-alive (text, JSON or control
// pings), the subscription set (replayed after every reconnect), outbound rate limits, a
// bounded inbound queue drained off the socket callback, a cap on inbound message size and
// the refusal of binary frames from venues that never send them. Exchanges only encode
// requests and parse messages. Closing never leaves a caller's promise to reject unhandled:
// requests still waiting for the budget when the client closes resolve without sending.

import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { ExchangeConnectionError, ExchangeError, ExchangeProtocolError, RateLimitError, describeError } from './errors.js';
import { getLogger } from './logger.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';

const log = getLogger('ws');

export type KeepAlive =
  | { readonly kind: 'none' }
  /** Send `ping` as a text frame after `idleMs` of silence; expect `pong` within `timeoutMs`. */
  | { readonly kind: 'text'; readonly ping: string; readonly pong: string; readonly idleMs: number; readonly timeoutMs: number }
  /** Send a JSON request; `isPong` recognises the reply so it is not passed on as data. */
  | {
      readonly kind: 'json';
      readonly buildPing: () => string;
      readonly isPong: (text: string) => boolean;
      readonly idleMs: number;
      readonly timeoutMs: number;
      /** Ping every `idleMs` whatever arrives (venues that want a heartbeat from busy clients too, e.g. Bybit). */
      readonly periodic?: boolean;
    }
  /** WebSocket protocol ping frames. */
  | { readonly kind: 'control'; readonly idleMs: number; readonly timeoutMs: number };

/** How an exchange turns subscription arguments into frames. */
export interface SubscriptionCodec<A> {
  /** Identity of an argument, for bookkeeping. */
  key(arg: A): string;
  /** Frames that (un)subscribe `args`, batched as the exchange allows. */
  encode(op: 'subscribe' | 'unsubscribe', args: readonly A[]): string[];
}

export interface CloseDecision {
  readonly action: 'reconnect' | 'fatal';
  /** What the close means, for logs and the collector status. */
  readonly reason: string;
  /** Reconnect at once instead of backing off (e.g. the server asked us to). */
  readonly immediate?: boolean;
}

export type WsClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

export interface WsClientOptions<A> {
  readonly url: string;
  /** Label for logs and errors, e.g. `okx/public`. */
  readonly name: string;
  readonly subscriptions: SubscriptionCodec<A>;
  readonly keepAlive: KeepAlive;
  /** Receives every data frame (keep-alive replies excluded), in order, off the socket callback. */
  readonly onMessage: (text: string, receivedAt: number) => void;
  readonly backoff?: BackoffOptions;
  /** A connection open this long resets the backoff. */
  readonly stableAfterMs?: number;
  /** Consecutive failed attempts before giving up. */
  readonly maxReconnectAttempts?: number;
  readonly connectTimeoutMs?: number;
  /** Inbound frames held while the consumer catches up; beyond it the oldest are dropped (a last resort: see the water marks). */
  readonly queueCapacity?: number;
  /** Frames queued at which the socket stops being read (TCP backpressure to the venue); at most 3/4 of the queue. */
  readonly highWaterMark?: number;
  /** Frames queued at or below which reading resumes. */
  readonly lowWaterMark?: number;
  /** Frames handed to `onMessage` per event-loop turn before yielding to timers and I/O. */
  readonly maxBatchPerTick?: number;
  readonly classifyClose?: (code: number, reason: string) => CloseDecision;
  /** Shared across connections to one host (e.g. OKX: 3 new connections per second per IP). */
  readonly connectLimiter?: RateLimiter;
  /** Budget for subscribe/unsubscribe frames on this connection. */
  readonly requestLimit?: RateLimiterOptions;
  readonly perMessageDeflate?: boolean;
  /** Largest inbound message accepted; a larger one closes the socket (1009) and reconnects. Default 16 MiB. */
  readonly maxMessageBytes?: number;
  /** `reject`: a binary frame is a protocol error (reconnect); `text`: decode it as UTF-8. Default `text`. */
  readonly binaryFrames?: 'text' | 'reject';
}

export interface WsClientEvents {
  open: [info: { readonly connects: number }];
  reconnecting: [info: { readonly attempt: number; readonly delayMs: number; readonly reason: string }];
  close: [info: { readonly code: number; readonly reason: string; readonly willReconnect: boolean }];
  giveUp: [error: ExchangeError];
  problem: [error: Error];
  state: [state: WsClientState];
}

export interface WsClientStats {
  readonly state: WsClientState;
  readonly connects: number;
  readonly reconnects: number;
  readonly framesReceived: number;
  readonly lastFrameAt: number | undefined;
  readonly queueDepth: number;
  readonly dropped: number;
  readonly handlerErrors: number;
  /** Times reading was paused because the consumer fell behind (backpressure, not loss). */
  readonly pauses: number;
}

interface Inbound {
  readonly text: string;
  readonly receivedAt: number;
}

const DEFAULTS = {
  stableAfterMs: 60_000,
  maxReconnectAttempts: 30,
  connectTimeoutMs: 10_000,
  queueCapacity: 20_000,
  highWaterMark: 2_000,
  lowWaterMark: 500,
  maxBatchPerTick: 500,
  closeGraceMs: 2_000,
  maxMessageBytes: 16 * 1024 * 1024,
} as const;

function defaultClassifyClose(code: number, reason: string): CloseDecision {
  // 1002/1003: we spoke the protocol wrongly; reconnecting would only repeat it.
  if (code === 1002 || code === 1003) return { action: 'fatal', reason: `protocol error (${code}) ${reason}`.trim() };
  if (code === 1009) return { action: 'reconnect', reason: `a message was larger than allowed (1009)${reason === '' ? '' : `: ${reason}`}` };
  return { action: 'reconnect', reason: `closed by server (${code}${reason === '' ? '' : `: ${reason}`})` };
}

export class ExchangeWebSocketClient<A> extends EventEmitter<WsClientEvents> {
  private readonly opts: WsClientOptions<A>;
  private readonly backoff: Backoff;
  private readonly queue: BoundedQueue<Inbound>;
  private readonly requestLimiter: RateLimiter | undefined;
  private readonly subs = new Map<string, A>();
  private ws: WebSocket | undefined;
  private currentState: WsClientState = 'idle';
  private lifecycle: AbortController | undefined;
  private pendingOpen: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private openPromise: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private drainHandle: NodeJS.Immediate | undefined;
  private reconnectNow: string | undefined;
  private lastError: string | undefined;
  private lastFrame = 0;
  private pingSentAt: number | undefined;
  /** When the last keep-alive went out (or the socket opened). */
  private lastPingAt = 0;
  private connects = 0;
  private reconnects = 0;
  private frames = 0;
  private handlerErrors = 0;
  /** Reading is paused until the queue drains to the low-water mark. */
  private paused = false;
  private readonly highWater: number;
  private readonly lowWater: number;
  private pauses = 0;

  constructor(options: WsClientOptions<A>) {
    super();
    this.opts = options;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    const capacity = options.queueCapacity ?? DEFAULTS.queueCapacity;
    this.queue = new BoundedQueue(capacity);
    // Reading pauses well before the queue is full: dropping stays a last resort.
    const wanted = options.highWaterMark ?? DEFAULTS.highWaterMark;
    // An infinite mark turns backpressure off (tests of the last resort).
    this.highWater = wanted === Number.POSITIVE_INFINITY ? wanted : Math.min(wanted, Math.max(1, Math.floor((capacity * 3) / 4)));
    this.lowWater = Math.min(options.lowWaterMark ?? DEFAULTS.lowWaterMark, Math.floor(this.highWater / 4));
    this.requestLimiter = options.requestLimit === undefined ? undefined : new RateLimiter({ name: `${options.name} requests`, ...options.requestLimit });
  }

  get state(): WsClientState {
    return this.currentState;
  }

  get name(): string {
    return this.opts.name;
  }

  stats(): WsClientStats {
    return {
      state: this.currentState,
      connects: this.connects,
      reconnects: this.reconnects,
      framesReceived: this.frames,
      lastFrameAt: this.frames === 0 ? undefined : this.lastFrame,
      queueDepth: this.queue.size,
      dropped: this.queue.dropped,
      handlerErrors: this.handlerErrors,
      pauses: this.pauses,
    };
  }

  /** Arguments currently subscribed (replayed after every reconnect). */
  subscribed(): A[] {
    return [...this.subs.values()];
  }

  /**
   * Opens the session; resolves on the first successful open. Failed attempts are retried with
   * backoff; the promise rejects when the client gives up or is closed first.
   */
  connect(): Promise<void> {
    if (this.currentState === 'open') return Promise.resolve();
    if (this.openPromise !== undefined) return this.openPromise;
    this.lifecycle = new AbortController();
    this.backoff.reset();
    this.lastError = undefined;
    this.openPromise = new Promise<void>((resolve, reject) => {
      this.pendingOpen = { resolve, reject };
    });
    // The caller may only await later; a rejection must not count as unhandled meanwhile.
    this.openPromise.catch(() => undefined);
    this.setState('connecting');
    this.startSocket();
    return this.openPromise;
  }

  /** Adds arguments; sends them now when open, and after every reconnect. */
  async subscribe(args: readonly A[]): Promise<void> {
    const added = args.filter((arg) => {
      const key = this.opts.subscriptions.key(arg);
      if (this.subs.has(key)) return false;
      this.subs.set(key, arg);
      return true;
    });
    if (added.length > 0 && this.currentState === 'open') await this.sendOps('subscribe', added);
  }

  /** Removes arguments; sends the unsubscribe now when open. */
  async unsubscribe(args: readonly A[]): Promise<void> {
    const removed = args.filter((arg) => this.subs.delete(this.opts.subscriptions.key(arg)));
    if (removed.length > 0 && this.currentState === 'open') await this.sendOps('unsubscribe', removed);
  }

  /** Sends (un)subscribe frames for args without changing the bookkeeping (e.g. a resync). */
  async resend(op: 'subscribe' | 'unsubscribe', args: readonly A[]): Promise<void> {
    if (this.currentState === 'open') await this.sendOps(op, args);
  }

  /** Sends a raw text frame; false when not connected. */
  send(text: string): boolean {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    return true;
  }

  /**
   * Drops the current socket and opens a new one at once, without backoff
   * (e.g. the exchange announced a service upgrade).
   */
  reconnect(reason: string): void {
    if (this.ws === undefined || this.currentState !== 'open') return;
    this.reconnectNow = reason;
    log.info({ client: this.opts.name, reason }, 'reconnecting on request');
    this.ws.close(1000, 'reconnect');
  }

  /** Forcibly kills the socket as if the network dropped (the normal reconnect path follows). */
  drop(reason: string): void {
    this.lastError = reason;
    this.ws?.terminate();
  }

  /** Closes the session and releases every timer, socket and queued frame. */
  async close(): Promise<void> {
    const wasActive = this.lifecycle !== undefined;
    this.lifecycle?.abort(new ExchangeConnectionError(`${this.opts.name}: connection closed by the application`));
    this.lifecycle = undefined;
    this.clearTimers();
    if (this.drainHandle !== undefined) clearImmediate(this.drainHandle);
    this.drainHandle = undefined;
    this.queue.clear();
    this.failPendingOpen(new ExchangeConnectionError(`${this.opts.name}: closed before the connection opened`));
    const ws = this.ws;
    this.ws = undefined;
    if (ws !== undefined) await this.closeSocket(ws);
    if (wasActive || this.currentState !== 'idle') this.setState('closed');
  }

  /** Closes for good: also rejects anyone waiting on the request budget. */
  async dispose(): Promise<void> {
    await this.close();
    this.requestLimiter?.dispose();
    this.removeAllListeners();
  }

  /** Opens a socket; a failure to even create one counts as a failed attempt (never an unhandled rejection). */
  private startSocket(): void {
    this.openSocket().catch((error: unknown) => {
      this.lastError = describeError(error);
      this.onSocketGone(1006, this.lastError);
    });
  }

  private async openSocket(): Promise<void> {
    const signal = this.lifecycle?.signal;
    if (signal === undefined || signal.aborted) return;
    try {
      await this.opts.connectLimiter?.acquire(1, signal);
    } catch (error) {
      if (signal.aborted) return;
      this.onSocketGone(1006, `connection budget: ${describeError(error)}`);
      return;
    }
    if (signal.aborted) return;
    const ws = new WebSocket(this.opts.url, {
      handshakeTimeout: this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      perMessageDeflate: this.opts.perMessageDeflate ?? false,
      maxPayload: this.opts.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
    });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => this.onFrame(ws, data, isBinary));
    ws.on('pong', () => this.onLiveness());
    ws.on('error', (error) => {
      this.lastError = error.message;
      log.debug({ client: this.opts.name, err: error.message }, 'socket error');
    });
    ws.on('close', (code, reason) => {
      ws.removeAllListeners();
      // An error listener must stay until the socket is gone for good.
      ws.on('error', () => undefined);
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.onSocketGone(code, reason.toString());
    });
  }

  private onOpen(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.paused = false;
    this.connects += 1;
    this.lastFrame = Date.now();
    this.lastPingAt = this.lastFrame;
    this.lastError = undefined;
    this.setState('open');
    this.armKeepAlive(this.idleMs());
    this.stableTimer = setTimeout(() => {
      this.stableTimer = undefined;
      this.backoff.reset();
    }, this.opts.stableAfterMs ?? DEFAULTS.stableAfterMs);
    log.info({ client: this.opts.name, connects: this.connects }, 'connected');
    const pending = this.pendingOpen;
    this.pendingOpen = undefined;
    this.openPromise = undefined;
    pending?.resolve();
    this.emit('open', { connects: this.connects });
    const all = this.subscribed();
    if (all.length > 0) {
      this.sendOps('subscribe', all).catch((error: unknown) => this.reportProblem(error));
    }
  }

  private onFrame(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const receivedAt = Date.now();
    this.onLiveness(receivedAt);
    if (isBinary && this.opts.binaryFrames === 'reject') {
      // The venue never sends binary: what follows cannot be trusted; start a fresh session.
      if (this.ws !== ws) return;
      this.lastError = 'the exchange sent a binary frame, which it never does (protocol error)';
      log.warn({ client: this.opts.name }, this.lastError);
      this.reportProblem(new ExchangeProtocolError(`${this.opts.name}: ${this.lastError}; reconnecting`));
      ws.terminate();
      return;
    }
    // Text frames are UTF-8 by protocol; binary frames (where allowed) are decoded the same way.
    const text = rawToText(data);
    const keepAlive = this.opts.keepAlive;
    if (keepAlive.kind === 'text' && text === keepAlive.pong) return;
    if (keepAlive.kind === 'json' && keepAlive.isPong(text)) return;
    this.frames += 1;
    if (!this.queue.push({ text, receivedAt }) && this.queue.dropped % 1000 === 1) {
      log.warn({ client: this.opts.name, dropped: this.queue.dropped }, 'inbound queue full: dropping oldest frames');
    }
    // Behind: stop reading, so that the venue's data waits in the kernel and on the wire (TCP
    // backpressure) instead of being dropped here.
    if (!this.paused && this.ws === ws && this.queue.size >= this.highWater) {
      this.paused = true;
      this.pauses += 1;
      ws.pause();
    }
    this.scheduleDrain();
  }

  private onLiveness(at = Date.now()): void {
    this.lastFrame = at;
  }

  private scheduleDrain(): void {
    if (this.drainHandle !== undefined) return;
    this.drainHandle = setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainHandle = undefined;
    const limit = this.opts.maxBatchPerTick ?? DEFAULTS.maxBatchPerTick;
    for (let i = 0; i < limit; i += 1) {
      const item = this.queue.shift();
      if (item === undefined) break;
      try {
        this.opts.onMessage(item.text, item.receivedAt);
      } catch (error) {
        this.handlerErrors += 1;
        this.reportProblem(error);
      }
    }
    if (this.paused && this.queue.size <= this.lowWater) {
      this.paused = false;
      this.ws?.resume();
    }
    if (this.queue.size > 0) this.scheduleDrain();
  }

  private idleMs(): number {
    return this.opts.keepAlive.kind === 'none' ? 0 : this.opts.keepAlive.idleMs;
  }

  /** One timer serves both the idle wait and the pong deadline, re-armed lazily (cheap at high rates). */
  private armKeepAlive(delayMs: number): void {
    if (this.opts.keepAlive.kind === 'none') return;
    if (this.keepAliveTimer !== undefined) clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => this.onKeepAliveTimer(), Math.max(1, delayMs));
  }

  private onKeepAliveTimer(): void {
    this.keepAliveTimer = undefined;
    const keepAlive = this.opts.keepAlive;
    const ws = this.ws;
    if (keepAlive.kind === 'none' || ws === undefined || ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (this.paused) {
      // We are the slow side: frames are waiting to be read, the venue is alive. Venues that
      // close clients which send nothing (OKX after 30 s) still get their pings; a pong cannot
      // be read before the frames ahead of it, so none is awaited.
      this.lastFrame = now;
      this.pingSentAt = undefined;
      if (now - this.lastPingAt >= keepAlive.idleMs) {
        this.lastPingAt = now;
        if (keepAlive.kind === 'text') ws.send(keepAlive.ping);
        else if (keepAlive.kind === 'json') ws.send(keepAlive.buildPing());
        else ws.ping();
      }
      this.armKeepAlive(keepAlive.idleMs);
      return;
    }
    if (this.pingSentAt !== undefined) {
      if (this.lastFrame >= this.pingSentAt) {
        this.pingSentAt = undefined;
      } else if (now - this.pingSentAt >= keepAlive.timeoutMs) {
        this.lastError = `no reply to keep-alive within ${keepAlive.timeoutMs} ms`;
        log.warn({ client: this.opts.name }, this.lastError);
        this.pingSentAt = undefined;
        ws.terminate();
        return;
      } else {
        this.armKeepAlive(keepAlive.timeoutMs - (now - this.pingSentAt));
        return;
      }
    }
    const periodic = keepAlive.kind === 'json' && keepAlive.periodic === true;
    const silentFor = now - (periodic ? this.lastPingAt : this.lastFrame);
    if (silentFor < keepAlive.idleMs) {
      this.armKeepAlive(keepAlive.idleMs - silentFor);
      return;
    }
    this.pingSentAt = now;
    this.lastPingAt = now;
    if (keepAlive.kind === 'text') ws.send(keepAlive.ping);
    else if (keepAlive.kind === 'json') ws.send(keepAlive.buildPing());
    else ws.ping();
    this.armKeepAlive(keepAlive.timeoutMs);
  }

  private onSocketGone(code: number, reason: string): void {
    this.paused = false;
    this.clearTimers();
    if (this.lifecycle === undefined || this.lifecycle.signal.aborted) return;
    const requested = this.reconnectNow;
    this.reconnectNow = undefined;
    const decision: CloseDecision =
      requested !== undefined
        ? { action: 'reconnect', reason: requested, immediate: true }
        : this.lastError !== undefined && code === 1006
          ? { action: 'reconnect', reason: explainSocketError(this.lastError) }
          : (this.opts.classifyClose ?? defaultClassifyClose)(code, reason);
    const willReconnect = decision.action === 'reconnect' && this.backoff.attempts < this.maxAttempts();
    this.emit('close', { code, reason: decision.reason, willReconnect });
    if (decision.action === 'fatal') {
      this.giveUp(new ExchangeConnectionError(`${this.opts.name}: ${decision.reason}`, { exchangeCode: String(code) }));
      return;
    }
    if (!willReconnect) {
      this.giveUp(
        new ExchangeConnectionError(`${this.opts.name}: gave up after ${this.backoff.attempts} failed reconnect attempts (last: ${decision.reason})`),
      );
      return;
    }
    const delayMs = decision.immediate === true ? 0 : this.backoff.next();
    const attempt = decision.immediate === true ? 0 : this.backoff.attempts;
    this.reconnects += 1;
    this.setState('reconnecting');
    log.warn({ client: this.opts.name, attempt, delayMs, reason: decision.reason }, 'connection lost; reconnecting');
    this.emit('reconnecting', { attempt, delayMs, reason: decision.reason });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.startSocket();
    }, delayMs);
  }

  private maxAttempts(): number {
    return this.opts.maxReconnectAttempts ?? DEFAULTS.maxReconnectAttempts;
  }

  private giveUp(error: ExchangeConnectionError): void {
    log.error({ client: this.opts.name, err: error.message }, 'giving up on connection');
    this.lifecycle = undefined;
    this.setState('failed');
    this.failPendingOpen(error);
    this.emit('giveUp', error);
  }

  private failPendingOpen(error: unknown): void {
    const pending = this.pendingOpen;
    this.pendingOpen = undefined;
    this.openPromise = undefined;
    pending?.reject(error);
  }

  private async sendOps(op: 'subscribe' | 'unsubscribe', args: readonly A[]): Promise<void> {
    const ws = this.ws;
    const signal = this.lifecycle?.signal;
    for (const frame of this.opts.subscriptions.encode(op, args)) {
      if (this.requestLimiter !== undefined && !this.requestLimiter.tryAcquire()) {
        log.warn({ client: this.opts.name, op }, 'request budget exhausted; waiting');
        try {
          await this.requestLimiter.acquire(1, signal);
        } catch (error) {
          // Closed while waiting: nothing is left to send, and nobody must see a rejection.
          if (signal === undefined || signal.aborted || this.lifecycle?.signal !== signal) return;
          throw error;
        }
      }
      // The socket may have been replaced meanwhile; the new one resubscribes by itself.
      if (this.ws !== ws || ws === undefined || ws.readyState !== WebSocket.OPEN) return;
      ws.send(frame);
    }
  }

  private reportProblem(error: unknown): void {
    if (error instanceof RateLimitError || error instanceof ExchangeError) {
      log.warn({ client: this.opts.name, err: error.message }, 'client problem');
    } else {
      log.error({ client: this.opts.name, err: describeError(error) }, 'message handler failed');
    }
    this.emit('problem', error instanceof Error ? error : new Error(describeError(error)));
  }

  private clearTimers(): void {
    for (const timer of [this.reconnectTimer, this.keepAliveTimer, this.stableTimer]) {
      if (timer !== undefined) clearTimeout(timer);
    }
    this.reconnectTimer = undefined;
    this.keepAliveTimer = undefined;
    this.stableTimer = undefined;
    this.pingSentAt = undefined;
  }

  private closeSocket(ws: WebSocket): Promise<void> {
    return new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) {
        ws.removeAllListeners();
        resolve();
        return;
      }
      const grace = setTimeout(() => ws.terminate(), DEFAULTS.closeGraceMs);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.once('close', () => {
        clearTimeout(grace);
        ws.removeAllListeners();
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'client closing');
    });
  }

  private setState(state: WsClientState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }
}

function rawToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return (data satisfies Buffer).toString('utf8');
}

function explainSocketError(message: string): string {
  if (message.includes('Max payload size exceeded')) return 'a message was larger than allowed (1009)';
  const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (status === '429') return 'server refused the connection: too many requests (HTTP 429)';
  if (status !== undefined) return `server refused the WebSocket upgrade (HTTP ${status})`;
  if (message.includes('ECONNREFUSED')) return 'connection refused (is the exchange reachable?)';
  if (message.includes('ENOTFOUND') || message.includes('EAI_AGAIN')) return 'exchange host name could not be resolved (offline?)';
  return message;
}
