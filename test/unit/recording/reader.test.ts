// The session reader: lines across chunk boundaries and multi-byte characters, lines longer than
// a chunk, lines longer than the limit, torn lines, a last line without its newline, and the hand
// checks of raw frames and marks.

import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeLine, encodeLine, segmentName, type RecordLine } from '../../../app/recording/format.js';
import { lineBatches, readRecords, type ReadStats } from '../../../app/recording/reader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-reader-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fresh = (): ReadStats => ({ records: 0, torn: 0, bytes: 0 });

async function linesOf(file: string, stats: ReadStats, maxLine?: number): Promise<string[]> {
  const all: string[] = [];
  for await (const batch of lineBatches(file, stats, maxLine)) all.push(...batch);
  return all;
}

/** A payload of `n` characters mixing ASCII with two-, three- and four-byte characters. */
function payload(n: number, seed: number): string {
  const alphabet = ['a', '7', '"', '\\', 'é', '€', '𝄞', ' ', '{', '}'];
  let text = '';
  for (let i = 0; i < n; i += 1) text += alphabet[(seed * 31 + i * 17) % alphabet.length];
  return text;
}

describe('session reader', () => {
  it('returns every line exactly, whatever falls on a chunk boundary', async () => {
    const records: RecordLine[] = [];
    // Lengths from a few bytes to over a 64 KiB chunk, so lines and multi-byte characters straddle every boundary.
    for (let i = 0; i < 600; i += 1) {
      const size = i % 97 === 0 ? 70_000 + i : (i * 7919) % 900;
      records.push({ t: 1_700_000_000_000 + i, c: 'okx:BTC-USDT', k: 'raw', s: 'public', p: payload(size, i) });
    }
    records.push({ t: 1_700_000_001_000, k: 'mark', m: 'stop' });
    const file = path.join(dir, segmentName(1));
    const text = records.map(encodeLine).join('');
    await writeFile(file, text);
    const stats = fresh();
    const read: RecordLine[] = [];
    for await (const record of readRecords(dir, stats)) read.push(record);
    expect(read).toEqual(records);
    expect(stats).toEqual({ records: records.length, torn: 0, bytes: (await stat(file)).size });
  });

  it('counts torn lines and reads a last line that lost its newline', async () => {
    const good = (t: number): string => encodeLine({ t, c: 'f', k: 'raw', s: 'public', p: `{"n":${t}}` });
    // A write cut short mid-line, then the recorder carried on after a restart.
    await writeFile(path.join(dir, segmentName(1)), `${good(1)}{"t":2,"c":"f","k":"ra\n\n${good(3)}`);
    await writeFile(path.join(dir, segmentName(2)), `${good(4)}${good(5).trimEnd()}`);
    const stats = fresh();
    const ts: number[] = [];
    for await (const record of readRecords(dir, stats)) ts.push(record.t);
    expect(ts).toEqual([1, 3, 4, 5]);
    expect(stats.records).toBe(4);
    expect(stats.torn).toBe(1);
  });

  it('skips a line longer than the limit instead of buffering it, and reads on after it', async () => {
    const file = path.join(dir, segmentName(1));
    const lines = ['short one', 'x'.repeat(5_000), 'after the long one', 'y'.repeat(1_500), 'z'.repeat(999), 'last'];
    await writeFile(file, `${lines.join('\n')}\n`);
    const stats = fresh();
    expect(await linesOf(file, stats, 1_000)).toEqual(['short one', 'after the long one', 'z'.repeat(999), 'last']);
    expect(stats.torn).toBe(2);
    expect(stats.bytes).toBe((await stat(file)).size);
    // Without the limit the same file reads whole.
    expect(await linesOf(file, fresh())).toEqual(lines);
  });

  it('checks raw frames and marks by hand: wrong types are refused, unknown keys dropped', () => {
    expect(decodeLine('{"t":1,"c":"okx:BTC-USDT","k":"raw","s":"public","p":"{}","x":1}')).toEqual({
      t: 1,
      c: 'okx:BTC-USDT',
      k: 'raw',
      s: 'public',
      p: '{}',
    });
    expect(decodeLine('{"t":"1","c":"f","k":"raw","s":"public","p":"{}"}')).toBeUndefined();
    expect(decodeLine('{"t":1,"c":2,"k":"raw","s":"public","p":"{}"}')).toBeUndefined();
    expect(decodeLine('{"t":1,"c":"f","k":"raw","s":"public","p":{}}')).toBeUndefined();
    expect(decodeLine('{"t":1,"c":"f","k":"raw","p":"{}"}')).toBeUndefined();
    expect(decodeLine('{"t":1,"k":"mark","m":"stop"}')).toEqual({ t: 1, k: 'mark', m: 'stop' });
    expect(decodeLine('{"t":1,"k":"mark","m":"pause"}')).toBeUndefined();
    expect(decodeLine('{"k":"mark","m":"stop"}')).toBeUndefined();
    expect(decodeLine('null')).toBeUndefined();
    expect(decodeLine('[1]')).toBeUndefined();
    expect(decodeLine('{"t":1,"c":"f","k":"st","st":{"id":"f"}}')).toBeUndefined();
  });

  it('checks events by hand, every level of a book: wrong types and unknown kinds are refused', () => {
    const head = { exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 2 };
    const level = { price: 100, priceStr: '100', size: 1, sizeStr: '1' };
    const line = (e: unknown, extra: Record<string, unknown> = {}): string => JSON.stringify({ t: 2, c: 'okx:BTC-USDT', k: 'ev', e, ...extra });
    const book = { kind: 'book_update', ...head, bids: [level, level], asks: [level] };
    expect(decodeLine(line(book, { x: 1 }))).toEqual({ t: 2, c: 'okx:BTC-USDT', k: 'ev', e: book });
    expect(decodeLine(line(book, { seed: true }))).toEqual({ t: 2, c: 'okx:BTC-USDT', k: 'ev', e: book, seed: true });
    expect(decodeLine(line(book, { seed: 1 }))).toBeUndefined();
    expect(decodeLine(line({ ...book, asks: [level, { ...level, price: '100' }] }))).toBeUndefined();
    expect(decodeLine(line({ ...book, bids: [null] }))).toBeUndefined();
    expect(decodeLine(line({ ...book, bids: {} }))).toBeUndefined();
    expect(decodeLine(line({ ...book, kind: 'book_delta' }))).toBeUndefined();
    expect(decodeLine(line({ ...book, receivedAt: '2' }))).toBeUndefined();
    const trade = { kind: 'trade', ...head, tradeId: '7', side: 'buy', price: 1, priceStr: '1', size: 2, sizeStr: '2', fills: 1 };
    expect(decodeLine(line(trade))).toMatchObject({ e: trade });
    expect(decodeLine(line({ ...trade, side: 'long' }))).toBeUndefined();
    expect(decodeLine(line({ ...trade, fills: undefined }))).toBeUndefined();
    expect(decodeLine(line({ kind: 'ticker', ...head, last: 1, lastStr: '1' }))).toMatchObject({ k: 'ev' });
    expect(decodeLine(line({ kind: 'ticker', ...head, last: 1 }))).toBeUndefined();
    const candle = { kind: 'candle', ...head, timeframe: '1m', openTime: 0, open: 1, high: 2, low: 0, close: 1, volume: 3, closed: true };
    expect(decodeLine(line(candle))).toMatchObject({ k: 'ev' });
    expect(decodeLine(line({ ...candle, closed: 'yes' }))).toBeUndefined();
    expect(decodeLine(JSON.stringify({ t: 2, k: 'ev', e: book }))).toBeUndefined();
  });
});
