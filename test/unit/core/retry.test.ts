import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExchangeConnectionError, InvalidConfigurationError, RateLimitError, SubscriptionError } from '../../../app/core/errors.js';
import { withRetry } from '../../../app/core/retry.js';

describe('withRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries ExchangeErrors with delays growing by backoffFactor, then succeeds', async () => {
    const calls: number[] = [];
    const start = Date.now();
    const result = withRetry(
      (attempt) => {
        calls.push(Date.now() - start);
        if (attempt < 3) return Promise.reject(new ExchangeConnectionError('socket hang up'));
        return Promise.resolve('ok');
      },
      { maxRetries: 3, backoffFactor: 2, initialDelayMs: 100 },
    );
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');
    // Waits of 100, 200 and 400 ms.
    expect(calls).toEqual([0, 100, 300, 700]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    let calls = 0;
    const result = withRetry(
      () => {
        calls += 1;
        return Promise.reject(new ExchangeConnectionError(`failure ${calls}`));
      },
      { maxRetries: 2, backoffFactor: 1.5, initialDelayMs: 10 },
    );
    result.catch(() => undefined);
    await vi.runAllTimersAsync();
    await expect(result).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });

  it('does not retry errors that are not ExchangeErrors', async () => {
    let calls = 0;
    const result = withRetry(
      () => {
        calls += 1;
        return Promise.reject(new TypeError('bug'));
      },
      { maxRetries: 5, backoffFactor: 2 },
    );
    await expect(result).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('does not retry ExchangeErrors that retrying cannot fix', async () => {
    for (const error of [new InvalidConfigurationError(['symbol must not be empty']), new SubscriptionError('unknown instId')]) {
      let calls = 0;
      const result = withRetry(
        () => {
          calls += 1;
          return Promise.reject(error);
        },
        { maxRetries: 5, backoffFactor: 2 },
      );
      await expect(result).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('waits at least what a rate limit asks for', async () => {
    const calls: number[] = [];
    const start = Date.now();
    const result = withRetry(
      (attempt) => {
        calls.push(Date.now() - start);
        return attempt === 0 ? Promise.reject(new RateLimitError('60014 too frequent', 2000)) : Promise.resolve(1);
      },
      { maxRetries: 1, backoffFactor: 2, initialDelayMs: 50 },
    );
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe(1);
    expect(calls).toEqual([0, 2000]);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const result = withRetry(() => Promise.reject(new ExchangeConnectionError('down')), {
      maxRetries: 10,
      backoffFactor: 2,
      initialDelayMs: 1000,
      signal: controller.signal,
    });
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('cancelled'));
    await expect(result).rejects.toThrow('cancelled');
    expect(vi.getTimerCount()).toBe(0);
  });
});
