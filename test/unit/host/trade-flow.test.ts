// TradeFlow: every trade counted into its minute by side, periods of any UI timeframe, holes
// where the feed was not live, and bounds that hold over days.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import type { CollectorStatus } from '../../../app/core/collector-status.js';
import type { Trade } from '../../../app/core/types.js';
import { SymbolFeed } from '../../../app/host/symbol-feed.js';
import { FLOW_MINUTES, TradeFlow } from '../../../app/host/trade-flow.js';

const M = 60_000;

describe('TradeFlow', () => {
  it('sums taker buys and sells per minute, with size over price for inverse contracts', () => {
    const flow = new TradeFlow();
    flow.add(10_000, 'buy', 2, 100);
    flow.add(20_000, 'sell', 1, 50);
    flow.add(M + 5, 'buy', 3, 300);
    expect(flow.series('1m')).toEqual({
      since: 0,
      buckets: [
        [0, 2, 1, 0.02, 0.02, 2],
        [M, 3, 0, 0.01, 0, 1],
      ],
      holes: [],
    });
  });

  it('gives periods of a longer timeframe, and only those from `from` when asked', () => {
    const flow = new TradeFlow();
    for (let minute = 0; minute < 12; minute += 1) flow.add(minute * M, minute % 3 === 0 ? 'sell' : 'buy', 1, 10);
    const five = flow.series('5m');
    expect(five.buckets.map((b) => [b[0], b[1], b[2], b[5]])).toEqual([
      [0, 3, 2, 5],
      [5 * M, 3, 2, 5],
      [10 * M, 2, 0, 2],
    ]);
    expect(flow.series('5m', 5 * M).buckets.map((b) => b[0])).toEqual([5 * M, 10 * M]);
  });

  it('puts a late trade in its own minute', () => {
    const flow = new TradeFlow();
    flow.add(3 * M, 'buy', 1, 1);
    flow.add(M, 'sell', 1, 1);
    flow.add(2 * M + 1, 'buy', 1, 1);
    expect(flow.series('1m').buckets.map((b) => [b[0], b[1], b[2]])).toEqual([
      [M, 0, 1],
      [2 * M, 1, 0],
      [3 * M, 1, 0],
    ]);
  });

  it('ignores trades it cannot value', () => {
    const flow = new TradeFlow();
    flow.add(0, 'buy', Number.NaN, 1);
    flow.add(0, 'buy', 1, 0);
    expect(flow.series('1m').buckets).toEqual([]);
  });

  it('starts when the feed is first live, or at the first counted minute when that is older (a replay)', () => {
    const flow = new TradeFlow();
    expect(flow.series('1m').since).toBeNull();
    flow.resume(100 * M + 5);
    expect(flow.series('1m').since).toBe(100 * M + 5);
    flow.add(7 * M + 5, 'buy', 1, 1);
    expect(flow.series('1m').since).toBe(7 * M);
  });

  it('keeps two days of minutes and says CVD starts at the oldest it kept', () => {
    const flow = new TradeFlow();
    for (let minute = 0; minute < FLOW_MINUTES + 100; minute += 1) flow.add(minute * M, 'buy', 1, 1);
    const series = flow.series('1m');
    expect(series.buckets).toHaveLength(FLOW_MINUTES);
    expect(series.since).toBe(100 * M);
  });

  it('keeps holes once the feed has been live, one open at a time, closed when live again', () => {
    const flow = new TradeFlow();
    flow.pause(500);
    expect(flow.series('1m').holes).toEqual([]);
    flow.resume(900);
    flow.pause(1_000);
    flow.pause(2_000);
    expect(flow.series('1m').holes).toEqual([[1_000, null]]);
    flow.resume(5_000);
    flow.resume(6_000);
    expect(flow.series('1m').holes).toEqual([[1_000, 5_000]]);
  });
});

describe('SymbolFeed flow', () => {
  const trade = (ts: number, side: 'buy' | 'sell', size: number): Trade => ({
    kind: 'trade',
    exchange: 'okx',
    symbol: 'BTC-USDT',
    exchangeTs: ts,
    receivedAt: ts,
    tradeId: String(ts),
    side,
    price: 100,
    priceStr: '100',
    size,
    sizeStr: String(size),
    fills: 1,
  });
  const status = (state: CollectorStatus['status'], staleStreams: string[] = []): Partial<CollectorStatus> => ({ status: state, staleStreams });

  it('counts every published trade and opens a hole while the feed is stopped or its trades are stale', () => {
    const collector = new EventEmitter();
    const feed = new SymbolFeed(collector as unknown as BaseDataCollector);
    collector.emit('status', status('running'));
    collector.emit('data', trade(Date.now(), 'buy', 2));
    collector.emit('data', trade(Date.now(), 'sell', 0.5));
    const [bucket] = feed.flow.series('1m').buckets;
    expect(bucket?.slice(1, 3)).toEqual([2, 0.5]);
    collector.emit('status', status('stopped'));
    expect(feed.flow.series('1m').holes[0]?.[1]).toBeNull();
    collector.emit('status', status('running'));
    expect(feed.flow.series('1m').holes[0]?.[1]).toBeTypeOf('number');
    collector.emit('status', status('running', ['trade']));
    expect(feed.flow.series('1m').holes).toHaveLength(2);
    feed.dispose();
  });
});
