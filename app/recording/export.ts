// Exports a recorded session: chosen symbols, table and time range, as CSV (tardis.dev column
// layouts, µs timestamps), JSONL or Parquet. Rows stream from the session files to the output
// (Parquet in row groups), so memory stays flat. The file is written under a temporary name
// and renamed when complete: a failure leaves no half file. The session report goes beside.

import { constants } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import { OrderBook } from '../book/order-book.js';
import { FileWriteError, fsErrorCode, temporaryNameFor, writeFileAtomic } from '../core/atomic-file.js';
import type { MarketEvent, PriceLevel } from '../core/types.js';
import type { SessionMeta } from './format.js';
import type { ReadStats } from './reader.js';
import { ReportBuilder } from './report.js';
import { sourceOf, type RecordSource } from './source.js';
import type { ExportProgress, ExportRequest, ExportResult, ExportTable } from './types.js';

export { EXPORT_FORMATS, EXPORT_TABLES } from './types.js';
export type { ExportFormat, ExportProgress, ExportRequest, ExportResult, ExportTable } from './types.js';

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

type Value = string | number | boolean | null;
type ColumnType = 'STRING' | 'DOUBLE' | 'INT64' | 'BOOLEAN';
interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

const BASE: Column[] = [
  { name: 'exchange', type: 'STRING' },
  { name: 'symbol', type: 'STRING' },
  { name: 'timestamp', type: 'INT64' },
  { name: 'local_timestamp', type: 'INT64' },
];
const SNAPSHOT_DEPTH = 25;

export function columnsOf(table: ExportTable): Column[] {
  switch (table) {
    case 'trades':
      return [...BASE, { name: 'id', type: 'STRING' }, { name: 'side', type: 'STRING' }, { name: 'price', type: 'DOUBLE' }, { name: 'amount', type: 'DOUBLE' }];
    case 'incremental_book_L2':
      return [
        ...BASE,
        { name: 'is_snapshot', type: 'BOOLEAN' },
        { name: 'side', type: 'STRING' },
        { name: 'price', type: 'DOUBLE' },
        { name: 'amount', type: 'DOUBLE' },
      ];
    case 'book_snapshot_25': {
      const levels: Column[] = [];
      for (let i = 0; i < SNAPSHOT_DEPTH; i += 1) {
        levels.push({ name: `asks[${i}].price`, type: 'DOUBLE' }, { name: `asks[${i}].amount`, type: 'DOUBLE' });
        levels.push({ name: `bids[${i}].price`, type: 'DOUBLE' }, { name: `bids[${i}].amount`, type: 'DOUBLE' });
      }
      return [...BASE, ...levels];
    }
    case 'quotes':
      return [
        ...BASE,
        { name: 'ask_amount', type: 'DOUBLE' },
        { name: 'ask_price', type: 'DOUBLE' },
        { name: 'bid_price', type: 'DOUBLE' },
        { name: 'bid_amount', type: 'DOUBLE' },
      ];
    case 'events':
      return [...BASE, { name: 'kind', type: 'STRING' }, { name: 'event', type: 'STRING' }];
  }
}

const us = (ms: number): number => Math.round(ms * 1000);

/** Turns a session's event stream into the rows of one table. */
class RowBuilder {
  private readonly books = new Map<string, { book: OrderBook; ready: boolean; bbo: string }>();

  constructor(private readonly table: ExportTable) {}

  rows(event: MarketEvent): Value[][] {
    const head: Value[] = [event.exchange, event.symbol, us(event.exchangeTs || event.receivedAt), us(event.receivedAt)];
    switch (this.table) {
      case 'trades':
        return event.kind === 'trade' ? [[...head, event.tradeId, event.side, event.priceStr, event.sizeStr]] : [];
      case 'incremental_book_L2':
        if (event.kind !== 'book_snapshot' && event.kind !== 'book_update') return [];
        return [
          ...event.bids.map((l) => [...head, event.kind === 'book_snapshot', 'bid', l.priceStr, l.sizeStr]),
          ...event.asks.map((l) => [...head, event.kind === 'book_snapshot', 'ask', l.priceStr, l.sizeStr]),
        ];
      case 'book_snapshot_25':
      case 'quotes':
        return this.bookRows(event, head);
      case 'events':
        return [[...head, event.kind, JSON.stringify(event)]];
    }
  }

