// `npm run bench`: prints throughput figures. Benchmarks report rates and ratios; they never
// pass or fail on timings.

import os from 'node:os';
import { readFileSync } from 'node:fs';
import { setLogLevel } from '../../app/core/logger.js';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { combineForks, formatFigures, type StreamFigures } from './book-compare.js';
import { BOOK_VENUES } from './book-venue.js';
import { benchCluster } from './cluster.bench.js';
import { benchHostFrames } from './host-frames.bench.js';
import { benchMemory } from './memory.bench.js';
import { benchRecording } from './recording.bench.js';
import { benchReplayMemory } from './replay-memory.bench.js';
import { benchRenderer } from './renderer.bench.js';

// Benchmarks print figures; the app's info logs would bury them.
if (process.env['TICKER_DECK_LOG_LEVEL'] === undefined) setLogLevel('warn');

const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');
const forks = Math.max(1, Number(process.env['BENCH_FORKS'] ?? '3'));
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const out = (lines: readonly string[]): void => {
  process.stdout.write(`${lines.join('\n')}\n`);
};
out([
  `Ticker Deck benchmarks, ${new Date().toISOString().slice(0, 10)} (node ${process.version}; ${os.cpus().length} × ${cpu}; book figures about ${seconds} s per contender and stream; host run BENCH_HOST_SECONDS, default 120 s)`,
  '',
  `Book pipelines, text in, book out (messages/s; median of 5 interleaved rounds in each of ${forks} processes a venue, then the median over the processes). ours: scan + checks + book + checksum + events;`,
  'ccxt: JSON.parse + ccxt pro handleMessage (ccxt ' + ccxtVersion() + ', its default options); parse: JSON.parse alone.',
]);
// Each venue in processes of its own (see book-venue.ts), several times: see combineForks.
for (const venue of Object.keys(BOOK_VENUES)) {
  const runs: StreamFigures[][] = [];
  for (let fork = 0; fork < forks; fork += 1) {
    const json = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'book-venue.ts'), venue, String(seconds)], {
      encoding: 'utf8',
    });
    runs.push(JSON.parse(json) as StreamFigures[]);
  }
  out(formatFigures(combineForks(runs)));
}
out(['', ...benchMemory(Number(process.env['BENCH_MEMORY_UPDATES'] ?? '2000000'))]);
out(['', ...(await benchReplayMemory(Number(process.env['BENCH_REPLAY_HOURS'] ?? '1')))]);
out(['', ...(await benchRecording(Number(process.env['BENCH_RECORDING_SECONDS'] ?? '5')))]);
out(['', ...(await benchHostFrames(Number(process.env['BENCH_HOST_SECONDS'] ?? '120')))]);
out(['', ...(await benchRenderer(Number(process.env['BENCH_RENDERER_SECONDS'] ?? '30')))]);
out(['', ...(await benchCluster(Number(process.env['BENCH_CLUSTER_SECONDS'] ?? '30')))]);
const usage = process.resourceUsage();
const memory = process.memoryUsage();
out(['', `process peak RSS: ${(usage.maxRSS / 1024).toFixed(1)} MiB; heap used now: ${(memory.heapUsed / 1024 / 1024).toFixed(1)} MiB`]);

/** The installed package's version (ccxt's own constant lags its releases). */
function ccxtVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../node_modules/ccxt/package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '?';
}
