// Memory over a long run: 2 million OKX book updates (a generated 400-level book, every update
// checksummed) through the feed processor the collector uses, into a sink that keeps what a
// host keeps (the newest events, bounded). RSS and heap are sampled after a full collection
// every 100,000 updates, after a warm-up of 500,000; the bench prints the curve's start, peak
// and end, and the end and peak against the start. A leak shows as a climb; figures only.

import { OkxFeedProcessor } from '../../app/exchanges/okx/feed-processor.js';
import type { MarketEvent } from '../../app/core/types.js';
import type { FeedSink } from '../../app/exchanges/types.js';
import { fullCollection } from './fake-feed.js';
import { okxFrames } from './okx-book.bench.js';

const MIB = 1024 * 1024;

export function benchMemory(updates = 2_000_000): string[] {
  // One long stream: a snapshot, then updates; looped with a fresh snapshot every pass.
  const frames = okxFrames(400, 5_000, true).map((f) => f.text);
  const kept: MarketEvent[] = new Array<MarketEvent>(1000);
  let next = 0;
  const sink: FeedSink = {
    publish: (event) => {
      kept[next] = event;
      next = (next + 1) % kept.length;
    },
    problem: (error) => {
      throw error instanceof Error ? error : new Error(String(error));
    },
    bookBroken: (_kind, reason) => {
      throw new Error(`memory bench broke the book: ${reason}`);
    },
    awaitingSnapshot: () => undefined,
    sequenceReset: () => undefined,
    bookAlive: () => undefined,
  };
  const gc = fullCollection();
  const warmUp = 500_000;
  const samples: { readonly at: number; readonly rss: number; readonly heap: number }[] = [];
  let processor = new OkxFeedProcessor('BTC-USDT', 'books', sink);
  let done = 0;
  let t = 0;
  const started = performance.now();
  while (done < updates + warmUp) {
    for (let i = 0; i < frames.length && done < updates + warmUp; i += 1) {
      processor.handleFrame(frames[i] as string, (t += 1));
      done += 1;
      if (done >= warmUp && (done - warmUp) % 100_000 === 0) {
        // The first collections also give back what the warm-up's growth left mapped.
        for (let k = done === warmUp ? 5 : 1; k > 0; k -= 1) gc();
        samples.push({ at: done - warmUp, rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed });
      }
    }
    processor = new OkxFeedProcessor('BTC-USDT', 'books', sink);
  }
  const seconds = (performance.now() - started) / 1000;
  const first = samples[0]?.rss ?? 0;
  const last = samples.at(-1)?.rss ?? 0;
  const peak = Math.max(...samples.map((s) => s.rss));
  const mib = (n: number): string => `${(n / MIB).toFixed(1)} MiB`;
  return [
    `Memory: ${updates.toLocaleString('en-US')} OKX book updates after ${warmUp.toLocaleString('en-US')} of warm-up (400 levels, checksums; ${Math.round((updates + warmUp) / seconds).toLocaleString('en-US')} updates/s)`,
    `  RSS start ${mib(first)}, peak ${mib(peak)}, end ${mib(last)}: end − start ${(((last - first) / first) * 100).toFixed(1)} %, peak − start ${(((peak - first) / first) * 100).toFixed(1)} %`,
    `  RSS every 100,000: ${samples.map((s) => (s.rss / MIB).toFixed(0)).join(' ')} MiB`,
    `  heap used every 100,000: ${samples.map((s) => (s.heap / MIB).toFixed(0)).join(' ')} MiB`,
  ];
}
