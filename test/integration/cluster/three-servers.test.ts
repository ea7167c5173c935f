// The README's cluster of three NATS servers, for real: buckets made with three replicas before
// the first node starts (as the README says), a node and a host given all three servers, a
// recording kept on three of them (TICKER_DECK_NATS_REPLICAS=3). One server is killed with
// kill -9: the feed stays valid in the host, the recording goes on, and it is exported after.

import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECORDINGS_BUCKET, streamOfSession } from '../../../app/cluster/cluster-recordings.js';
import { CollectorNode, WATCHLIST_BUCKET } from '../../../app/cluster/collector-node.js';
import { MarketHost } from '../../../app/host/market-host.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let servers: NatsServer[];
let sim: OkxSimulator;
let dataDir: string;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  servers = await NatsServer.startCluster(3);
  sim = await OkxSimulator.start({ tickMs: 20 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-three-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await sim.close();
  for (const server of servers) await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a cluster of three NATS servers', () => {
  it('keeps feeds and a recording with three replicas going when one server is killed', { timeout: 120_000 }, async () => {
    const urls = servers.map((s) => s.url);
    const admin = await connect({ servers: urls });
    closers.push(() => admin.close());
    const jsm = await jetstreamManager(admin, { checkAPI: false });
    // JetStream elects its leader after the servers are up: wait for it to answer.
    await waitFor(
      async () =>
        jsm.getAccountInfo().then(
          () => true,
          () => false,
        ),
      'JetStream ready on the cluster',
    );
    // The operator's buckets, three replicas each, made before the first node (README).
    const kvm = new Kvm(admin);
    await kvm.create('td-feeds', { replicas: 3, ttl: 6000, history: 1 });
    await kvm.create('td-nodes', { replicas: 3, ttl: 6000, history: 1 });
    await kvm.create(WATCHLIST_BUCKET, { replicas: 3, history: 1 });
    await kvm.create(RECORDINGS_BUCKET, { replicas: 3, history: 1 });

    const node = await CollectorNode.start({ servers: urls, name: 'n1', exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
    closers.push(() => node.close());
    const host = new MarketHost({
      dataDir,
      exchangeParams: { okx: { wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' } },
      nats: { servers: urls, replicas: 3 },
    });
    closers.push(() => host.close());
    await host.start();
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook'], 'nats');
    const status = () => host.statuses().find((s) => s.id === 'okx:BTC-USDT');
    await waitFor(() => status()?.book?.state === 'valid', 'a valid book through the node');

    const meta = await host.recordings.start('three copies', { maxBytes: 64 * 1024 ** 2, maxAgeMs: 0 });
    const stream = streamOfSession(meta.id);
    const info = await jsm.streams.info(stream);
    expect(info.config.num_replicas).toBe(3);
    await waitFor(async () => (await jsm.streams.info(stream)).state.messages > 200, 'the recording under way');

    // A server goes down hard. Until the clients have moved and the stream has a leader again,
    // asking it times out: the count is read again until it answers.
    const before = (await jsm.streams.info(stream)).state.messages;
    await servers[0]?.kill();
    const held = (): Promise<number> =>
      jsm.streams.info(stream).then(
        (i) => i.state.messages,
        () => -1,
      );
    await waitFor(async () => (await held()) > before + 500, 'the recording going on on the other two');
    const statusAfter = status()?.messagesReceived ?? 0;
    await waitFor(() => (status()?.messagesReceived ?? 0) > statusAfter + 50 && status()?.book?.state === 'valid', 'the host’s feed flowing');

    const stopped = await host.recordings.stop(meta.id);
    expect(stopped.state).toBe('complete');
    const exported = await host.recordings.export(meta.id, { table: 'trades', format: 'csv' });
    expect(exported.rows).toBeGreaterThan(0);
    const report = await host.recordings.report(meta.id);
    expect(report.feeds.find((f) => f.id === 'okx:BTC-USDT')?.nodes).toEqual(['n1']);
  });
});
