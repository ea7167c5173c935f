// Recordings on the cluster, against a real nats-server, collector nodes and the OKX simulator:
// a JetStream stream under limits by size and age, seen and stopped by any host, exported in the
// tardis layouts, reported on and replayed exactly like a session recorded on one machine.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterRecordingError, ClusterRecordings, streamOfSession } from '../../../app/cluster/cluster-recordings.js';
import { CollectorNode, clusterWatchlist, putClusterEntry } from '../../../app/cluster/collector-node.js';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { exportSession } from '../../../app/recording/export.js';
import type { SessionMeta } from '../../../app/recording/format.js';
import { ReplayCollector, SessionPlayer } from '../../../app/recording/replay.js';
import { buildReport } from '../../../app/recording/report.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

const FEED = 'okx:BTC-USDT';
const factory = new ExchangeFactory();
let server: NatsServer;
let sim: OkxSimulator;
let nc: NatsConnection;
let recordings: ClusterRecordings;
let outDir: string;
const nodes: CollectorNode[] = [];
const others: (() => Promise<void> | void)[] = [];

async function startNode(name: string, checkpointEveryMs?: number): Promise<CollectorNode> {
  const node = await CollectorNode.start({
    servers: server.url,
    name,
    exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } },
    leases: { ttlMs: 3000 },
    ...(checkpointEveryMs === undefined ? {} : { checkpointEveryMs }),
  });
  nodes.push(node);
  return node;
}

async function collectFeed(): Promise<CollectorNode> {
  const node = await startNode('n1');
  await putClusterEntry(await clusterWatchlist(nc), { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] });
  await waitFor(() => node.held(FEED)?.collector.getBookStatus()?.state === 'valid', 'the node collects a valid book');
  return node;
}

/** Waits until the recording holds at least `n` messages on `subject`. */
async function untilRecorded(id: string, subject: string, n: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await waitFor(
    async () => ((await jsm.streams.info(streamOfSession(id), { subjects_filter: subject })).state.subjects?.[subject] ?? 0) >= n,
    `${n} × ${subject}`,
  );
}

