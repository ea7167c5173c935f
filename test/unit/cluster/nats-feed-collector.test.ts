// A feed taken from the cluster: the book rebuilt from the node's snapshot and updates in
// sequence, a skipped update or a takeover by another node resynced from a new snapshot and
// said, skipped trades reported, and nothing malformed used.

import { waitFor } from '../../support/loopback-server.js';
import { describe, expect, it } from 'vitest';
import { NatsFeedCollector, type FeedTransport } from '../../../app/cluster/nats-feed-collector.js';
import { createCollectorConfig } from '../../../app/core/config.js';
import type { MarketEvent } from '../../../app/core/types.js';

class FakeTransport implements FeedTransport {
  listener: ((subject: string, text: string) => void) | undefined;
  requests: { subject: string; answer: (text: string) => void }[] = [];

  subscribe(_subject: string, onMessage: (subject: string, text: string) => void): () => void {
    this.listener = onMessage;
    return () => {
      this.listener = undefined;
    };
  }

  request(subject: string): Promise<string> {
    return new Promise((resolve) => this.requests.push({ subject, answer: resolve }));
  }

  send(stream: string, seq: number, event: object, node = 'n1'): void {
    this.listener?.(`md.okx.BTC-USDT.${stream}`, JSON.stringify({ seq, node, event }));
  }
}

const base = { exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1 };
const lv = (price: string, size: string) => ({ price: Number(price), priceStr: price, size: Number(size), sizeStr: size });
const update = (bids: [string, string][], asks: [string, string][] = []) => ({
  ...base,
  kind: 'book_update',
  bids: bids.map(([p, s]) => lv(p, s)),
  asks: asks.map(([p, s]) => lv(p, s)),
});
const snapshot = (seq: number, node = 'n1') =>
  JSON.stringify({
    seq,
    node,
    valid: true,
    bids: [
      ['100', '1'],
      ['99', '2'],
    ],
    asks: [['101', '1']],
  });
const trade = (id: string) => ({ ...base, kind: 'trade', tradeId: id, side: 'buy', price: 100, priceStr: '100', size: 1, sizeStr: '1', fills: 1 });

