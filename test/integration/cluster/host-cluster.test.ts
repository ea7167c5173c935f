// The host taking a watchlist symbol from the cluster: added with source `nats`, collected by a
// node (this host never connects to the exchange), its book valid and its status naming the
// node; removed, the node stops collecting it. A host without a cluster says how to get one.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { historySubject, requestHistory } from '../../../app/cluster/cluster-history.js';
import { isClusterSession } from '../../../app/cluster/cluster-recordings.js';
import { CollectorNode } from '../../../app/cluster/collector-node.js';
import { HostError } from '../../../app/host/host-error.js';
import { MarketHost } from '../../../app/host/market-host.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let server: NatsServer;
let sim: OkxSimulator;
let node: CollectorNode;
let dataDir: string;
let host: MarketHost;

beforeEach(async () => {
  server = await NatsServer.start();
  sim = await OkxSimulator.start({ tickMs: 20 });
  node = await CollectorNode.start({ servers: server.url, name: 'n1', exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-host-cluster-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
  // The host's own exchange endpoints lead nowhere: whatever it shows came through the node.
  host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' } }, nats: { servers: [server.url] } });
  await host.start();
});

afterEach(async () => {
  await host.close();
  await node.close();
  await sim.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a host on a cluster', () => {
  it('takes a symbol from a collector node, names the node, and hands it back when removed', async () => {
    const item = await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook', 'ticker'], 'nats');
    expect(item).toMatchObject({ id: 'okx:BTC-USDT', source: 'nats' });
    await waitFor(() => node.feeds().includes('okx:BTC-USDT'), 'the node collects it');
    const status = () => host.statuses().find((s) => s.id === 'okx:BTC-USDT');
    await waitFor(() => status()?.book?.state === 'valid' && status()?.via === 'n1', 'a valid book through n1');
    expect(status()?.status).toBe('running');
    // And how the node's own collector of it is doing.
    await waitFor(() => status()?.viaHealth === 'running', 'the node’s health');
    // Its chart's history came through a node too: this host cannot reach OKX's REST API.
    const candles = await host.candles('okx:BTC-USDT', '1m');
    expect(candles.length).toBeGreaterThan(50);
    expect(candles.slice(0, -1).every((c) => c.closed)).toBe(true);
    // The watchlist entry says where it comes from (and is saved so).
    expect(host.watchlist().find((w) => w.id === 'okx:BTC-USDT')?.source).toBe('nats');
    await host.removeSymbol('okx:BTC-USDT');
    await waitFor(() => node.feeds().length === 0, 'the node stops collecting it');
  });

  it('survives a restart of nats-server: the node keeps its feed, the host’s book is valid again', async () => {
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook'], 'nats');
    const status = () => host.statuses().find((s) => s.id === 'okx:BTC-USDT');
    await waitFor(() => status()?.book?.state === 'valid', 'a valid book');
    await server.restart();
    const after = status()?.messagesReceived ?? 0;
    // Data flows again through the restarted server, and the book is (or is made) valid again.
    await waitFor(() => (status()?.messagesReceived ?? 0) > after + 50 && status()?.book?.state === 'valid', 'flowing again');
    expect(node.feeds()).toEqual(['okx:BTC-USDT']);
  });

  it('records on the cluster: another host sees the recording, stops it, and exports it with its report', async () => {
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook'], 'nats');
    await waitFor(() => host.statuses().find((s) => s.id === 'okx:BTC-USDT')?.book?.state === 'valid', 'a valid book');
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-host-cluster-2-'));
    await writeFile(path.join(otherDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
    const other = new MarketHost({ dataDir: otherDir, exchangeParams: {}, nats: { servers: [server.url] } });
    try {
      await other.start();
      const meta = await host.recordings.start('night', { maxBytes: 64 * 1024 ** 2, maxAgeMs: 3600_000 });
      expect(isClusterSession(meta.id)).toBe(true);
      expect(host.recordings.state()).toMatchObject({ clusterAvailable: true, active: null, clusterActive: { id: meta.id } });
      // The other host (which collects nothing itself) sees it running, its counts growing.
      await waitFor(() => (other.recordings.state().clusterActive?.counts.events ?? 0) > 100, 'the recording seen from the other host');
      const stopped = await other.recordings.stop(meta.id);
      expect(stopped.state).toBe('complete');
      await waitFor(() => host.recordings.state().clusterActive === null, 'the first host sees it stopped');
      expect((await host.recordings.list()).find((s) => s.id === meta.id)?.state).toBe('complete');
      const exported = await other.recordings.export(meta.id, { table: 'trades', format: 'csv' });
      expect(exported.path.startsWith(path.join(otherDir, 'exports'))).toBe(true);
      expect(exported.rows).toBeGreaterThan(0);
      const report = await other.recordings.report(meta.id);
      expect(report.feeds.find((f) => f.id === 'okx:BTC-USDT')).toMatchObject({ nodes: ['n1'], missing: 0 });
      expect(report.cluster).toMatchObject({ stream: `TD_REC_${meta.id}`, maxAgeMs: 3600_000 });
      // Replayed on the other host: its feed appears as a replay, through OKX's own book engine, and plays to the end.
      await other.recordings.startReplay(meta.id, 'max');
      await waitFor(() => other.recordings.replay()?.state === 'finished', 'the replay played to the end');
      expect(other.watchlist().find((w) => w.id === 'replay:okx:BTC-USDT')).toBeDefined();
      expect(other.recordings.replay()?.played ?? 0).toBeGreaterThan(100);
      await other.recordings.stopReplay();
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('without a cluster, says how to join one', async () => {
    const alone = new MarketHost({ dataDir, exchangeParams: {} });
    try {
      await expect(alone.addSymbol('okx', 'ETH-USDT', ['trade'], 'nats')).rejects.toThrow(HostError);
      await expect(alone.addSymbol('okx', 'ETH-USDT', ['trade'], 'nats')).rejects.toThrow(/--nats nats:\/\/HOST:4222/);
      await expect(alone.recordings.start('x', { maxBytes: 1024 ** 3, maxAgeMs: 0 })).rejects.toThrow(/--nats nats:\/\/HOST:4222 to record there/);
      expect(alone.recordings.state()).toMatchObject({ clusterAvailable: false, clusterActive: null });
    } finally {
      await alone.close();
    }
  });
});

describe('candle history through the cluster', () => {
  it('is fetched by a node from the venue, and a node’s refusal or a malformed answer is an error, not a chart', async () => {
    const nc = await connect({ servers: server.url });
    try {
      const candles = await requestHistory(nc, { exchange: 'okx', symbol: 'BTC-USDT', timeframe: '5m', limit: 20 });
      expect(candles).toHaveLength(20);
      expect(candles[0]).toMatchObject({ kind: 'candle', exchange: 'okx', symbol: 'BTC-USDT', timeframe: '5m' });
      await expect(requestHistory(nc, { exchange: 'nowhere', symbol: 'X', timeframe: '1m', limit: 5 })).rejects.toThrow(
        /the node could not fetch candle history/,
      );
      // Something else answering on the subject with nonsense (the node gone, so only it answers).
      await node.close();
      const impostor = nc.subscribe(historySubject('okx', 'ETH-USDT'), {
        callback: (_e, m) => {
          m.respond(JSON.stringify({ candles: [{ kind: 'candle', open: 'x' }] }));
        },
      });
      await nc.flush();
      await expect(requestHistory(nc, { exchange: 'okx', symbol: 'ETH-USDT', timeframe: '1m', limit: 5 })).rejects.toThrow(/malformed candle history/);
      impostor.unsubscribe();
    } finally {
      await nc.close();
    }
  });
});
