// One venue's book streams measured in a process of their own (see run.ts): `tsx
// test/bench/book-venue.ts <venue> <seconds>` prints the figures as one JSON line. A fresh
// process per venue keeps each venue's figures from depending on which venue warmed V8's
// shared code first (in one process, the order moves them by up to 40 %).

import { setLogLevel } from '../../app/core/logger.js';
import { binanceBookStreams } from './binance-book.bench.js';
import { measureStreams, type BookStream } from './book-compare.js';
import { bybitBookStreams } from './bybit-book.bench.js';
import { coinbaseBookStreams } from './coinbase-book.bench.js';
import { krakenBookStreams } from './kraken-book.bench.js';
import { okxBookStreams } from './okx-book.bench.js';

export const BOOK_VENUES: Readonly<Record<string, () => BookStream[]>> = {
  okx: okxBookStreams,
  binance: binanceBookStreams,
  bybit: bybitBookStreams,
  coinbase: coinbaseBookStreams,
  kraken: krakenBookStreams,
};

const [venue, seconds] = process.argv.slice(2);
const streams = venue === undefined ? undefined : BOOK_VENUES[venue];
if (streams !== undefined) {
  setLogLevel('warn');
  process.stdout.write(`${JSON.stringify(measureStreams(streams(), Number(seconds ?? '2')))}\n`);
}
