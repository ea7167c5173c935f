// Exports read back by an independent reader (DuckDB) with the right row counts and values.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import type { BookSnapshot, BookUpdate, Trade } from '../../../app/core/types.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { ExportError, exportSession, type ExportFormat, type ExportTable } from '../../../app/recording/export.js';
import type { SessionMeta } from '../../../app/recording/format.js';
import { readRecords } from '../../../app/recording/reader.js';
import { SessionRecorder } from '../../../app/recording/recorder.js';
import { SessionStore } from '../../../app/recording/session-store.js';
import { waitFor } from '../../support/loopback-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let sim: OkxSimulator;
let dataDir: string;
let outDir: string;
let store: SessionStore;
let meta: SessionMeta;
let db: DuckDBConnection;
let instance: DuckDBInstance;
const trades: Trade[] = [];
const books: (BookSnapshot | BookUpdate)[] = [];

beforeAll(async () => {
  sim = await OkxSimulator.start({ tickMs: 20 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-export-'));
  outDir = path.join(dataDir, 'out');
  await mkdir(outDir);
  const factory = new ExchangeFactory();
  const collectors: BaseDataCollector[] = [];
  for (const symbol of ['BTC-USDT', 'ETH-USDT']) {
    const c = await factory.createCollector({
      exchange: 'okx',
      symbol,
      dataTypes: ['trade', 'orderbook', 'ticker', 'candles'],
      customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
    });
    await c.start();
    await waitFor(() => c.getBook() !== undefined, 'book');
    collectors.push(c);
  }
  store = new SessionStore(dataDir);
  const recorder = await SessionRecorder.start(collectors, { store, limitBytes: 1024 ** 3 });
  await waitFor(() => recorder.meta().counts.events > 400, 'events');
  meta = await recorder.stop();
  for (const c of collectors) await c.stop();
  // What the session holds, read independently of the exporter.
  for await (const r of readRecords(store.dir(meta.id))) {
    if (r.k !== 'ev') continue;
    if (r.e.kind === 'trade') trades.push(r.e);
    else if (r.e.kind === 'book_snapshot' || r.e.kind === 'book_update') books.push(r.e);
  }
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
}, 60_000);

afterAll(async () => {
  db.closeSync();
  instance.closeSync();
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

const readerOf: Record<ExportFormat, (file: string) => string> = {
  csv: (file) => `read_csv('${file}', header = true, all_varchar = false)`,
  jsonl: (file) => `read_json_auto('${file}', format = 'newline_delimited')`,
  parquet: (file) => `read_parquet('${file}')`,
};

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson();
}

async function exportTo(table: ExportTable, format: ExportFormat, extra: { feeds?: string[]; from?: number; to?: number } = {}) {
  const file = path.join(outDir, `${table}-${Object.keys(extra).join('-') || 'all'}.${format}`);
  const progress: number[] = [];
  const result = await exportSession(store.dir(meta.id), meta, { table, format, path: file, ...extra }, (p) => progress.push(p.fraction));
  return { file, result, progress };
}

describe('export', () => {
  it('has recorded enough to test with', () => {
    expect(trades.length).toBeGreaterThan(20);
    expect(books.filter((b) => b.kind === 'book_snapshot').length).toBeGreaterThanOrEqual(2);
  });

  it.each(['csv', 'jsonl', 'parquet'] as const)('trades as %s: every trade, with exchange values and µs timestamps', async (format) => {
    const { file, result, progress } = await exportTo('trades', format);
    expect(result.rows).toBe(trades.length);
    expect(progress.at(-1)).toBe(1);
    const [count] = await query(`SELECT count(*)::INTEGER AS n FROM ${readerOf[format](file)}`);
    expect(count?.['n']).toBe(trades.length);
    const rows = await query(
      `SELECT exchange, symbol, timestamp::BIGINT AS ts, local_timestamp::BIGINT AS lts, id::VARCHAR AS id, side, price::DOUBLE AS price, amount::DOUBLE AS amount FROM ${readerOf[format](file)} LIMIT 1`,
    );
    const first = trades[0];
    expect(rows[0]).toEqual({
      exchange: 'okx',
      symbol: first?.symbol,
      ts: String((first?.exchangeTs ?? 0) * 1000),
      lts: String((first?.receivedAt ?? 0) * 1000),
      id: first?.tradeId,
      side: first?.side,
      price: Number(first?.priceStr),
      amount: Number(first?.sizeStr),
    });
  });

  it('the same trades in all three formats', async () => {
    const sums = [];
    for (const format of ['csv', 'jsonl', 'parquet'] as const) {
      const { file } = await exportTo('trades', format);
      sums.push((await query(`SELECT round(sum(price::DOUBLE * amount::DOUBLE), 6) AS notional, count(DISTINCT id) AS ids FROM ${readerOf[format](file)}`))[0]);
    }
    expect(sums[1]).toEqual(sums[0]);
    expect(sums[2]).toEqual(sums[0]);
  });

  it.each(['csv', 'parquet'] as const)('incremental_book_L2 as %s: one row per level change, snapshots flagged', async (format) => {
    const { file, result } = await exportTo('incremental_book_L2', format);
    const levels = books.reduce((n, b) => n + b.bids.length + b.asks.length, 0);
    const snapshotLevels = books.filter((b) => b.kind === 'book_snapshot').reduce((n, b) => n + b.bids.length + b.asks.length, 0);
    expect(result.rows).toBe(levels);
    const [row] = await query(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE is_snapshot)::INTEGER AS snap, count(DISTINCT side)::INTEGER AS sides FROM ${readerOf[format](file)}`,
    );
    expect(row).toEqual({ n: levels, snap: snapshotLevels, sides: 2 });
  });

  it.each(['csv', 'parquet'] as const)('book_snapshot_25 as %s: one top-25 row per book change, best bid below best ask', async (format) => {
    const { file, result } = await exportTo('book_snapshot_25', format);
    expect(result.rows).toBe(books.length);
    const rows = await query(
      `SELECT symbol, "asks[0].price"::DOUBLE AS a0, "bids[0].price"::DOUBLE AS b0, "asks[24].price"::DOUBLE AS a24, "bids[24].amount"::DOUBLE AS b24 FROM ${readerOf[format](file)}`,
    );
    expect(rows).toHaveLength(books.length);
    for (const row of rows) {
      expect(Number(row['b0'])).toBeLessThan(Number(row['a0']));
      expect(Number(row['a24'])).toBeGreaterThan(Number(row['a0']));
    }
    // The first row of each symbol is its snapshot's top of book.
    const firstBtc = books.find((b) => b.symbol === 'BTC-USDT' && b.kind === 'book_snapshot');
    expect(rows.find((r) => r['symbol'] === 'BTC-USDT')).toMatchObject({ a0: Number(firstBtc?.asks[0]?.priceStr), b0: Number(firstBtc?.bids[0]?.priceStr) });
  });

  it('quotes: a row whenever the best bid or ask changes', async () => {
    const { file, result } = await exportTo('quotes', 'csv');
    expect(result.rows).toBeGreaterThan(10);
    expect(result.rows).toBeLessThanOrEqual(books.length);
    const [row] = await query(`SELECT count(*) FILTER (WHERE bid_price >= ask_price)::INTEGER AS crossed, count(*)::INTEGER AS n FROM ${readerOf.csv(file)}`);
    expect(row).toEqual({ crossed: 0, n: result.rows });
  });

  it('filters by symbol and time range', async () => {
    const ethTrades = trades.filter((t) => t.symbol === 'ETH-USDT');
    const onlyEth = await exportTo('trades', 'csv', { feeds: ['okx:ETH-USDT'] });
    expect(onlyEth.result.rows).toBe(ethTrades.length);
    expect(await query(`SELECT DISTINCT symbol FROM ${readerOf.csv(onlyEth.file)}`)).toEqual(ethTrades.length > 0 ? [{ symbol: 'ETH-USDT' }] : []);
    const middle = trades[Math.floor(trades.length / 2)]?.receivedAt ?? 0;
    const ranged = await exportTo('trades', 'parquet', { from: middle, to: middle + 300 });
    const expected = trades.filter((t) => t.receivedAt >= middle && t.receivedAt <= middle + 300).length;
    expect(ranged.result.rows).toBe(expected);
    const [bounds] = await query(`SELECT min(local_timestamp)::BIGINT AS lo, max(local_timestamp)::BIGINT AS hi FROM ${readerOf.parquet(ranged.file)}`);
    if (expected > 0) {
      expect(Number(bounds?.['lo'])).toBeGreaterThanOrEqual(middle * 1000);
      expect(Number(bounds?.['hi'])).toBeLessThanOrEqual((middle + 300) * 1000);
    }
  });

  it('writes the session report beside the data', async () => {
    const { result } = await exportTo('events', 'jsonl');
    const report = JSON.parse(await readFile(result.reportPath, 'utf8')) as { sessionId: string; feeds: { id: string; events: number }[] };
    expect(report.sessionId).toBe(meta.id);
    expect(report.feeds.map((f) => f.id).sort()).toEqual(['okx:BTC-USDT', 'okx:ETH-USDT']);
    const [row] = await query(`SELECT count(*)::INTEGER AS n FROM ${readerOf.jsonl(result.path)}`);
    expect(row?.['n']).toBe(meta.counts.events);
  });

  it('refuses an unwritable destination clearly and leaves no half file', async () => {
    await expect(
      exportTo('trades', 'csv').then(() => exportSession(store.dir(meta.id), meta, { table: 'trades', format: 'csv', path: '/nonexistent-folder/x.csv' })),
    ).rejects.toThrow(new ExportError('Cannot export to /nonexistent-folder/x.csv: the folder /nonexistent-folder does not exist.'));
    await expect(exportSession(store.dir(meta.id), meta, { table: 'trades', format: 'csv', path: outDir })).rejects.toThrow(/it is a folder/);
    // A destination the system refuses mid-way (a kernel file system): the error says so, nothing is left.
    await expect(exportSession(store.dir(meta.id), meta, { table: 'trades', format: 'parquet', path: '/proc/ticker-deck.parquet' })).rejects.toThrow(
      ExportError,
    );
    expect(existsSync('/proc/ticker-deck.parquet')).toBe(false);
    await expect(exportSession(store.dir(meta.id), meta, { table: 'trades', format: 'csv', path: '/proc/ticker-deck.csv' })).rejects.toThrow(
      /Export to \/proc\/ticker-deck.csv failed/,
    );
    expect((await readdir(outDir)).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});
