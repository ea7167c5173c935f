// Checksums from kept digests (app/book/top-checksum.ts) against the CRC-32 of the check string
// built the plain way, after every change of a long random run: OKX (25 a side interleaved,
// `:`-separated) and Kraken (10 asks then 10 bids, digits only).

import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../app/book/order-book.js';
import { crc32 } from '../../../app/core/crc32.js';
import { krakenChecksum, krakenChecksumString } from '../../../app/exchanges/kraken/checksum.js';
import { okxBookChecksum, okxChecksumOf, okxChecksumString } from '../../../app/exchanges/okx/checksum.js';

function randomRun(check: (book: OrderBook, step: number) => void): void {
  const book = new OrderBook();
  let seed = 23;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const level = (ticks: number): { priceStr: string; sizeStr: string } => ({
    priceStr: (ticks / 100).toFixed(2 + Math.floor(rand() * 2)).replace(/^/, rand() < 0.05 ? '0' : ''),
    sizeStr: rand() < 0.3 ? '0' : (rand() * 9).toFixed(1 + Math.floor(rand() * 6)),
  });
  const reload = (): void => {
    book.loadSnapshot(
      Array.from({ length: 3 + Math.floor(rand() * 60) }, (_, i) => level(10_000 - i)),
      Array.from({ length: Math.floor(rand() * 60) }, (_, i) => level(10_001 + i)),
    );
  };
  reload();
  for (let step = 0; step < 20_000; step += 1) {
    const r = rand();
    if (r < 0.001) reload();
    else if (r < 0.004) {
      book.bids.truncate(Math.floor(rand() * 30));
      book.asks.truncate(Math.floor(rand() * 30));
    } else {
      const depth = rand() < 0.8 ? Math.floor(rand() * 15) : Math.floor(rand() * 80);
      if (rand() < 0.5) book.applyUpdate([level(10_000 - depth)], []);
      else book.applyUpdate([], [level(10_001 + depth)]);
    }
    if (step % 2 === 0) check(book, step);
  }
}

describe('checksums from kept digests', () => {
  it('OKX: equal to the CRC-32 of the check string after every change', () => {
    randomRun((book, step) => {
      const { bids, asks } = book.top(25);
      expect(okxBookChecksum(book), `step ${step}`).toBe(okxChecksumOf(okxChecksumString(bids, asks)));
    });
  });

  it('Kraken: equal to the CRC-32 of the check string after every change', () => {
    randomRun((book, step) => {
      expect(krakenChecksum(book), `step ${step}`).toBe(crc32(krakenChecksumString(book.asks.top(10), book.bids.top(10))));
    });
  });
});
