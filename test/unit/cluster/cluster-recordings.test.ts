// Reading a recording on the cluster back: each message checked and turned into a session's
// record; numbers a node skipped counted, takeovers noted, the book started from a checkpoint.

import { describe, expect, it } from 'vitest';
import { ClusterMessageReader, feedsOf } from '../../../app/cluster/cluster-recordings.js';

const encoder = new TextEncoder();
const base = { exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1000 };
const level = (price: string, size: string) => ({ price: Number(price), priceStr: price, size: Number(size), sizeStr: size });

function trade(seq: number, node = 'n1', receivedAt = 1000 + seq): [string, Uint8Array] {
  const event = { kind: 'trade', ...base, receivedAt, tradeId: String(seq), side: 'buy', price: 100, priceStr: '100', size: 1, sizeStr: '1', fills: 1 };
  return ['md.okx.BTC-USDT.trade', encoder.encode(JSON.stringify({ seq, node, event }))];
}

function book(kind: 'book_snapshot' | 'book_update', seq: number, node = 'n1', stream = 'book'): [string, Uint8Array] {
  const event = { kind, ...base, bids: [level('99', '1')], asks: [level('101', '2')] };
  return [`md.okx.BTC-USDT.${stream}`, encoder.encode(JSON.stringify({ seq, node, event }))];
}

describe('reading a recording on the cluster', () => {
  it('turns messages into records and counts numbers a node skipped', () => {
    const reader = new ClusterMessageReader();
    const records = [trade(1), trade(2), trade(5), trade(6)].map(([s, d]) => reader.read(s, d, 0).record);
    expect(records.map((r) => (r?.k === 'ev' && r.e.kind === 'trade' ? r.e.tradeId : undefined))).toEqual(['1', '2', '5', '6']);
    expect(records[0]).toMatchObject({ t: 1001, c: 'okx:BTC-USDT', k: 'ev' });
    expect(reader.gaps().get('okx:BTC-USDT')).toEqual({ missing: 2, nodes: ['n1'], outages: [] });
  });

  it('notes a takeover (a node’s numbering starting afresh is no gap) and the time nobody collected the feed', () => {
    const reader = new ClusterMessageReader();
    for (const [s, d] of [trade(7, 'n1', 1000), trade(8, 'n1', 2000), trade(1, 'n2', 5000), trade(2, 'n2', 5001)]) reader.read(s, d, 0);
    expect(reader.gaps().get('okx:BTC-USDT')).toEqual({ missing: 0, nodes: ['n1', 'n2'], outages: [{ state: 'taken over by n2', from: 2000, to: 5000 }] });
  });

  it('starts the book from the first snapshot or checkpoint; updates before it, and later checkpoints, are left out', () => {
    const reader = new ClusterMessageReader();
    expect(reader.read(...book('book_update', 10), 0)).toEqual({});
    const seed = reader.read(...book('book_snapshot', 10, 'n1', 'checkpoint'), 500).record;
    expect(seed).toMatchObject({ k: 'ev', seed: true, t: 500, e: { kind: 'book_snapshot' } });
    expect(reader.read(...book('book_update', 11), 0).record).toMatchObject({ k: 'ev', e: { kind: 'book_update' } });
    expect(reader.read(...book('book_snapshot', 11, 'n1', 'checkpoint'), 600)).toEqual({});
    // Another node's part starts from its own book.
    expect(reader.read(...book('book_update', 1, 'n2'), 0)).toEqual({});
    expect(reader.read(...book('book_snapshot', 2, 'n2'), 0).record).toMatchObject({ e: { kind: 'book_snapshot' } });
  });

  it('checks every message: malformed ones are counted as torn, never used', () => {
    const reader = new ClusterMessageReader();
    expect(reader.read('md.okx.BTC-USDT.trade', encoder.encode('{not json'), 0)).toEqual({ torn: true });
    expect(reader.read('md.okx.BTC-USDT.trade', encoder.encode(JSON.stringify({ seq: 1, node: 'n1', event: { kind: 'trade' } })), 0)).toEqual({ torn: true });
    expect(reader.read('md.okx.BTC-USDT.trade', encoder.encode(JSON.stringify({ node: 'n1', event: {} })), 0)).toEqual({ torn: true });
    expect(reader.read('raw.okx.BTC-USDT', encoder.encode(JSON.stringify({ seq: 1, node: 'n1', stream: 's', receivedAt: 'x', payload: '{}' })), 0)).toEqual({
      torn: true,
    });
    expect(reader.read('other.subject', encoder.encode('{}'), 0)).toEqual({ torn: true });
    const raw = reader.read('raw.okx.BTC-USDT', encoder.encode(JSON.stringify({ seq: 1, node: 'n1', stream: 'books', receivedAt: 7, payload: '{"a":1}' })), 0);
    expect(raw.record).toEqual({ t: 7, c: 'okx:BTC-USDT', k: 'raw', s: 'books', p: '{"a":1}' });
  });

  it('names the feeds of a stream from its subjects', () => {
    const { feeds, rawFrames, events } = feedsOf({
      'md.okx.BTC-USDT.trade': 5,
      'md.okx.BTC-USDT.book': 7,
      'md.okx.BTC-USDT.status': 3,
      'md.okx.BTC-USDT.checkpoint': 1,
      'raw.okx.BTC-USDT': 9,
      'md.kraken.BTC/USD.ticker': 2,
      'md.bybit.ETHUSDT.status': 4,
    });
    expect(feeds).toEqual([
      { id: 'kraken:BTC/USD', exchange: 'kraken', symbol: 'BTC/USD', dataTypes: ['ticker'], raw: false },
      { id: 'okx:BTC-USDT', exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook'], raw: true },
    ]);
    expect(rawFrames).toBe(9);
    expect(events).toBe(14);
  });
});
