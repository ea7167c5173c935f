// Two collector nodes (real processes, `npm run node`) on a real nats-server against the OKX
// simulator: the cluster watchlist's feeds are shared between them, each published by exactly
// one node with unbroken sequence numbers, the book's snapshot is served on request, and after
// `kill -9` of a node its feed is published again by the other within seconds, from a new
// node and a new sequence (so that a consumer sees the change and resyncs).

import type { ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterWatchlist, putClusterEntry } from '../../../app/cluster/collector-node.js';
import type { FeedMessage, SnapshotMessage } from '../../../app/cluster/node-publisher.js';
import { snapshotSubject } from '../../../app/cluster/subjects.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { killAll, startNodeProcess } from '../../support/node-process.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let server: NatsServer;
let sim: OkxSimulator;
let nc: NatsConnection;
const nodes: ChildProcess[] = [];

beforeEach(async () => {
  server = await NatsServer.start();
  sim = await OkxSimulator.start({ tickMs: 20 });
  nc = await connect({ servers: server.url });
});

afterEach(async () => {
  killAll(nodes);
  await nc.close();
  await sim.close();
  await server.close();
});

/** Starts a node process and resolves once it says it has joined. */
async function startNode(name: string): Promise<ChildProcess> {
  const child = await startNodeProcess(name, server.url, { TICKER_DECK_OKX_WS_URL: sim.wsUrl, TICKER_DECK_OKX_REST_URL: sim.restUrl });
  nodes.push(child);
  return child;
}

interface Seen {
  node: string;
  seq: number;
  at: number;
}

describe('collector nodes on NATS', () => {
  it('share the feeds, publish each from one node without gaps, serve book snapshots, and take over after kill -9', { timeout: 120_000 }, async () => {
    const seen = new Map<string, Seen[]>();
    const decoder = new TextDecoder();
    nc.subscribe('md.okx.*.>', {
      callback: (error, message) => {
        if (error !== null) return;
        const body = JSON.parse(decoder.decode(message.data)) as FeedMessage;
        const list = seen.get(message.subject) ?? [];
        list.push({ node: body.node, seq: body.seq, at: Date.now() });
        if (list.length > 5000) list.splice(0, 2500);
        seen.set(message.subject, list);
      },
    });
    const one = await startNode('n1');
    const two = await startNode('n2');
    const kv = await clusterWatchlist(nc);
    await putClusterEntry(kv, { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook', 'ticker'] });
    await putClusterEntry(kv, { exchange: 'okx', symbol: 'ETH-USDT', dataTypes: ['trade', 'orderbook', 'ticker'] });

    const nodesOf = (subject: string): Set<string> => new Set((seen.get(subject) ?? []).map((s) => s.node));
    await waitFor(() => nodesOf('md.okx.BTC-USDT.book').size > 0 && nodesOf('md.okx.ETH-USDT.book').size > 0, 'both books published');
    await waitFor(
      () => (seen.get('md.okx.BTC-USDT.trade')?.length ?? 0) > 5 && (seen.get('md.okx.ETH-USDT.book')?.length ?? 0) > 5,
      'trades and books flowing',
    );
    // One node each, and never one feed from both.
    const btcNode = [...nodesOf('md.okx.BTC-USDT.book')];
    const ethNode = [...nodesOf('md.okx.ETH-USDT.book')];
    expect(btcNode).toHaveLength(1);
    expect(ethNode).toHaveLength(1);
    expect(btcNode[0]).not.toBe(ethNode[0]);
    // Unbroken sequences per stream.
    for (const [subject, list] of seen) {
      const seqs = list.map((s) => s.seq);
      for (let i = 1; i < seqs.length; i += 1) expect(seqs[i], subject).toBe((seqs[i - 1] ?? 0) + 1);
    }
    // The book's snapshot, with the sequence it belongs to.
    const reply = await nc.request(snapshotSubject('okx:BTC-USDT'), undefined, { timeout: 5_000 });
    const snapshot = JSON.parse(decoder.decode(reply.data)) as SnapshotMessage;
    expect(snapshot).toMatchObject({ valid: true, node: btcNode[0] });
    expect(snapshot.bids.length).toBeGreaterThan(10);
    expect(Number(snapshot.bids[0]?.[0])).toBeLessThan(Number(snapshot.asks[0]?.[0]));
    expect(snapshot.seq).toBeGreaterThan(0);

    // kill -9 the node that has BTC-USDT: the other publishes it within seconds, from seq 1.
    const victim = btcNode[0] === 'n1' ? one : two;
    const survivor = btcNode[0] === 'n1' ? 'n2' : 'n1';
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await waitFor(() => nodesOf('md.okx.BTC-USDT.book').has(survivor), 'BTC-USDT taken over');
    const first = seen.get('md.okx.BTC-USDT.book')?.find((s) => s.node === survivor);
    expect((first?.at ?? Infinity) - killedAt).toBeLessThan(15_000);
    expect(first?.seq).toBe(1);
  });
});
