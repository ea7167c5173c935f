// A host's feed taken from a collector node over a real nats-server: its book rebuilt from the
// node's snapshot and updates is level for level the node's own, trades arrive, and the node's
// name is known.

import net from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectorNode, clusterWatchlist, putClusterEntry } from '../../../app/cluster/collector-node.js';
import { NatsFeedCollector, natsTransport } from '../../../app/cluster/nats-feed-collector.js';
import { createCollectorConfig } from '../../../app/core/config.js';
import type { MarketEvent, OrderBookReader } from '../../../app/core/types.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let server: NatsServer;
let sim: OkxSimulator;
let nc: NatsConnection;
let node: CollectorNode;

beforeEach(async () => {
  server = await NatsServer.start();
  sim = await OkxSimulator.start({ tickMs: 20 });
  node = await CollectorNode.start({ servers: server.url, name: 'n1', exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  nc = await connect({ servers: server.url });
});

afterEach(async () => {
  await nc.close();
  await node.close();
  await sim.close();
  await server.close();
});

describe('a feed from the cluster', () => {
  it('is not held up by a client that stops reading: the node publishes on, the feed stays whole', async () => {
    await putClusterEntry(await clusterWatchlist(nc), { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] });
    await waitFor(() => node.feeds().includes('okx:BTC-USDT'), 'the node collects it');
    // A subscriber to everything that never reads what it is sent.
    const slow = net.connect(server.port, '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write('CONNECT {"verbose":false,"pedantic":false}\r\nSUB md.> 1\r\nSUB raw.> 2\r\nPING\r\n');
    slow.pause();
    const feed = new NatsFeedCollector(createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] }), {
      transport: natsTransport(nc),
    });
    await feed.start();
    try {
      await waitFor(() => feed.getBook() !== undefined, 'a valid book');
      const from = feed.getBookStatus()?.seqId ?? 0;
      await waitFor(() => (feed.getBookStatus()?.seqId ?? 0) > from + 300, '300 more book updates');
      // Every one in sequence: never invalid, nothing missed, nothing resynced.
      expect(feed.getBookStatus()?.state).toBe('valid');
      expect(feed.bookResyncs).toBe(0);
      expect(feed.getStatus().errors).toEqual([]);
    } finally {
      await feed.stop();
      slow.destroy();
    }
  });

  it('rebuilds the node’s book level for level and passes its trades on', async () => {
    await putClusterEntry(await clusterWatchlist(nc), { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] });
    await waitFor(() => node.feeds().includes('okx:BTC-USDT'), 'the node collects it');
    const feed = new NatsFeedCollector(createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] }), {
      transport: natsTransport(nc),
    });
    const events: MarketEvent[] = [];
    feed.on('data', (e) => events.push(e));
    await feed.start();
    try {
      await waitFor(() => feed.getBook() !== undefined && events.some((e) => e.kind === 'trade'), 'a valid book and trades');
      expect(feed.node).toBe('n1');
      // At a moment when it has applied every book message the node published, it is the node's book.
      const held = node.held('okx:BTC-USDT');
      let compared = 0;
      await waitFor(() => {
        const mine = feed.getBook();
        const theirs = held?.collector.getBook();
        if (mine === undefined || theirs === undefined || feed.getBookStatus()?.seqId !== held?.publisher.lastSeq('book')) return false;
        const view = (b: OrderBookReader): string => {
          const { bids, asks } = b.top(50);
          return [...bids, ...asks].map((l) => `${l.priceStr}:${l.sizeStr}`).join(',');
        };
        expect(view(mine)).toBe(view(theirs));
        compared += 1;
        return compared >= 3;
      }, 'books compared at three moments');
      expect(feed.getStatus().errors).toEqual([]);
    } finally {
      await feed.stop();
    }
  });
});
