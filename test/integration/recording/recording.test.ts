import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { SessionRecorder } from '../../../app/recording/recorder.js';
import { readRecords, type ReadStats } from '../../../app/recording/reader.js';
import { ReplayCollector, SessionPlayer, type ReplaySpeed } from '../../../app/recording/replay.js';
import { buildReport } from '../../../app/recording/report.js';
import { SessionStore } from '../../../app/recording/session-store.js';
import { waitFor } from '../../support/loopback-server.js';
import { GeneratedMarket, type SimInstrument } from '../../sim/core/market.js';
import { DEFAULT_INSTRUMENTS, OkxSimulator } from '../../sim/okx/server.js';
import { createCollectorConfig } from '../../../app/core/config.js';

const factory = new ExchangeFactory();
let sim: OkxSimulator;
let dataDir: string;
const collectors: BaseDataCollector[] = [];

async function collector(symbol: string, storeRawData = true): Promise<BaseDataCollector> {
  const c = await factory.createCollector({
    exchange: 'okx',
    symbol,
    dataTypes: ['trade', 'orderbook', 'ticker', 'candles'],
    storeRawData,
    customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
  });
  collectors.push(c);
  await c.start();
  await waitFor(() => c.getBook() !== undefined, `${symbol} book`);
  return c;
}

async function replay(store: SessionStore, id: string, speed: ReplaySpeed): Promise<{ collectors: Map<string, ReplayCollector>; ms: number }> {
  const meta = await store.get(id);
  const replays = new Map<string, ReplayCollector>();
  for (const feed of meta.feeds) {
    const r = new ReplayCollector(feed);
    await r.prepare(factory);
    replays.set(feed.id, r);
  }
  const player = new SessionPlayer(store.dir(id), meta, speed, replays);
  const started = performance.now();
  player.start();
  await player.done();
  return { collectors: replays, ms: performance.now() - started };
}

function levels(c: BaseDataCollector): { bids: string[]; asks: string[] } | undefined {
  const book = c.getBook();
  if (book === undefined) return undefined;
  return { bids: book.bids.all().map((l) => `${l.priceStr}:${l.sizeStr}`), asks: book.asks.all().map((l) => `${l.priceStr}:${l.sizeStr}`) };
}

