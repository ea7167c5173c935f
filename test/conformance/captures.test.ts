// Each venue's real capture through the same feed processor its live collector and replays
// use. Adding a venue means adding its capture here.
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../app/core/types.js';
import { BybitFeedProcessor } from '../../app/exchanges/bybit/feed-processor.js';
import { BYBIT_MARKETS } from '../../app/exchanges/bybit/markets.js';
import type { FeedSink } from '../../app/exchanges/types.js';
import { BYBIT_CAPTURE_BOOKS, readBybitCapture, type BybitCaptureFrame } from '../sim/bybit/capture.js';

interface Collected {
  readonly events: MarketEvent[];
  readonly broken: string[];
  readonly problems: string[];
}

function sinkFor(): FeedSink & Collected {
  const events: MarketEvent[] = [];
  const broken: string[] = [];
  const problems: string[] = [];
  return {
    events,
    broken,
    problems,
    publish: (e) => events.push(e),
    problem: (e) => problems.push(String(e)),
    bookBroken: (_kind, reason) => broken.push(reason),
    awaitingSnapshot: () => undefined,
    sequenceReset: () => undefined,
    bookAlive: () => undefined,
  };
}

describe('Bybit v5 capture (2026-08-09, linear and spot)', () => {
  const frames = readBybitCapture();

  function replay(drop?: (frame: BybitCaptureFrame) => boolean) {
    return BYBIT_CAPTURE_BOOKS.map(({ market, symbol }) => {
      const sink = sinkFor();
      const processor = new BybitFeedProcessor(symbol, BYBIT_MARKETS[market === 'spot' ? 'bybit-spot' : 'bybit'], true, sink);
      for (const frame of frames) if (frame.market === market && drop?.(frame) !== true) processor.handleFrame(frame.data, frame.ts * 1000);
      return { market, symbol, processor, ...sink };
    });
  }

  it('rebuilds all 6 books from their snapshots with 0 gaps in 2,142 deltas', () => {
    const results = replay();
    let deltas = 0;
    for (const r of results) {
      const name = `${r.market} ${r.symbol}`;
      expect(r.broken, name).toEqual([]);
      expect(r.problems, name).toEqual([]);
      expect(r.processor.bookSync?.state, name).toBe('valid');
      expect(r.processor.bookSync?.book.isCrossed(), name).toBe(false);
      expect(
        r.events.filter((e) => e.kind === 'book_snapshot'),
        name,
      ).toHaveLength(1);
      deltas += r.events.filter((e) => e.kind === 'book_update').length;
      // Depth 200 is kept: never more than 200 levels a side.
      expect(r.processor.bookSync?.book.bids.size, name).toBeLessThanOrEqual(200);
      expect(r.processor.bookSync?.book.bids.size, name).toBeGreaterThan(150);
    }
    expect(deltas).toBe(2142);
  });

  it('the rebuilt book agrees with what Bybit said last: the linear ticker best bid/ask', () => {
    const btc = replay().find((r) => r.market === 'linear' && r.symbol === 'BTCUSDT');
    const tickers = btc?.events.filter((e) => e.kind === 'ticker') ?? [];
    expect(tickers.length).toBeGreaterThan(100);
    const last = tickers.at(-1);
    // The ticker merges partial deltas into the snapshot: every print has a last price and a bid/ask.
    expect(last?.kind === 'ticker' && last.bid !== undefined && last.ask !== undefined && last.last > 0).toBe(true);
    const book = btc?.processor.bookSync?.book;
    const bestBid = book?.bids.best()?.price ?? 0;
    const bestAsk = book?.asks.best()?.price ?? 0;
    expect(bestBid).toBeLessThan(bestAsk);
    // Both were recorded in the same second: within a few ticks of each other.
    if (last?.kind === 'ticker') expect(Math.abs((last.bid ?? 0) - bestBid)).toBeLessThan(50);
  });

  it('reads trades (taker side), spot and linear tickers and klines', () => {
    const results = replay();
    const kinds = new Set(results.flatMap((r) => r.events.map((e) => e.kind)));
    expect(kinds).toEqual(new Set(['book_snapshot', 'book_update', 'trade', 'ticker', 'candle']));
    const trades = results.flatMap((r) => r.events.filter((e) => e.kind === 'trade'));
    expect(new Set(trades.map((t) => (t.kind === 'trade' ? t.side : '')))).toEqual(new Set(['buy', 'sell']));
    const spotTickers = results.filter((r) => r.market === 'spot').flatMap((r) => r.events.filter((e) => e.kind === 'ticker'));
    expect(spotTickers.length).toBeGreaterThan(0);
    const candles = results.flatMap((r) => r.events.filter((e) => e.kind === 'candle'));
    expect(candles.every((c) => c.kind === 'candle' && c.timeframe === '1m')).toBe(true);
  });

  it('detects a removed delta as a gap, on that book only', () => {
    const ethDeltas = frames.filter((f) => f.market === 'linear' && f.data.includes('"topic":"orderbook.200.ETHUSDT","type":"delta"'));
    expect(ethDeltas.length).toBe(420);
    const removed = ethDeltas[100];
    const results = replay((f) => f === removed);
    const eth = results.find((r) => r.market === 'linear' && r.symbol === 'ETHUSDT');
    expect(eth?.broken.some((b) => /^sequence gap/.test(b))).toBe(true);
    expect(eth?.processor.bookSync?.state).toBe('invalid');
    expect(results.find((r) => r.market === 'linear' && r.symbol === 'BTCUSDT')?.processor.bookSync?.state).toBe('valid');
  });
});
