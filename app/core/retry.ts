// withRetry: run an async operation again after retryable ExchangeErrors, with growing
// delays. Anything that is not an ExchangeError (a bug, a bad argument) fails at once.

import { ExchangeError, RateLimitError, abortReason } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (0 = no retry). */
  readonly maxRetries: number;
  /** Delay growth per retry: delay = initialDelayMs * backoffFactor ** (retry - 1). */
  readonly backoffFactor: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Told before each wait, e.g. to log it. */
  readonly onRetry?: (error: ExchangeError, retry: number, delayMs: number) => void;
}

export function isRetryable(error: unknown): error is ExchangeError {
  return error instanceof ExchangeError && error.retryable;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxRetries, backoffFactor, initialDelayMs = 1000, maxDelayMs = 60_000, signal, onRetry } = options;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be a whole number >= 0');
  if (!(backoffFactor >= 1)) throw new RangeError('backoffFactor must be >= 1');
  for (let retry = 0; ; retry += 1) {
    try {
      return await fn(retry);
    } catch (error) {
      if (!isRetryable(error) || retry >= maxRetries) throw error;
      let delay = Math.min(maxDelayMs, initialDelayMs * backoffFactor ** retry);
      if (error instanceof RateLimitError && error.retryAfterMs !== undefined) delay = Math.max(delay, error.retryAfterMs);
      onRetry?.(error, retry + 1, delay);
      await sleep(delay, signal);
    }
  }
}