  private bookRows(event: MarketEvent, head: Value[]): Value[][] {
    if (event.kind !== 'book_snapshot' && event.kind !== 'book_update') return [];
    const key = `${event.exchange}:${event.symbol}`;
    let state = this.books.get(key);
    if (state === undefined) {
      state = { book: new OrderBook(), ready: false, bbo: '' };
      this.books.set(key, state);
    }
    if (event.kind === 'book_snapshot') {
      state.book.loadSnapshot(event.bids, event.asks);
      state.ready = true;
    } else if (state.ready) {
      state.book.applyUpdate(event.bids, event.asks);
    } else {
      return []; // updates before the first snapshot cannot be placed
    }
    const { bids, asks } = state.book.top(SNAPSHOT_DEPTH);
    if (this.table === 'quotes') {
      const bid = bids[0];
      const ask = asks[0];
      const bbo = `${ask?.sizeStr}|${ask?.priceStr}|${bid?.priceStr}|${bid?.sizeStr}`;
      if (bbo === state.bbo) return [];
      state.bbo = bbo;
      return [[...head, ask?.sizeStr ?? null, ask?.priceStr ?? null, bid?.priceStr ?? null, bid?.sizeStr ?? null]];
    }
    const levels: Value[] = [];
    const cell = (level: PriceLevel | undefined): Value[] => [level?.priceStr ?? null, level?.sizeStr ?? null];
    for (let i = 0; i < SNAPSHOT_DEPTH; i += 1) levels.push(...cell(asks[i]), ...cell(bids[i]));
    return [[...head, ...levels]];
  }
}

interface RowSink {
  write(row: Value[]): Promise<void> | void;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

function csvCell(value: Value): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class StreamSink implements RowSink {
  private readonly stream: WriteStream;
  private readonly columns: Column[];
  private failure: Error | undefined;
  constructor(
    file: string,
    columns: Column[],
    private readonly format: 'csv' | 'jsonl',
  ) {
    this.columns = columns;
    this.stream = createWriteStream(file, { flags: 'wx' });
    // Open and write errors arrive as events; keep the first and fail the export with it.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    if (format === 'csv') this.stream.write(`${columns.map((c) => c.name).join(',')}\n`);
  }
  write(row: Value[]): Promise<void> | void {
    if (this.failure !== undefined) throw this.failure;
    if (this.stream.destroyed) throw new Error('the output stream closed unexpectedly');
    const line =
      this.format === 'csv'
        ? `${row.map(csvCell).join(',')}\n`
        : `${JSON.stringify(Object.fromEntries(this.columns.map((c, i) => [c.name, typed(row[i] ?? null, c.type)])))}\n`;
    if (!this.stream.write(line)) return this.settle('drain');
  }
  finish(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const done = this.settle('finish');
    this.stream.end();
    return done;
  }
  /**
   * Resolves on `event`, rejects with the stream's failure. A failed stream never emits
   * 'drain' or calls end's callback, so 'close' settles too, and a stream already destroyed
   * (its events long past) settles at once.
   */
  private settle(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stream.destroyed) {
        reject(this.failure ?? new Error('the output stream closed unexpectedly'));
        return;
      }
      // Whichever comes first settles it; the other listener goes too (a long export drains often).
      const done = (): void => {
        this.stream.off(event, done);
        this.stream.off('close', done);
        if (this.failure === undefined) resolve();
        else reject(this.failure);
      };
      this.stream.once(event, done);
      this.stream.once('close', done);
    });
  }
  abort(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }
}

function typed(value: Value, type: ColumnType): Value {
  if (value === null) return null;
  if (type === 'DOUBLE' || type === 'INT64') return typeof value === 'number' ? value : Number(value);
  return value;
}

const ROW_GROUP = 100_000;

