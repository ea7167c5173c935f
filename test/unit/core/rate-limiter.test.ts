import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitError } from '../../../app/core/errors.js';
import { RateLimiter } from '../../../app/core/rate-limiter.js';

describe('RateLimiter (token bucket)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('allows a burst up to capacity, then one token per interval', async () => {
    // OKX-like: 3 new connections per second.
    const limiter = new RateLimiter({ capacity: 3, tokensPerInterval: 3, intervalMs: 1000 });
    const granted: number[] = [];
    const start = Date.now();
    const all = Array.from({ length: 7 }, () => limiter.acquire().then(() => granted.push(Date.now() - start)));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(334);
    expect(granted).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(granted).toHaveLength(7);
    // Never faster than the refill rate after the burst.
    expect(granted[6]).toBeGreaterThanOrEqual(1333);
    limiter.dispose();
  });

  it('serves waiters first-in first-out and tryAcquire never jumps the queue', async () => {
    const limiter = new RateLimiter({ capacity: 1, tokensPerInterval: 1, intervalMs: 100 });
    const order: string[] = [];
    expect(limiter.tryAcquire()).toBe(true);
    const a = limiter.acquire().then(() => order.push('a'));
    const b = limiter.acquire().then(() => order.push('b'));
    await vi.advanceTimersByTimeAsync(100);
    expect(limiter.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    limiter.dispose();
  });

  it('rejects beyond the waiter bound with a RateLimitError that says when to retry', async () => {
    const limiter = new RateLimiter({ capacity: 1, tokensPerInterval: 1, intervalMs: 1000, maxWaiters: 1, name: 'okx subscribe' });
    limiter.tryAcquire();
    const waiting = limiter.acquire();
    const refused = limiter.acquire();
    await expect(refused).rejects.toBeInstanceOf(RateLimitError);
    await expect(refused).rejects.toThrow(/okx subscribe: too many requests waiting/);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(waiting).resolves.toBeUndefined();
    limiter.dispose();
  });

  it('cancels a waiter on abort and lets the next one through', async () => {
    const limiter = new RateLimiter({ capacity: 1, tokensPerInterval: 1, intervalMs: 1000 });
    limiter.tryAcquire();
    const controller = new AbortController();
    const cancelled = limiter.acquire(1, controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('stopped'));
    await expect(cancelled).rejects.toThrow('stopped');
    expect(limiter.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(next).resolves.toBeUndefined();
    limiter.dispose();
  });

  it('dispose rejects waiters and leaves no timer', async () => {
    const limiter = new RateLimiter({ capacity: 1, tokensPerInterval: 1, intervalMs: 60_000 });
    limiter.tryAcquire();
    const waiting = limiter.acquire();
    expect(vi.getTimerCount()).toBe(1);
    limiter.dispose();
    await expect(waiting).rejects.toThrow(/limiter stopped/);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => limiter.tryAcquire()).toThrow(RateLimitError);
  });

  it('refuses requests larger than the bucket', () => {
    const limiter = new RateLimiter({ capacity: 2, tokensPerInterval: 1, intervalMs: 1000 });
    expect(() => limiter.tryAcquire(3)).toThrow(RangeError);
  });
});
