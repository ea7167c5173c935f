// Feed leases against a real nats-server (JetStream on, loopback): two nodes share the wanted
// feeds without ever both holding one, a node that stops renewing (killed) loses its feeds to
// the other within the lease time, a node that closes hands them over at once, and the leases
// survive a restart of the server.

import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedLeases, feedKey, feedOfKey } from '../../../app/cluster/feed-leases.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';

let server: NatsServer;
const connections: NatsConnection[] = [];
const leases: FeedLeases[] = [];

beforeEach(async () => {
  server = await NatsServer.start();
});

afterEach(async () => {
  for (const l of leases.splice(0)) await l.close().catch(() => undefined);
  for (const c of connections.splice(0)) await c.close().catch(() => undefined);
  await server.close();
});

async function node(name: string, ttlMs = 3_000): Promise<FeedLeases> {
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  connections.push(nc);
  const l = await FeedLeases.open(nc, name, { ttlMs, renewMs: 300 });
  leases.push(l);
  return l;
}

const FEEDS = ['okx:BTC-USDT', 'binance:BTCUSDT', 'kraken:BTC/USD', 'coinbase:BTC-USD'];

describe('feed keys', () => {
  it('keep feed ids readable and reversible within the characters keys allow', () => {
    expect(feedKey('okx:BTC-USDT')).toBe('okx=3aBTC-USDT');
    expect(feedKey('kraken:BTC/USD')).toBe('kraken=3aBTC/USD');
    for (const feed of [...FEEDS, 'x:A.B C*>']) {
      expect(feedKey(feed)).toMatch(/^[-/_=.A-Za-z0-9]+$/);
      expect(feedOfKey(feedKey(feed))).toBe(feed);
    }
  });
});

describe('FeedLeases with nats-server', () => {
  it('shares the feeds between two nodes, never one feed on both', async () => {
    const a = await node('a');
    const b = await node('b');
    a.want(FEEDS);
    b.want(FEEDS);
    await waitFor(() => a.holding().length + b.holding().length === FEEDS.length, 'every feed held');
    await waitFor(() => a.holding().length === 2 && b.holding().length === 2, 'shared evenly');
    expect([...a.holding(), ...b.holding()].sort()).toEqual([...FEEDS].sort());
    expect(a.holding().filter((f) => b.holding().includes(f))).toEqual([]);
  });

  it('gives up its surplus when a node joins, so that the feeds spread', async () => {
    const a = await node('a');
    a.want(FEEDS);
    await waitFor(() => a.holding().length === FEEDS.length, 'all on the first node');
    const b = await node('b');
    b.want(FEEDS);
    await waitFor(() => a.holding().length === 2 && b.holding().length === 2, 'spread over both');
    expect(a.holding().filter((f) => b.holding().includes(f))).toEqual([]);
  });

  it('moves a killed node’s feeds to the other within the lease time', async () => {
    const a = await node('a');
    const b = await node('b');
    a.want(FEEDS);
    b.want(FEEDS);
    await waitFor(() => a.holding().length === 2 && b.holding().length === 2, 'shared');
    const taken: string[] = [];
    b.on('acquired', (feed) => taken.push(feed));
    const killedAt = Date.now();
    a.abandon();
    await waitFor(() => b.holding().length === FEEDS.length, 'all feeds on b');
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(taken.sort()).toEqual(a.holding().sort());
  });

  it('hands its feeds over at once when it closes', async () => {
    const a = await node('a', 60_000);
    const b = await node('b', 60_000);
    a.want(FEEDS);
    b.want(FEEDS);
    await waitFor(() => a.holding().length === 2 && b.holding().length === 2, 'shared');
    await a.close();
    // Far sooner than the minute a lease lasts: released, not expired.
    await waitFor(() => b.holding().length === FEEDS.length, 'all feeds on b');
  });

  it('uses buckets an operator made with other settings as they are', async () => {
    const nc = await connect({ servers: server.url });
    connections.push(nc);
    const kvm = new Kvm(nc);
    await kvm.create('td-feeds', { ttl: 10_000, history: 2, description: 'made by the operator' });
    await kvm.create('td-nodes', { ttl: 10_000, history: 2 });
    const a = await node('a');
    a.want(FEEDS);
    await waitFor(() => a.holding().length === FEEDS.length, 'all held');
    expect((await (await kvm.open('td-feeds')).status()).ttl).toBe(10_000);
  });

  it('keeps its leases across a restart of nats-server', async () => {
    const a = await node('a', 3_000);
    a.want(FEEDS);
    await waitFor(() => a.holding().length === FEEDS.length, 'all held');
    await server.restart();
    // Renewals resume once the client reconnects; it still holds every feed.
    const before = a.holding();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        void a.cycle().then(() => (a.holding().length === FEEDS.length ? resolve() : setTimeout(check, 100)));
      };
      check();
    });
    expect(a.holding()).toEqual(before);
  });
});
