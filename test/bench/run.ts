// `npm run bench`: prints throughput figures. Benchmarks report rates and ratios; they never
// pass or fail on timings.

import { setLogLevel } from '../../app/core/logger.js';
import { benchBinanceBook } from './binance-book.bench.js';
import { benchBybitBook } from './bybit-book.bench.js';
import { benchCoinbaseBook } from './coinbase-book.bench.js';
import { benchKrakenBook } from './kraken-book.bench.js';
import { benchHostFrames } from './host-frames.bench.js';
import { benchOkxBook } from './okx-book.bench.js';
import { benchRecording } from './recording.bench.js';
import { benchRenderer } from './renderer.bench.js';

// Benchmarks print figures; the app's info logs would bury them.
if (process.env['TICKER_DECK_LOG_LEVEL'] === undefined) setLogLevel('warn');

const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');
const lines: string[] = [`Ticker Deck benchmarks (node ${process.version}; book figures ${seconds} s each; host run BENCH_HOST_SECONDS, default 120 s)`, ''];
lines.push(...benchOkxBook(seconds));
lines.push(...benchBinanceBook(seconds));
lines.push(...benchBybitBook(seconds));
lines.push(...benchCoinbaseBook(seconds));
lines.push(...benchKrakenBook(seconds));
lines.push('');
lines.push(...(await benchRecording(Number(process.env['BENCH_RECORDING_SECONDS'] ?? '5'))));
lines.push('');
lines.push(...(await benchHostFrames(Number(process.env['BENCH_HOST_SECONDS'] ?? '120'))));
lines.push('');
lines.push(...(await benchRenderer(Number(process.env['BENCH_RENDERER_SECONDS'] ?? '30'))));
const usage = process.resourceUsage();
const memory = process.memoryUsage();
lines.push('', `process peak RSS: ${(usage.maxRSS / 1024).toFixed(1)} MiB; heap used now: ${(memory.heapUsed / 1024 / 1024).toFixed(1)} MiB`);
process.stdout.write(`${lines.join('\n')}\n`);
