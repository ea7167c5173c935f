// Token-bucket rate limiter. `acquire()` waits (FIFO) until tokens are available;
// waiters are bounded and cancellable, and `dispose()` rejects them all.

import { RateLimitError, abortReason } from './errors.js';

export interface RateLimiterOptions {
  /** Bucket size: the burst allowed after a quiet period. */
  readonly capacity: number;
  /** Tokens added per `intervalMs`. */
  readonly tokensPerInterval: number;
  readonly intervalMs: number;
  /** Most callers allowed to wait at once; more are rejected with RateLimitError. */
  readonly maxWaiters?: number;
  /** Label used in error messages (e.g. `okx subscribe`). */
  readonly name?: string;
  readonly now?: () => number;
}

interface Waiter {
  readonly tokens: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly cleanup: () => void;
}

export class RateLimiter {
  private tokens: number;
  private lastRefill: number;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly maxWaiters: number;
  private readonly name: string;
  private disposed = false;

  constructor(private readonly options: RateLimiterOptions) {
    if (options.capacity <= 0 || options.tokensPerInterval <= 0 || options.intervalMs <= 0) {
      throw new RangeError('rate limiter needs positive capacity, tokensPerInterval and intervalMs');
    }
    this.now = options.now ?? Date.now;
    this.tokens = options.capacity;
    this.lastRefill = this.now();
    this.maxWaiters = options.maxWaiters ?? 1000;
    this.name = options.name ?? 'rate limiter';
  }

  /** Tokens available right now (fractional while refilling). */
  get available(): number {
    this.refill();
    return this.tokens;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes tokens if available now, without waiting. Never jumps ahead of waiters. */
  tryAcquire(tokens = 1): boolean {
    this.checkRequest(tokens);
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= tokens) {
      this.tokens -= tokens;
      return true;
    }
    return false;
  }

  /** Resolves once `tokens` have been taken; rejects on abort, overflow or dispose. */
  acquire(tokens = 1, signal?: AbortSignal): Promise<void> {
    this.checkRequest(tokens);
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    if (this.tryAcquire(tokens)) return Promise.resolve();
    if (this.waiters.length >= this.maxWaiters) {
      return Promise.reject(new RateLimitError(`${this.name}: too many requests waiting (${this.maxWaiters}); try again later`, this.msUntil(tokens)));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal));
        this.schedule();
      };
      const waiter: Waiter = {
        tokens,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  /** Rejects every waiter and stops the timer. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) {
      waiter.cleanup();
      waiter.reject(new RateLimitError(`${this.name}: limiter stopped`));
    }
  }

  private checkRequest(tokens: number): void {
    if (this.disposed) throw new RateLimitError(`${this.name}: limiter stopped`);
    if (!(tokens > 0) || tokens > this.options.capacity) {
      throw new RangeError(`${this.name}: cannot take ${tokens} tokens from a bucket of ${this.options.capacity}`);
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    const { capacity, tokensPerInterval, intervalMs } = this.options;
    this.tokens = Math.min(capacity, this.tokens + (elapsed * tokensPerInterval) / intervalMs);
    this.lastRefill = now;
  }

  private msUntil(tokens: number): number {
    this.refill();
    const missing = tokens - this.tokens;
    if (missing <= 0) return 0;
    return Math.ceil((missing * this.options.intervalMs) / this.options.tokensPerInterval);
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
    const head = this.waiters[0];
    if (head === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.schedule();
      },
      Math.max(1, this.msUntil(head.tokens)),
    );
  }

  private release(): void {
    this.refill();
    for (let head = this.waiters[0]; head !== undefined && this.tokens >= head.tokens; head = this.waiters[0]) {
      this.waiters.shift();
      this.tokens -= head.tokens;
      head.cleanup();
      head.resolve();
    }
  }
}
