// Recording and export throughput: the 2022 OKX capture's frames (raw + normalized events) are
// pushed into a session as fast as the recorder takes them, then the session is exported.
// Figures only.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BaseDataCollector } from '../../app/core/base-collector.js';
import type { MarketEvent } from '../../app/core/types.js';
import { OkxFeedProcessor } from '../../app/exchanges/okx/feed-processor.js';
import { exportSession, type ExportFormat, type ExportTable } from '../../app/recording/export.js';
import { SessionRecorder } from '../../app/recording/recorder.js';
import { SessionStore } from '../../app/recording/session-store.js';
import { readCapture } from '../sim/okx/capture.js';
import { FakeFeed } from './fake-feed.js';

export async function benchRecording(seconds: number): Promise<string[]> {
  const frames = readCapture().filter((f) => f.payload.includes('"instId":"BTC-USDT"') && !f.payload.includes('"event"'));
  // Pre-parse once: the figure is about the disk path, not the parser.
  const parsed: { payload: string; events: MarketEvent[] }[] = [];
  const processor = new OkxFeedProcessor('BTC-USDT', 'books', {
    publish: (event) => parsed.at(-1)?.events.push(event),
    problem: () => undefined,
    bookBroken: () => undefined,
    awaitingSnapshot: () => undefined,
    sequenceReset: () => undefined,
    bookAlive: () => undefined,
  });
  for (const frame of frames) {
    parsed.push({ payload: frame.payload, events: [] });
    processor.handleFrame(frame.payload, frame.receivedAt);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-rec-'));
  try {
    const store = new SessionStore(dataDir);
    const collector = new FakeFeed(['trade', 'orderbook', 'ticker']);
    const recorder = await SessionRecorder.start([collector as unknown as BaseDataCollector], {
      store,
      limitBytes: 50 * 1024 ** 3,
      maxPendingBytes: 64 * 1024 * 1024,
    });
    const started = performance.now();
    let t = Date.now();
    let messages = 0;
    while (performance.now() - started < seconds * 1000) {
      for (const { payload, events } of parsed) {
        t += 1;
        collector.emit('raw', { exchange: 'okx', stream: 'public', receivedAt: t, payload });
        for (const event of events) collector.emit('data', { ...event, receivedAt: t });
        messages += 1;
      }
      // Let the writer run, as the event loop would between socket reads.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const meta = await recorder.stop();
    const elapsed = (performance.now() - started) / 1000;
    const lines = [
      `Recording (2022 OKX capture frames + their events, as fast as accepted, ${elapsed.toFixed(1)} s):`,
      `  frames recorded             : ${Math.round(messages / elapsed).toLocaleString('en-US')} /s (${Math.round(meta.counts.records / elapsed).toLocaleString('en-US')} records/s incl. events)`,
      `  written to disk             : ${(meta.counts.bytes / 1024 / 1024 / elapsed).toFixed(1)} MiB/s; dropped under pressure: ${meta.counts.dropped}`,
    ];
    const runs: [ExportTable, ExportFormat][] = [
      ['trades', 'csv'],
      ['incremental_book_L2', 'csv'],
      ['incremental_book_L2', 'parquet'],
      ['book_snapshot_25', 'parquet'],
      ['events', 'jsonl'],
    ];
    for (const [table, format] of runs) {
      const exportStarted = performance.now();
      const result = await exportSession(store.dir(meta.id), meta, { table, format, path: path.join(dataDir, `${table}.${format}`) });
      const exportSeconds = (performance.now() - exportStarted) / 1000;
      lines.push(
        `  export ${`${table} → ${format}`.padEnd(32)}: ${Math.round(result.rows / exportSeconds).toLocaleString('en-US')} rows/s (${result.rows.toLocaleString('en-US')} rows)`,
      );
    }
    return lines;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