beforeEach(async () => {
  sim = await OkxSimulator.start({ tickMs: 20 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-rec-'));
});

afterEach(async () => {
  for (const c of collectors.splice(0)) await c.stop();
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('recording', () => {
  it('records raw frames and events, lists, renames and deletes the session', async () => {
    const btc = await collector('BTC-USDT');
    const eth = await collector('ETH-USDT', false);
    const store = new SessionStore(dataDir);
    const recorder = await SessionRecorder.start([btc, eth], { store, limitBytes: 1024 ** 3, name: 'morning' });
    await waitFor(() => recorder.meta().counts.rawFrames > 30 && recorder.meta().counts.events > 60, 'frames and events recorded');
    const meta = await recorder.stop();
    expect(meta).toMatchObject({ state: 'complete', name: 'morning', limitReached: false });
    expect(meta.feeds.map((f) => [f.id, f.raw])).toEqual([
      ['okx:BTC-USDT', true],
      ['okx:ETH-USDT', false],
    ]);
    expect(meta.counts.rawFrames).toBeGreaterThan(30);
    expect(meta.counts.events).toBeGreaterThan(60);

    const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
    const kinds: Record<string, number> = {};
    for await (const r of readRecords(store.dir(meta.id), stats))
      kinds[`${r.k}:${r.k === 'mark' ? r.m : r.c}`] = (kinds[`${r.k}:${r.k === 'mark' ? r.m : r.c}`] ?? 0) + 1;
    expect(stats.torn).toBe(0);
    expect(stats.records).toBe(meta.counts.records);
    expect(kinds['raw:okx:ETH-USDT']).toBeUndefined(); // storeRawData off: no raw frames
    expect(kinds['raw:okx:BTC-USDT']).toBe(meta.counts.rawFrames);
    expect(kinds['mark:start']).toBe(1);
    expect(kinds['mark:stop']).toBe(1);
    expect(kinds['st:okx:BTC-USDT']).toBeGreaterThanOrEqual(2);

    const listed = await store.list();
    expect(listed.map((s) => s.id)).toEqual([meta.id]);
    expect((await store.rename(meta.id, 'Tuesday open')).name).toBe('Tuesday open');
    expect((await store.get(meta.id)).name).toBe('Tuesday open');
    const report = await buildReport(store.dir(meta.id), await store.get(meta.id));
    expect(report.feeds.map((f) => f.id).sort()).toEqual(['okx:BTC-USDT', 'okx:ETH-USDT']);
    expect(report.feeds.find((f) => f.id === 'okx:BTC-USDT')?.events).toBeGreaterThan(30);
    await store.delete(meta.id);
    expect(await store.list()).toEqual([]);
  });

  it('survives kill -9 mid-write: everything written stays readable and the session is marked incomplete', async () => {
    // node itself (not the tsx wrapper), so the kill hits the process that writes.
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/record-child.ts'), dataDir, sim.wsUrl, sim.restUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let written = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /written (\d+)\n(?![\s\S]*written)/.exec(chunk.toString());
      if (match?.[1] !== undefined) written = Number(match[1]);
    });
    await waitFor(() => written > 300_000, 'the child to write');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = new SessionStore(dataDir);
    const [session] = await store.list();
    expect(session?.state).toBe('incomplete');
    expect(session?.endedAt).not.toBeNull();
    expect(session?.counts.records).toBeGreaterThan(50);
    expect(session?.counts.bytes).toBeGreaterThanOrEqual(written);
    // At most the one line the kill tore can be unreadable.
    expect(session?.tornLines).toBeLessThanOrEqual(1);
    const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
    let snapshots = 0;
    for await (const r of readRecords(store.dir(session?.id ?? ''), stats)) if (r.k === 'ev' && r.e.kind === 'book_snapshot') snapshots += 1;
    expect(snapshots).toBeGreaterThanOrEqual(1);
    expect(stats.records).toBe(session?.counts.records);
    // An interrupted session still replays and reports.
    const { collectors: replays } = await replay(store, session?.id ?? '', 'max');
    expect(replays.get('okx:BTC-USDT')?.getBook()?.bids.size ?? 0).toBeGreaterThan(100);
    const report = await buildReport(store.dir(session?.id ?? ''), session!);
    expect(report.state).toBe('incomplete');
  });

  it('stops at the disk limit and says so', async () => {
    const btc = await collector('BTC-USDT');
    const store = new SessionStore(dataDir);
    const limit = 150_000;
    const recorder = await SessionRecorder.start([btc], { store, limitBytes: limit });
    const warnings: string[] = [];
    recorder.on('limit', (message) => warnings.push(message));
    await waitFor(() => recorder.limitReached, 'limit');
    expect(warnings).toEqual(['Recording stopped: recordings reached the disk limit of 146 KiB. Delete old sessions or raise the limit to record again.']);
    const meta = await recorder.stop();
    expect(meta.limitReached).toBe(true);
    expect(await store.usage()).toBeLessThan(limit + 20_000);
    await expect(SessionRecorder.start([btc], { store, limitBytes: limit })).rejects.toThrow(/delete old sessions or raise the limit/);
  });
});

describe('replay', () => {
  it('rebuilds exactly the books the live collectors had, through the same parsers', async () => {
    const btc = await collector('BTC-USDT');
    const eth = await collector('ETH-USDT', false);
    const store = new SessionStore(dataDir);
    const recorder = await SessionRecorder.start([btc, eth], { store, limitBytes: 1024 ** 3 });
    await waitFor(() => recorder.meta().counts.rawFrames > 60, 'frames recorded');
    // The cut is synchronous: nothing after these reads is recorded.
    const liveBtc = levels(btc);
    const liveEth = levels(eth);
    const stopping = recorder.stop();
    const meta = await stopping;
    const { collectors: replays } = await replay(store, meta.id, 'max');
    const replayBtc = replays.get('okx:BTC-USDT');
    const replayEth = replays.get('okx:ETH-USDT');
    expect(replayBtc?.id).toBe('replay:okx:BTC-USDT');
    expect(replayBtc?.replaysRawFrames).toBe(true); // raw frames through the OKX parser
    expect(replayEth?.replaysRawFrames).toBe(false); // recorded without raw: normalized events
    expect(liveBtc?.bids.length).toBeGreaterThan(100);
    expect(levels(replayBtc!)).toEqual(liveBtc);
    expect(levels(replayEth!)).toEqual(liveEth);
    expect(replayBtc?.getStatus().messagesReceived).toBeGreaterThan(50);
  });

  it('paces a 10x replay by the recorded times', async () => {
    const btc = await collector('BTC-USDT');
    const store = new SessionStore(dataDir);
    const recorder = await SessionRecorder.start([btc], { store, limitBytes: 1024 ** 3 });
    // At least two seconds of recorded time (measured by the recorder's own clock, not a guess).
    await waitFor(() => Date.now() - recorder.startedAt >= 2000 && recorder.meta().counts.rawFrames > 20, 'two seconds of data');
    const meta = await recorder.stop();
    const recorded = (meta.endedAt ?? 0) - meta.startedAt;
    const fast = await replay(store, meta.id, 10);
    expect(fast.ms).toBeGreaterThan(recorded / 10 - 150);
    expect(fast.ms).toBeLessThan(recorded);
  });

  it('judges a replayed feed in its recorded time: a session from an hour ago does not go stale at 10x', async () => {
    // An hour-old recording of one OKX book, 20 frames a second for 40 s of recorded time.
    const market = new GeneratedMarket(DEFAULT_INSTRUMENTS[0] as SimInstrument, 7, 'zero');
    const feed = Object.assign(new EventEmitter(), {
      id: 'okx:BTC-USDT',
      config: createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['orderbook'], storeRawData: true }),
      getBook: () => undefined,
      getBookStatus: () => null,
      bookSnapshotEvent: () => undefined,
      getStatus: () => ({ id: 'okx:BTC-USDT', status: 'running', errors: [] }),
    });
    const store = new SessionStore(dataDir);
    const recorder = await SessionRecorder.start([feed as unknown as BaseDataCollector], { store, limitBytes: 1024 ** 3 });
    const start = Date.now() - 3_600_000;
    const push = (action: string, book: object) => `{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"${action}","data":[${JSON.stringify(book)}]}`;
    feed.emit('raw', { exchange: 'okx', stream: 'public', receivedAt: start, payload: push('snapshot', market.snapshot(start)) });
    for (let i = 1; i < 800; i += 1) {
      const t = start + i * 50;
      feed.emit('raw', { exchange: 'okx', stream: 'public', receivedAt: t, payload: push('update', market.step(t, []).book) });
    }
    const meta = await recorder.stop();
    const played = await replay(store, meta.id, 10);
    const replayed = played.collectors.get('okx:BTC-USDT');
    // Several liveness ticks ran (one a second) while it played.
    expect(played.ms).toBeGreaterThan(3000);
    expect(replayed?.getBookStatus()?.state).toBe('stopped');
    expect(replayed?.getStatus().errors.map((e) => e.message)).toEqual([]);
    // The book's last change is in recorded time (the heatmap and ages draw it there), not now.
    const changed = replayed?.getBookStatus()?.lastChangeAt ?? 0;
    expect(changed).toBeGreaterThanOrEqual(start);
    expect(changed).toBeLessThanOrEqual(start + 800 * 50);
  });
});