async function replay(meta: SessionMeta): Promise<ReplayCollector> {
  const feed = meta.feeds.find((f) => f.id === FEED);
  if (feed === undefined) throw new Error('the feed is not in the recording');
  const collector = new ReplayCollector(feed);
  await collector.prepare(factory);
  const player = new SessionPlayer(recordings.source(meta.id), meta, 'max', new Map([[feed.id, collector]]));
  player.start();
  await player.done();
  return collector;
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

beforeEach(async () => {
  server = await NatsServer.start();
  sim = await OkxSimulator.start({ tickMs: 20 });
  nc = await connect({ servers: server.url });
  recordings = await ClusterRecordings.open(nc, { host: 'desk-1' });
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-cluster-rec-'));
});

afterEach(async () => {
  for (const off of others.splice(0)) await off();
  recordings.close();
  for (const node of nodes.splice(0)) await node.close();
  await nc.close();
  await sim.close();
  await server.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('a recording on the cluster', () => {
  it('keeps what the nodes publish and is exported, reported on and replayed like one recorded here', async () => {
    await collectFeed();
    const started = await recordings.start({ name: 'overnight', maxBytes: 256 * 1024 ** 2, maxAgeMs: 7 * 24 * 3600_000 });
    expect(started.state).toBe('recording');
    expect(started.cluster).toMatchObject({ stream: streamOfSession(started.id), startedBy: 'desk-1', maxAgeMs: 7 * 24 * 3600_000 });
    expect(recordings.active()?.id).toBe(started.id);
    await untilRecorded(started.id, 'md.okx.BTC-USDT.checkpoint', 1);
    await untilRecorded(started.id, 'md.okx.BTC-USDT.trade', 40);
    await untilRecorded(started.id, 'raw.okx.BTC-USDT', 200);
    const meta = await recordings.stop(started.id);
    expect(meta.state).toBe('complete');
    expect(meta.endedAt).not.toBeNull();
    expect(recordings.active()).toBeNull();
    expect(meta.feeds.map((f) => ({ ...f, dataTypes: [...f.dataTypes].sort() }))).toEqual([
      { id: FEED, exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['orderbook', 'trade'], raw: true },
    ]);
    expect(meta.counts.rawFrames).toBeGreaterThanOrEqual(200);

    // Stopped: nothing more goes in.
    const jsm = await jetstreamManager(nc);
    const held = (await jsm.streams.info(streamOfSession(meta.id))).state.messages;
    await untilOtherTraffic();
    expect((await jsm.streams.info(streamOfSession(meta.id))).state.messages).toBe(held);

    // Trades: one row per trade the nodes published into it, tardis's columns.
    const trades = csvRows(
      await readFile(
        (await exportSession(recordings.source(meta.id), meta, { table: 'trades', format: 'csv', path: path.join(outDir, 't.csv') })).path,
        'utf8',
      ),
    );
    expect(trades[0]).toEqual(['exchange', 'symbol', 'timestamp', 'local_timestamp', 'id', 'side', 'price', 'amount']);
    const tradeMessages =
      (await jsm.streams.info(streamOfSession(meta.id), { subjects_filter: 'md.okx.BTC-USDT.trade' })).state.subjects?.['md.okx.BTC-USDT.trade'] ?? 0;
    expect(trades.length - 1).toBe(tradeMessages);
    expect(new Set(trades.slice(1).map((r) => r[4])).size).toBe(tradeMessages);

    // The book starts from the checkpoint the recording asked for: a snapshot first, never an update that cannot be placed.
    const l2 = csvRows(
      await readFile(
        (await exportSession(recordings.source(meta.id), meta, { table: 'incremental_book_L2', format: 'csv', path: path.join(outDir, 'l2.csv') })).path,
        'utf8',
      ),
    );
    expect(l2[1]?.[4]).toBe('true');
    expect(l2.filter((r) => r[4] === 'false').length).toBeGreaterThan(0);

    // Report: one node, nothing missing, nothing discarded by the limits.
    const report = await buildReport(recordings.source(meta.id), meta);
    expect(report.feeds).toHaveLength(1);
    expect(report.feeds[0]).toMatchObject({ id: FEED, missing: 0, nodes: ['n1'], outages: [] });
    expect(report.recordingDropped).toBe(0);
    expect(report.cluster).toMatchObject({ discarded: 0 });
    expect(report.tornLines).toBe(0);

    // Replayed from the raw frames through OKX's own parser and book engine, seeded by the
    // checkpoint: a valid book, the same as the one the normalized events build.
    const replayed = await replay(meta);
    // (A book is given only while valid; the replay ends stopped.)
    expect(replayed.getBook()?.bids.size ?? 0).toBeGreaterThan(10);
    expect(replayed.getStatus()).toMatchObject({ resyncs: 0, sequenceGaps: 0 });
    const snapshots = csvRows(
      await readFile(
        (await exportSession(recordings.source(meta.id), meta, { table: 'book_snapshot_25', format: 'csv', path: path.join(outDir, 'b.csv') })).path,
        'utf8',
      ),
    );
    const last = snapshots.at(-1) ?? [];
    const book = replayed.getBook();
    const top = book?.top(25);
    const cells: string[] = [];
    for (let i = 0; i < 25; i += 1)
      cells.push(top?.asks[i]?.priceStr ?? '', top?.asks[i]?.sizeStr ?? '', top?.bids[i]?.priceStr ?? '', top?.bids[i]?.sizeStr ?? '');
    expect(last.slice(4)).toEqual(cells);

    // Rename and delete from any host.
    expect((await recordings.rename(meta.id, 'Tuesday night')).name).toBe('Tuesday night');
    await recordings.delete(meta.id);
    expect((await recordings.list()).map((s) => s.id)).not.toContain(meta.id);
    await expect(jsm.streams.info(streamOfSession(meta.id))).rejects.toThrow(/not found/);
  });

  it('is seen and stopped by any host; one at a time captures the same feeds', async () => {
    await collectFeed();
    const nc2 = await connect({ servers: server.url });
    others.push(() => nc2.close());
    const elsewhere = await ClusterRecordings.open(nc2, { host: 'desk-2' });
    others.push(() => elsewhere.close());
    const changed = new Promise<void>((resolve) => elsewhere.once('changed', () => resolve()));
    const started = await recordings.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 });
    await changed;
    expect(elsewhere.active()).toMatchObject({ id: started.id, cluster: { startedBy: 'desk-1' } });
    await expect(elsewhere.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 })).rejects.toThrow(ClusterRecordingError);
    await expect(elsewhere.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 })).rejects.toThrow(/already capturing these feeds on the cluster: stop it first/);
    await expect(elsewhere.delete(started.id)).rejects.toThrow(/stop it first/);
    const stopped = new Promise<void>((resolve) => recordings.once('changed', () => resolve()));
    await elsewhere.stop(started.id);
    await stopped;
    expect(recordings.active()).toBeNull();
    // Stopped, its feeds are free for the next one; the first keeps its data.
    const next = await elsewhere.start({ feeds: [FEED], maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 });
    await untilRecorded(next.id, 'md.okx.BTC-USDT.trade', 5);
    expect((await recordings.get(started.id)).counts.records).toBeGreaterThan(0);
    await elsewhere.stop(next.id);
    expect((await recordings.list()).map((s) => s.id)).toEqual([next.id, started.id]);
    // A stream no recording names (a host died while starting one) is named, with how to remove it.
    await (await jetstreamManager(nc)).streams.add({ name: 'TD_ORPHAN', subjects: ['md.>', 'raw.>'] });
    await expect(recordings.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 })).rejects.toThrow(
      /The stream TD_ORPHAN .*no recording names it: remove it \(nats stream rm TD_ORPHAN\)/,
    );
  });

  it('drops its oldest messages at its size limit and says so; the book restarts from a later checkpoint', async () => {
    await startNode('n1', 300);
    await putClusterEntry(await clusterWatchlist(nc), { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] });
    await waitFor(() => nodes[0]?.held(FEED)?.collector.getBookStatus()?.state === 'valid', 'a valid book');
    const started = await recordings.start({ maxBytes: 256 * 1024, maxAgeMs: 0 });
    const jsm = await jetstreamManager(nc);
    await waitFor(async () => (await jsm.streams.info(streamOfSession(started.id))).state.first_seq > 1000, 'the limit reached and old messages dropped');
    await untilRecorded(started.id, 'md.okx.BTC-USDT.checkpoint', 2);
    const meta = await recordings.stop(started.id);
    expect(meta.limitReached).toBe(true);
    expect(meta.counts.bytes).toBeLessThanOrEqual(256 * 1024);
    const report = await buildReport(recordings.source(meta.id), meta);
    expect(report.limitReached).toBe(true);
    expect(report.cluster?.discarded).toBeGreaterThan(1000);
    expect(report.cluster?.firstAt).toBeGreaterThan(meta.startedAt);
    // What is kept still starts with a book.
    const l2 = csvRows(
      await readFile(
        (await exportSession(recordings.source(meta.id), meta, { table: 'incremental_book_L2', format: 'csv', path: path.join(outDir, 'l2.csv') })).path,
        'utf8',
      ),
    );
    expect(l2[1]?.[4]).toBe('true');
    expect((await replay(meta)).getBook()?.bids.size ?? 0).toBeGreaterThan(10);
  });

  it('drops messages older than its age limit, while it runs and after it stops', async () => {
    await collectFeed();
    const started = await recordings.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 1500 });
    expect(started.cluster?.maxAgeMs).toBe(1500);
    const jsm = await jetstreamManager(nc);
    const stream = streamOfSession(started.id);
    await waitFor(async () => (await jsm.streams.info(stream)).state.first_seq > 1, 'the oldest messages aged out');
    // What is left begins later than the recording did.
    expect(Date.parse((await jsm.streams.info(stream)).state.first_ts)).toBeGreaterThan(started.startedAt);
    const meta = await recordings.stop(started.id);
    expect(meta.limitReached).toBe(true);
    expect(meta.cluster?.discarded).toBeGreaterThan(0);
    // Stopped, it keeps ageing out: in the end nothing is left, and it says so.
    await waitFor(async () => (await jsm.streams.info(stream)).state.messages === 0, 'everything aged out');
    const empty = await recordings.get(meta.id);
    expect(empty.counts.records).toBe(0);
    expect(empty.cluster?.firstAt).toBeNull();
    const report = await buildReport(recordings.source(meta.id), empty);
    expect(report.records).toBe(0);
    expect(report.cluster?.discarded).toBeGreaterThan(0);
  });

  it('follows a feed taken over by another node and reports the handover', async () => {
    const first = await collectFeed();
    const second = await startNode('n2');
    const started = await recordings.start({ maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 });
    await untilRecorded(started.id, 'md.okx.BTC-USDT.trade', 10);
    // The first node leaves; the second takes the feed over.
    await first.close();
    nodes.splice(nodes.indexOf(first), 1);
    await waitFor(() => second.held(FEED)?.collector.getBookStatus()?.state === 'valid', 'the second node collects it');
    const jsm = await jetstreamManager(nc);
    const before =
      (await jsm.streams.info(streamOfSession(started.id), { subjects_filter: 'md.okx.BTC-USDT.trade' })).state.subjects?.['md.okx.BTC-USDT.trade'] ?? 0;
    await untilRecorded(started.id, 'md.okx.BTC-USDT.trade', before + 10);
    const meta = await recordings.stop(started.id);
    const report = await buildReport(recordings.source(meta.id), meta);
    const feed = report.feeds.find((f) => f.id === FEED);
    expect(feed?.nodes).toEqual(['n1', 'n2']);
    expect(feed?.missing).toBe(0);
    expect(feed?.outages.map((o) => o.state)).toContain('taken over by n2');
    // The second node's part replays from its own snapshot: the book is valid at the end.
    expect((await replay(meta)).getBook()?.bids.size ?? 0).toBeGreaterThan(10);
  });
});

/** Lets the nodes publish a few more status messages (each feed sends one a second). */
async function untilOtherTraffic(): Promise<void> {
  const sub = nc.subscribe('md.okx.BTC-USDT.status', { max: 2 });
  for await (const _ of sub) {
    // two status messages published after the stop
  }
}
