// The conformance suite: the same cases against every venue of ./venues.ts, each through its
// loopback simulator. A venue passes when it behaves as a trader may expect of any venue: it
// starts and stops without leaving anything behind, adds and removes symbols on a live
// connection, comes back after a drop or a stall, rebuilds a book after a gap without a single
// ghost level, survives malformed frames and a slow reader, says when its book goes stale, and
// records, replays and exports exactly what it showed.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BaseDataCollector, CollectorOptions } from '../../app/core/base-collector.js';
import type { MarketEvent } from '../../app/core/types.js';
import { ExchangeFactory } from '../../app/exchanges/factory.js';
import { exportSession } from '../../app/recording/export.js';
import { readRecords } from '../../app/recording/reader.js';
import { SessionRecorder } from '../../app/recording/recorder.js';
import { ReplayCollector, SessionPlayer } from '../../app/recording/replay.js';
import { buildReport } from '../../app/recording/report.js';
import { SessionStore } from '../../app/recording/session-store.js';
import { countResources, expectNoLeakedHandles, noLeakedHandles } from '../support/handles.js';
import { waitFor } from '../support/loopback-server.js';
import { VENUES, type CollectorKit, type LevelStrings, type VenueSimulator, type VenueUnderTest } from './venues.js';

const ALL_TYPES = ['trade', 'orderbook', 'ticker', 'candles'];
/** Short bounds so that staleness and escalation happen within a test. */
const FAST: CollectorOptions = { livenessTickMs: 50, recoveryBoundMs: 1500, bookFrozenMs: 1000 };

const factory = new ExchangeFactory();
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Harness {
  readonly sim: VenueSimulator;
  readonly kit: CollectorKit;
  readonly collector: (
    symbol: string,
    dataTypes?: readonly string[],
    options?: CollectorOptions & { storeRawData?: boolean },
  ) => { collector: BaseDataCollector; events: MarketEvent[] };
}

async function harness(venue: VenueUnderTest, simOptions: { maxBufferedBytes?: number } = {}): Promise<Harness> {
  const sim = await venue.startSimulator(simOptions);
  const collectors: BaseDataCollector[] = [];
  cleanup.push(async () => {
    for (const c of collectors) await c.stop();
    await sim.close();
  });
  const kit = venue.kit();
  return {
    sim,
    kit,
    collector: (symbol, dataTypes = ALL_TYPES, options = {}) => {
      const { storeRawData, ...collectorOptions } = options;
      const config = factory.resolveConfig({
        exchange: venue.exchange,
        symbol,
        dataTypes,
        ...(storeRawData === undefined ? {} : { storeRawData }),
        customParams: { ...sim.customParams, candleTimeframes: venue.timeframes },
      });
      const collector = kit.collector(config, collectorOptions);
      collectors.push(collector);
      const events: MarketEvent[] = [];
      collector.on('data', (e) => {
        events.push(e);
        if (events.length > 5000) events.splice(0, 1000);
      });
      return { collector, events };
    },
  };
}

function bookOk(c: BaseDataCollector): boolean {
  const book = c.getBook();
  return book !== undefined && book.bids.size > 0 && book.asks.size > 0 && !book.isCrossed() && c.getStatus().book?.state === 'valid';
}

/** Running, with a valid book and no recovery under way. */
function healthy(c: BaseDataCollector): boolean {
  const status = c.getStatus();
  return status.status === 'running' && bookOk(c) && status.book?.recovery === null && status.staleStreams.length === 0;
}

function levels(c: BaseDataCollector): LevelStrings | undefined {
  const book = c.getBook();
  if (book === undefined) return undefined;
  return { bids: book.bids.all().map((l) => `${l.priceStr}:${l.sizeStr}`), asks: book.asks.all().map((l) => `${l.priceStr}:${l.sizeStr}`) };
}

