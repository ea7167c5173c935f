// `npm run bench`: prints throughput figures. Benchmarks report rates and ratios; they never
// pass or fail on timings.

import { benchOkxBook } from './okx-book.bench.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');
const lines: string[] = [`Ticker Deck benchmarks (node ${process.version}, ${seconds} s per figure)`, ''];
lines.push(...benchOkxBook(seconds));
const usage = process.resourceUsage();
const memory = process.memoryUsage();
lines.push('', `process peak RSS: ${(usage.maxRSS / 1024).toFixed(1)} MiB; heap used now: ${(memory.heapUsed / 1024 / 1024).toFixed(1)} MiB`);
process.stdout.write(`${lines.join('\n')}\n`);
