import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RestSpliceResult } from '../../../app/book/book-sync.js';
import { RestSnapshotLoader } from '../../../app/book/rest-snapshot.js';

interface Script {
  /** What each fetch does, in order: a snapshot id to resolve with, or an error to reject with. */
  fetches: (number | Error)[];
  /** What splicing each snapshot gives. */
  splices: RestSpliceResult[];
}

function setup(script: Script, options: ConstructorParameters<typeof RestSnapshotLoader<number>>[2] = {}) {
  const log: string[] = [];
  const signals: AbortSignal[] = [];
  let wanted = true;
  const resolvers: (() => void)[] = [];
  const loader = new RestSnapshotLoader<number>(
    {
      wanted: () => wanted,
      fetch: (signal) => {
        signals.push(signal);
        const next = script.fetches.shift();
        log.push(`fetch ${next instanceof Error ? 'error' : String(next)}`);
        return new Promise<number>((resolve, reject) => {
          resolvers.push(() => (next instanceof Error ? reject(next) : next === undefined ? reject(new Error('no more')) : resolve(next)));
        });
      },
      splice: (id) => {
        const result = script.splices.shift() ?? 'gap';
        log.push(`splice ${id} ${result}`);
        return result;
      },
    },
    {
      loaded: () => log.push('loaded'),
      failed: (reason, gap) => log.push(`failed ${gap ? 'gap' : 'fetch'}: ${reason}`),
      problem: (error) => log.push(`problem ${String(error)}`),
    },
    options,
  );
  /** Settles the oldest fetch in flight and lets its handlers run. */
  const settle = async (): Promise<void> => {
    resolvers.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { loader, log, signals, settle, setWanted: (w: boolean) => (wanted = w) };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RestSnapshotLoader', () => {
  it('fetches and splices a snapshot once, however often it is asked while one is running', async () => {
    const { loader, log, settle } = setup({ fetches: [7], splices: ['loaded'] });
    loader.request();
    loader.request();
    expect(loader.pending).toBe(true);
    await settle();
    expect(log).toEqual(['fetch 7', 'splice 7 loaded', 'loaded']);
    expect(loader.pending).toBe(false);
  });

  it('waits out a grace period first (an in-band snapshot may still come), and cancel ends it', async () => {
    const { loader, log } = setup({ fetches: [1], splices: ['loaded'] });
    loader.request(3000);
    await vi.advanceTimersByTimeAsync(2999);
    expect(log).toEqual([]);
    loader.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toEqual([]);
    expect(loader.pending).toBe(false);
  });

  it('asks again when the snapshot is older than the buffered updates', async () => {
    const { loader, log, settle } = setup({ fetches: [1, 2], splices: ['stale', 'loaded'] });
    loader.request();
    await settle();
    expect(log).toEqual(['fetch 1', 'splice 1 stale']);
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    expect(log.slice(2)).toEqual(['fetch 2', 'splice 2 loaded', 'loaded']);
  });

  it('gives up on a snapshot that cannot be joined to the updates at once, as a gap', async () => {
    const { loader, log, settle } = setup({ fetches: [1], splices: ['gap'] });
    loader.request();
    await settle();
    expect(log).toEqual(['fetch 1', 'splice 1 gap', 'failed gap: REST snapshot could not be spliced onto the live updates (gap)']);
  });

  it('retries failed fetches a bounded number of times, with growing waits, then reports the failure', async () => {
    const boom = new Error('HTTP 503');
    const { loader, log, settle } = setup({ fetches: [boom, boom, boom], splices: [] }, { attempts: 3 });
    loader.request();
    await settle();
    await vi.advanceTimersByTimeAsync(499);
    expect(log).toEqual(['fetch error', 'problem Error: HTTP 503']);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(log.filter((l) => l.startsWith('fetch'))).toHaveLength(3);
    expect(log.at(-1)).toBe('failed fetch: no REST snapshot could be fetched in 3 attempts');
    expect(loader.pending).toBe(false);
  });

  it("honours a venue's retry-after", async () => {
    const limited = Object.assign(new Error('429'), { retryAfterMs: 5000 });
    const { loader, log, settle } = setup(
      { fetches: [limited, 9], splices: ['loaded'] },
      { retryAfterMs: (e) => (e as { retryAfterMs?: number }).retryAfterMs },
    );
    loader.request();
    await settle();
    await vi.advanceTimersByTimeAsync(4999);
    expect(log.filter((l) => l.startsWith('fetch'))).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(log.at(-1)).toBe('loaded');
  });

  it('ignores the result of a fetch cancelled in flight, and aborts its request', async () => {
    const { loader, log, signals, settle } = setup({ fetches: [3], splices: ['loaded'] });
    loader.request();
    loader.cancel();
    expect(signals[0]?.aborted).toBe(true);
    await settle();
    expect(log).toEqual(['fetch 3']);
  });

  it('does nothing once no snapshot is wanted any more (the book became valid meanwhile)', async () => {
    const { loader, log, settle, setWanted } = setup({ fetches: [4], splices: ['loaded'] });
    loader.request();
    setWanted(false);
    await settle();
    expect(log).toEqual(['fetch 4']);
    loader.request();
    expect(log).toEqual(['fetch 4']);
  });

  it('turns a fetch that throws synchronously into a retried problem, never an exception', async () => {
    const loader = new RestSnapshotLoader<number>(
      {
        wanted: () => true,
        fetch: () => {
          throw new Error('no client');
        },
        splice: () => 'loaded',
      },
      { loaded: () => undefined, failed: () => undefined, problem: (e) => problems.push(String(e)) },
      { attempts: 1 },
    );
    const problems: string[] = [];
    expect(() => loader.request()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(problems).toEqual(['Error: no client']);
  });
});