async function started(): Promise<{ collector: NatsFeedCollector; transport: FakeTransport; events: MarketEvent[] }> {
  const transport = new FakeTransport();
  const collector = new NatsFeedCollector(createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'] }), { transport });
  const events: MarketEvent[] = [];
  collector.on('data', (e) => events.push(e));
  await collector.start();
  return { collector, transport, events };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('NatsFeedCollector', () => {
  it('buffers updates until the node’s snapshot, then applies those after it in sequence', async () => {
    const { collector, transport, events } = await started();
    expect(transport.requests.map((r) => r.subject)).toEqual(['snap.okx.BTC-USDT']);
    transport.send('book', 3, update([['100', '5']]));
    transport.send('book', 4, update([['98', '1']]));
    expect(collector.getBook()).toBeUndefined();
    expect(collector.getBookStatus()?.state).toBe('syncing');
    transport.requests[0]?.answer(snapshot(3));
    await settle();
    expect(collector.getBookStatus()).toMatchObject({ state: 'valid', seqId: 4 });
    const book = collector.getBook();
    expect(book?.top(5).bids.map((l) => [l.priceStr, l.sizeStr])).toEqual([
      ['100', '1'],
      ['99', '2'],
      ['98', '1'],
    ]);
    expect(events.map((e) => e.kind)).toEqual(['book_snapshot', 'book_update']);
    await collector.stop();
  });

  it('resyncs from a new snapshot when an update is missed, and says so', async () => {
    const { collector, transport } = await started();
    transport.requests[0]?.answer(snapshot(10));
    await settle();
    transport.send('book', 11, update([['100', '3']]));
    expect(collector.getBookStatus()?.seqId).toBe(11);
    transport.send('book', 13, update([['100', '4']]));
    expect(collector.getBook()).toBeUndefined();
    expect(collector.getBookStatus()?.state).toBe('invalid');
    expect(collector.getStatus().errors.at(-1)?.message).toMatch(/book message 12 from node n1 missed/);
    await settle();
    expect(transport.requests).toHaveLength(2);
    transport.requests[1]?.answer(snapshot(13));
    await settle();
    expect(collector.getBookStatus()).toMatchObject({ state: 'valid', seqId: 13 });
    expect(collector.bookResyncs).toBe(1);
    // Counted where every collector counts them (status, session report).
    expect(collector.getStatus()).toMatchObject({ resyncs: 1, sequenceGaps: 1 });
    await collector.stop();
  });

  it('resyncs when another node takes the feed over', async () => {
    const { collector, transport } = await started();
    transport.requests[0]?.answer(snapshot(5));
    await settle();
    transport.send('book', 1, update([['100', '9']]), 'n2');
    expect(collector.getBookStatus()?.state).toBe('invalid');
    const said = collector.getStatus().errors.map((e) => e.message);
    expect(said).toContain('node n2 took the feed over from n1');
    expect(said.at(-1)).toMatch(/order book resynced from the node: the feed moved to node n2/);
    await settle();
    transport.requests[1]?.answer(snapshot(1, 'n2'));
    await settle();
    expect(collector.getBookStatus()).toMatchObject({ state: 'valid', seqId: 1 });
    expect(collector.node).toBe('n2');
    await collector.stop();
  });

  it('names the node and how its collector is doing, and a node that has gone silent', async () => {
    const transport = new FakeTransport();
    let now = 1_000;
    const collector = new NatsFeedCollector(createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] }), {
      transport,
      now: () => now,
    });
    await collector.start();
    expect(collector.getStatus()).toMatchObject({ via: null, viaHealth: null });
    transport.send('status', 1, { status: 'reconnecting' }, 'n7');
    expect(collector.getStatus()).toMatchObject({ via: 'n7', viaHealth: 'reconnecting' });
    now += 3_000;
    transport.send('status', 2, { status: 'running' }, 'n7');
    expect(collector.getStatus().viaHealth).toBe('running');
    now += 4_000;
    expect(collector.getStatus().viaHealth).toBe('silent');
    await collector.stop();
  });

  it('judges the feed stale once its node goes silent, and live again when it speaks', async () => {
    const transport = new FakeTransport();
    let now = 1_000;
    const collector = new NatsFeedCollector(createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] }), {
      transport,
      now: () => now,
      livenessTickMs: 10,
    });
    await collector.start();
    transport.send('status', 1, { status: 'running' }, 'n7');
    transport.send('trade', 1, trade('a'), 'n7');
    expect(collector.getStatus().status).toBe('running');
    now += 4_000;
    await waitFor(() => collector.getStatus().status === 'stale', 'the feed judged stale');
    const said = collector.getStatus().errors.map((e) => e.message);
    expect(said).toContain('node n7 went silent (nothing for 4.0 s)');
    expect(said.at(-1)).toMatch(/from node n7, which is silent/);
    transport.send('status', 2, { status: 'running' }, 'n7');
    transport.send('trade', 2, trade('b'), 'n7');
    await waitFor(() => collector.getStatus().status === 'running', 'live again');
    await collector.stop();
  });

  it('reports skipped trades and uses nothing malformed', async () => {
    const { collector, transport, events } = await started();
    transport.send('trade', 1, trade('a'));
    transport.send('trade', 4, trade('b'));
    expect(events.filter((e) => e.kind === 'trade')).toHaveLength(2);
    expect(collector.getStatus().errors.at(-1)?.message).toMatch(/2 trade messages from node n1 were missed/);
    transport.send('trade', 5, { ...trade('c'), price: 'lots' });
    transport.send('trade', 6, { ...trade('d'), symbol: 'ETH-USDT' });
    transport.listener?.('md.okx.BTC-USDT.trade', '{not json');
    expect(events.filter((e) => e.kind === 'trade')).toHaveLength(2);
    expect(collector.getStatus().errors.at(-1)?.message).toMatch(/unreadable message/);
    await collector.stop();
  });
});