class ParquetSink implements RowSink {
  private readonly writer: ParquetWriter;
  private buffers: (Value | bigint)[][];
  private count = 0;
  constructor(
    file: string,
    private readonly columns: Column[],
  ) {
    this.buffers = columns.map(() => []);
    const sample = columns.map((c) => ({ name: c.name, data: [] as never[], type: c.type, nullable: true }));
    this.writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFromColumnData({ columnData: sample }), createdBy: 'Ticker Deck' });
  }
  write(row: Value[]): Promise<void> | void {
    this.columns.forEach((column, i) => {
      const value = typed(row[i] ?? null, column.type);
      this.buffers[i]?.push(column.type === 'INT64' && typeof value === 'number' ? BigInt(value) : value);
    });
    this.count += 1;
    if (this.count >= ROW_GROUP) return this.flushGroup();
  }
  /** Hands a row group to the writer (fresh arrays follow: the writer may still be reading these) and waits if it is async. */
  private async flushGroup(): Promise<void> {
    if (this.count === 0) return;
    const group = this.buffers;
    this.buffers = this.columns.map(() => []);
    this.count = 0;
    await this.writer.write({
      columnData: this.columns.map((c, i) => ({ name: c.name, data: group[i] as never[], type: c.type, nullable: true })),
      rowGroupSize: ROW_GROUP,
    });
  }
  async finish(): Promise<void> {
    await this.flushGroup();
    await this.writer.finish();
  }
  abort(): Promise<void> {
    return Promise.resolve();
  }
}

async function checkWritable(file: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExportError(
      code === 'ENOENT' ? `Cannot export to ${file}: the folder ${dir} does not exist.` : `Cannot export to ${file}: no permission to write in ${dir}.`,
    );
  }
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory() === true) throw new ExportError(`Cannot export to ${file}: it is a folder.`);
}

/** Exports the session recorded in `from` (`recorded`: its folder here, or its stream on the cluster). */
export async function exportSession(
  recorded: string | RecordSource,
  meta: SessionMeta,
  request: ExportRequest,
  onProgress: (progress: ExportProgress) => void = () => undefined,
): Promise<ExportResult> {
  await checkWritable(request.path);
  const columns = columnsOf(request.table);
  // Unique per export: two exports to one target at once each write their own file.
  const temporary = temporaryNameFor(request.path, 'partial');
  let sink: RowSink | undefined;
  const builder = new RowBuilder(request.table);
  const feeds = request.feeds !== undefined && request.feeds.length > 0 ? new Set(request.feeds) : undefined;
  const from = request.from ?? -Infinity;
  const to = request.to ?? Infinity;
  const source = sourceOf(recorded);
  const total = await source.size();
  const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
  let rows = 0;
  let lastReport = 0;
  const report = new ReportBuilder(meta);
  try {
    sink = request.format === 'parquet' ? new ParquetSink(temporary, columns) : new StreamSink(temporary, columns, request.format);
    // One reading serves the rows and the session report.
    for await (const batch of source.batches(stats)) {
      for (const record of batch) {
        report.add(record);
        if (record.k !== 'ev' || (feeds !== undefined && !feeds.has(record.c))) continue;
        // Book tables need the state before `from`, so books are built from the start and only emitted inside the range.
        const inRange = record.t >= from && record.t <= to;
        if (!inRange && (record.t > to || (request.table !== 'book_snapshot_25' && request.table !== 'quotes'))) continue;
        const built = builder.rows(record.e);
        if (!inRange) continue;
        for (const row of built) {
          await sink.write(row);
          rows += 1;
        }
      }
      if (stats.records - lastReport >= 5000) {
        lastReport = stats.records;
        onProgress({ rows, fraction: total === 0 ? 1 : Math.min(1, stats.bytes / total) });
      }
    }
    await sink.finish();
    await rename(temporary, request.path);
  } catch (error) {
    await sink?.abort();
    await rm(temporary, { force: true });
    if (error instanceof ExportError) throw error;
    const code = fsErrorCode(error);
    const reason =
      code === undefined ? (error as Error).message : `${new FileWriteError(request.path, error).reason}${/^E[A-Z]+$/.test(code) ? ` (${code})` : ''}`;
    throw new ExportError(`Export to ${request.path} failed: ${reason}`);
  }
  onProgress({ rows, fraction: 1 });
  const reportPath = request.path.replace(/(\.[a-z]+)?$/i, '.report.json');
  await writeFileAtomic(reportPath, `${JSON.stringify(report.build(stats, source.gaps?.()), null, 2)}\n`);
  const { size } = await stat(request.path);
  return { path: request.path, reportPath, rows, bytes: size };
}