/**
 * Waits until the collector's book can be compared with the venue's truth at the same sequence
 * id, and returns both (read in one synchronous step, so they belong together).
 */
async function bookAndTruth(c: BaseDataCollector, sim: VenueSimulator): Promise<{ mine: LevelStrings; truth: LevelStrings }> {
  let pair: { mine: LevelStrings; truth: LevelStrings } | undefined;
  await waitFor(() => {
    const id = c.getStatus().book?.seqId;
    const mine = levels(c);
    const truth = id === null || id === undefined ? undefined : sim.bookAt(c.config.symbol, id);
    if (mine !== undefined && truth !== undefined) pair = { mine, truth };
    return pair !== undefined;
  }, 'the book at a sequence id the venue remembers');
  if (pair === undefined) throw new Error('unreachable');
  return pair;
}

describe.each(VENUES.map((venue) => [venue.exchange, venue] as const))('%s conformance', (_name, venue) => {
  const [first, second] = venue.symbols;

  it('starts, streams every data type, and stops leaving no socket, timer or connection behind', async () => {
    const { sim, kit, collector: make } = await harness(venue);
    const baseline = countResources();
    const { collector, events } = make(first);
    await collector.start();
    await waitFor(
      () => ['trade', 'ticker', 'candle', 'book_snapshot'].every((k) => events.some((e) => e.kind === k)) && bookOk(collector),
      'every kind and a book',
    );
    expect(events.every((e) => e.exchange === venue.exchange && e.symbol === first)).toBe(true);
    expect(collector.getStatus()).toMatchObject({ status: 'running', sequenceGaps: 0 });
    await collector.stop();
    expect(collector.getStatus().status).toBe('stopped');
    await waitFor(() => sim.open().length === 0, 'the venue sees every connection closed');
    await waitFor(() => noLeakedHandles(baseline), 'every handle released');
    expectNoLeakedHandles(baseline);
    expect(kit.connections()).toBe(0);
  });

  it('adds a symbol to the live connection and removes one while the other keeps streaming', async () => {
    const { sim, collector: make } = await harness(venue);
    const a = make(first, ['orderbook', 'trade', 'ticker']).collector;
    await a.start();
    await waitFor(() => bookOk(a), `${first} book`);
    const sockets = sim.open().length;
    const { collector: b, events: bEvents } = make(second, ['orderbook', 'trade', 'ticker']);
    await b.start();
    await waitFor(() => bookOk(a) && bookOk(b), 'both books');
    // Added on the same connection: no new socket.
    expect(sim.open()).toHaveLength(sockets);
    await a.stop();
    await waitFor(() => sim.open(first).length === 0, `${first} unsubscribed`);
    const before = bEvents.length;
    await waitFor(() => bEvents.length > before + 10 && bookOk(b), `${second} streams on`);
    expect(sim.open(second)).toHaveLength(sockets);
  });

  it('refuses an unknown symbol started together with a good one: only the unknown one fails, clearly', async () => {
    const { collector: make } = await harness(venue);
    const good = make(first, ['orderbook', 'trade']).collector;
    const bad = make(venue.unknownSymbol, ['orderbook', 'trade']).collector;
    // Started together, their subscriptions travel in one request when the socket opens.
    const [goodStart, badStart] = await Promise.allSettled([good.start(), bad.start()]);
    expect(goodStart.status).toBe('fulfilled');
    expect(badStart.status).toBe('rejected');
    expect(String(badStart.status === 'rejected' ? badStart.reason : '')).toContain(venue.unknownSymbol);
    expect(bad.getStatus().status).toBe('error');
    await waitFor(() => healthy(good), `${first} streams on`);
    expect(good.getStatus().errors).toEqual([]);
  });

  it('reconnects after a dropped connection with a valid book', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector } = make(first, ['orderbook', 'trade']);
    const states: string[] = [];
    collector.on('status', (s) => states.push(s.status));
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    expect(sim.inject('drop')).toBeGreaterThan(0);
    await waitFor(() => collector.getStatus().reconnects >= 1 && healthy(collector), 'back after the drop');
    expect(states).toContain('reconnecting');
  });

  it('notices a stalled connection (no data, no pong) and reconnects', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector } = make(first, ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    expect(sim.inject('stall')).toBe(1);
    await waitFor(() => collector.getStatus().reconnects >= 1 && healthy(collector), 'back after the stall');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/no reply to keep-alive/));
  });

  it('detects a gap, resyncs, and the rebuilt book equals the venue book level for level (no ghost levels)', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector } = make(first, ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    // In sync before: the same levels as the venue at the same id.
    const before = await bookAndTruth(collector, sim);
    expect(before.mine).toEqual(before.truth);
    sim.inject('gap', first);
    // A venue without a sequence (Kraken) sees the lost update as a checksum mismatch.
    const byChecksum = venue.integrity === 'checksum';
    const told = (): boolean => (byChecksum ? collector.getStatus().checksumFailures : collector.getStatus().sequenceGaps) >= 1;
    await waitFor(() => told() && collector.getStatus().resyncs >= 1 && healthy(collector), 'rebuilt after the gap');
    expect(collector.getStatus().errors.some((e) => (byChecksum ? /checksum mismatch/i : /sequence gap/i).test(e.message))).toBe(true);
    // Every level withheld by the gap (removals included) is right again: nothing left over.
    const after = await bookAndTruth(collector, sim);
    expect(after.mine.bids.length).toBeGreaterThan(100);
    expect(after.mine).toEqual(after.truth);
  });

  it('survives a malformed frame: the error is shown and the stream goes on', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector, events } = make(first, ['orderbook', 'ticker', 'trade']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    sim.inject('malformed', first);
    await waitFor(() => collector.getStatus().errors.some((e) => /not JSON/.test(e.message)), 'the error shown');
    const before = events.length;
    await waitFor(() => events.length > before + 10 && healthy(collector), 'the stream goes on');
  });

  it('refuses a binary frame as a protocol error and comes back with a valid book', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector } = make(first, ['orderbook']);
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    sim.inject('binary');
    await waitFor(() => collector.getStatus().reconnects >= 1 && healthy(collector), 'back after the binary frame');
    expect(collector.getStatus().errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/binary frame/));
  });

  it('keeps up after a slow-reader flood: read in full under backpressure, or cut by the venue and counted; the book valid again', async () => {
    const { sim, collector: make } = await harness(venue, { maxBufferedBytes: 512 * 1024 });
    const { collector } = make(first, ['orderbook', 'ticker']);
    let tickers = 0;
    collector.on('data', (e) => {
      if (e.kind === 'ticker') tickers += 1;
    });
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    const before = tickers;
    sim.inject('flood', first);
    await waitFor(() => {
      const s = collector.getStatus();
      // Either every flooded ticker was read (reading paused and resumed), or the venue cut the slow reader and we reconnected.
      return (tickers - before >= 1000 || s.reconnects > 0) && healthy(collector);
    }, 'recovered after the flood');
    // Nothing is lost silently: frames dropped on our side are followed by a resync.
    const s = collector.getStatus();
    expect(s.droppedMessages === 0 || s.resyncs > 0).toBe(true);
  });

  it('marks a book whose stream fell silent as stale, keeps its levels for display, and renews it', async () => {
    const { sim, collector: make } = await harness(venue);
    const { collector } = make(first, ['orderbook', 'trade'], FAST);
    const seen: { state: string | undefined; shown: number; staleStreams: readonly string[] }[] = [];
    collector.on('status', (s) => seen.push({ state: s.book?.state, shown: collector.getDisplayBook()?.bids.size ?? 0, staleStreams: s.staleStreams }));
    await collector.start();
    await waitFor(() => bookOk(collector), 'book');
    sim.inject('mute', first);
    await waitFor(() => seen.some((s) => s.state === 'stale'), 'the book marked stale');
    const stale = seen.find((s) => s.state === 'stale');
    expect(stale?.staleStreams).toEqual(['orderbook']);
    expect(stale?.shown).toBeGreaterThan(0);
    // Never valid while stale: getBook (what is shown as live) is withheld.
    await waitFor(() => collector.getStatus().resyncs >= 1 && healthy(collector), 'renewed');
  });

  it('records, replays and exports: books rebuilt exactly, exports named as tardis names the exchange', async () => {
    const { collector: make } = await harness(venue);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-conformance-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const a = make(first, ALL_TYPES, { storeRawData: true }).collector;
    const b = make(second, ALL_TYPES, { storeRawData: false }).collector;
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => bookOk(a) && bookOk(b), 'two books');
    const store = new SessionStore(dataDir);
    const recorder = await SessionRecorder.start([a, b], { store, limitBytes: 1024 ** 3 });
    await waitFor(() => recorder.meta().counts.rawFrames > 60 && recorder.meta().counts.events > 120 && bookOk(a) && bookOk(b), 'a session recorded');
    // The cut is synchronous: nothing after these reads is recorded.
    const liveA = levels(a);
    const liveB = levels(b);
    const meta = await recorder.stop();
    expect(meta.state).toBe('complete');

    const replays = new Map<string, ReplayCollector>();
    for (const feed of meta.feeds) {
      const replay = new ReplayCollector(feed);
      await replay.prepare(factory);
      replays.set(feed.id, replay);
    }
    const player = new SessionPlayer(store.dir(meta.id), meta, 'max', replays);
    player.start();
    await player.done();
    const replayA = replays.get(`${venue.exchange}:${first}`);
    const replayB = replays.get(`${venue.exchange}:${second}`);
    expect(replayA?.replaysRawFrames).toBe(true); // raw frames through the venue's own parsers
    expect(replayB?.replaysRawFrames).toBe(false); // normalized events
    expect(liveA?.bids.length).toBeGreaterThan(100);
    expect(levels(replayA!)).toEqual(liveA);
    expect(levels(replayB!)).toEqual(liveB);

    let trades = 0;
    let bookLevels = 0;
    for await (const r of readRecords(store.dir(meta.id))) {
      if (r.k !== 'ev') continue;
      if (r.e.kind === 'trade') trades += 1;
      else if (r.e.kind === 'book_snapshot' || r.e.kind === 'book_update') bookLevels += r.e.bids.length + r.e.asks.length;
    }
    expect(trades).toBeGreaterThan(0);
    const tradesFile = path.join(dataDir, 'trades.jsonl');
    expect((await exportSession(store.dir(meta.id), meta, { table: 'trades', format: 'jsonl', path: tradesFile })).rows).toBe(trades);
    const rows = (await readFile(tradesFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { exchange: string; symbol: string });
    expect(rows).toHaveLength(trades);
    expect(new Set(rows.map((r) => r.exchange))).toEqual(new Set([venue.exchange]));
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set([first, second]));
    const bookFile = path.join(dataDir, 'book.csv');
    expect((await exportSession(store.dir(meta.id), meta, { table: 'incremental_book_L2', format: 'csv', path: bookFile })).rows).toBe(bookLevels);
    const [header, ...lines] = (await readFile(bookFile, 'utf8')).trim().split('\n');
    expect(header?.startsWith('exchange,symbol,timestamp,local_timestamp')).toBe(true);
    expect(lines).toHaveLength(bookLevels);
    expect(lines.every((line) => line.startsWith(`${venue.exchange},`))).toBe(true);
    const report = await buildReport(store.dir(meta.id), meta);
    expect(report.feeds.map((f) => f.id).sort()).toEqual([`${venue.exchange}:${first}`, `${venue.exchange}:${second}`].sort());
  });
});
