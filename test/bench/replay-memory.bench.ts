// Memory over a long replay: a recorded hour of one OKX book (generated, 400 levels, checksums,
// 20 frames a second: 72,000 raw frames) is written as a session, then replayed at 10× (six
// minutes) through the collectors a replay uses (its own parsers and book engine). RSS and heap
// are sampled after a full collection every 10 s of the replay, after 30 s of warm-up; the
// bench prints the curve's start, peak and end. `BENCH_REPLAY_HOURS` shortens the session.
// Figures only.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BaseDataCollector } from '../../app/core/base-collector.js';
import { ExchangeFactory } from '../../app/exchanges/factory.js';
import { SessionRecorder } from '../../app/recording/recorder.js';
import { ReplayCollector, SessionPlayer } from '../../app/recording/replay.js';
import { SessionStore } from '../../app/recording/session-store.js';
import { fullCollection, FakeFeed } from './fake-feed.js';
import { okxFrames } from './okx-book.bench.js';

const MIB = 1024 * 1024;
const FRAMES_PER_SECOND = 20;

export async function benchReplayMemory(hours: number): Promise<string[]> {
  const gc = fullCollection();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-replay-'));
  try {
    const store = new SessionStore(dataDir);
    const feed = new FakeFeed(['orderbook'], true);
    const recorder = await SessionRecorder.start([feed as unknown as BaseDataCollector], { store, limitBytes: 50 * 1024 ** 3, maxPendingBytes: 64 * MIB });
    // One pass of the generated stream starts with its snapshot; passes follow one another.
    const texts = okxFrames(400, 5_000, true).map((f) => f.text);
    const total = Math.round(hours * 3600 * FRAMES_PER_SECOND);
    const start = Date.now() - hours * 3_600_000;
    for (let i = 0; i < total; i += 1) {
      feed.emit('raw', { exchange: 'okx', stream: 'public', receivedAt: start + Math.round((i * 1000) / FRAMES_PER_SECOND), payload: texts[i % texts.length] });
      if (i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const meta = await recorder.stop();

    const collectors = new Map<string, ReplayCollector>();
    for (const info of meta.feeds) {
      const collector = new ReplayCollector(info);
      await collector.prepare(new ExchangeFactory());
      collectors.set(info.id, collector);
    }
    const player = new SessionPlayer(store.dir(meta.id), meta, 10, collectors);
    const samples: { readonly rss: number; readonly heap: number; readonly heapTotal: number; readonly external: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      if (performance.now() - started < 30_000) return;
      gc();
      const usage = process.memoryUsage();
      samples.push({ rss: usage.rss, heap: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external });
    }, 10_000);
    player.start();
    await player.done();
    clearInterval(sampler);
    const errors = [...collectors.values()].reduce((n, c) => n + c.getStatus().errors.length, 0);
    const seconds = (performance.now() - started) / 1000;
    const first = samples[0]?.rss ?? 0;
    const last = samples.at(-1)?.rss ?? 0;
    const peak = Math.max(0, ...samples.map((s) => s.rss));
    const mib = (n: number): string => `${(n / MIB).toFixed(1)} MiB`;
    return [
      `Memory over a replay: ${hours} h recorded (${total.toLocaleString('en-US')} OKX book frames, 400 levels, checksums) replayed at 10× in ${seconds.toFixed(0)} s (${player.played.toLocaleString('en-US')} records; ${errors} errors or stale streams)`,
      samples.length === 0
        ? '  too short to sample after the 30 s warm-up'
        : `  RSS start ${mib(first)}, peak ${mib(peak)}, end ${mib(last)}: end − start ${(((last - first) / first) * 100).toFixed(1)} %, peak − start ${(((peak - first) / first) * 100).toFixed(1)} %`,
      samples.length === 0
        ? ''
        : `  RSS outside V8's heap (RSS − heap held): start ${mib(first - (samples[0]?.heapTotal ?? 0))}, end ${mib(last - (samples.at(-1)?.heapTotal ?? 0))}`,
      `  RSS every 10 s: ${samples.map((s) => (s.rss / MIB).toFixed(0)).join(' ')} MiB`,
      `  heap used every 10 s: ${samples.map((s) => (s.heap / MIB).toFixed(0)).join(' ')} MiB`,
      // What V8 holds for its heap (used or not: the young generation grows to its working size) and outside it (buffers).
      `  heap held every 10 s: ${samples.map((s) => (s.heapTotal / MIB).toFixed(0)).join(' ')} MiB`,
      `  external every 10 s : ${samples.map((s) => (s.external / MIB).toFixed(0)).join(' ')} MiB`,
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
