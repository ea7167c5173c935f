import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../app/core/backoff.js';
import { BoundedQueue } from '../../../app/core/bounded-queue.js';
import { RateWindow } from '../../../app/core/collector-status.js';

describe('Backoff', () => {
  it('grows exponentially up to the cap and resets', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.attempts).toBe(6);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('spreads delays by the jitter fraction, never above the cap', () => {
    const low = new Backoff({ initialMs: 1000, maxMs: 1000, factor: 2, jitter: 0.2 }, () => 0);
    const high = new Backoff({ initialMs: 1000, maxMs: 1000, factor: 2, jitter: 0.2 }, () => 0.999999);
    expect(low.next()).toBe(800);
    expect(high.next()).toBe(1000);
    const mid = new Backoff({ initialMs: 1000, maxMs: 5000, factor: 2, jitter: 0.2 }, () => 0.75);
    expect(mid.next()).toBe(1100);
  });

  it('rejects nonsense settings', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10, factor: 2, jitter: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 10, maxMs: 10, factor: 2, jitter: 1 })).toThrow(RangeError);
  });
});

describe('BoundedQueue', () => {
  it('keeps FIFO order and drops the oldest when full, counting drops', () => {
    const queue = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i += 1) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([3, 4, 5, undefined]);
  });

  it('never grows past its capacity over a long run', () => {
    const queue = new BoundedQueue<number>(100);
    for (let i = 0; i < 100_000; i += 1) queue.push(i);
    expect(queue.size).toBe(100);
    expect(queue.dropped).toBe(99_900);
    expect(queue.shift()).toBe(99_900);
  });
});

describe('RateWindow', () => {
  it('reports events per second over the recent window and forgets old seconds', () => {
    const window = new RateWindow(5);
    const t0 = 1_000_000;
    for (let s = 0; s < 5; s += 1) window.add(t0 + s * 1000, 10);
    expect(window.rate(t0 + 4 * 1000 + 999)).toBeCloseTo(50 / 4.999, 2);
    expect(window.rate(t0 + 60_000)).toBe(0);
  });
});
