// Each venue's real capture through the same feed processor its live collector and replays
// use. Adding a venue means adding its capture here.
import { describe, expect, it } from 'vitest';
import { BinanceFeedProcessor } from '../../app/exchanges/binance/feed-processor.js';
import { BINANCE_MARKETS } from '../../app/exchanges/binance/markets.js';
import { asDepthSnapshot } from '../../app/exchanges/binance/messages.js';
import { BINANCE_CAPTURE_SYMBOLS as SYMBOLS, readBinanceCapture as capture, type CaptureLine as Line } from '../sim/binance/capture.js';
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

// Binance's documented local-book sync on the real 2021 capture (4 symbols, REST depth
// snapshots and `@depth@100ms` diffs), through the same feed processor the live collector
// and replays use: every book rebuilt with 0 gaps; a removed diff is detected as a gap.
function replay(drop?: (line: Line, symbol: string) => boolean) {
  const results = new Map<string, { processor: BinanceFeedProcessor; events: MarketEvent[]; broken: string[] }>();
  for (const symbol of SYMBOLS) {
    const events: MarketEvent[] = [];
    const broken: string[] = [];
    const processor = new BinanceFeedProcessor(symbol, BINANCE_MARKETS.binance, true, {
      publish: (e) => events.push(e),
      problem: (e) => broken.push(String(e)),
      bookBroken: (_kind, reason) => broken.push(reason),
      awaitingSnapshot: () => undefined,
      sequenceReset: () => undefined,
      bookAlive: () => undefined,
    });
    results.set(symbol, { processor, events, broken });
  }
  for (const line of capture()) {
    for (const [symbol, r] of results) {
      if (line.t === 'http' && line.url?.includes(`symbol=${symbol}&`) === true) {
        expect(r.processor.loadRestSnapshot(asDepthSnapshot(JSON.parse(line.data ?? '')), line.ts * 1000)).toBe('loaded');
      } else if (line.t === 'recv' && line.data !== undefined) {
        if (drop?.(line, symbol) === true) continue;
        r.processor.handleFrame(line.data, line.ts * 1000);
      }
    }
  }
  return results;
}

describe('Binance book sync on the real capture', () => {
  it('rebuilds all four books from REST snapshot + diffs with no gap', () => {
    const results = replay();
    const applied: Record<string, number> = {};
    for (const [symbol, r] of results) {
      expect(r.broken, symbol).toEqual([]);
      expect(r.processor.bookSync?.state, symbol).toBe('valid');
      expect(r.processor.bookSync?.book.isCrossed(), symbol).toBe(false);
      applied[symbol] = r.events.filter((e) => e.kind === 'book_update').length;
    }
    // The diffs recorded after each snapshot, every one applied (the 1–2 older ones dropped).
    expect(applied).toEqual({
      NKNUSDT: expect.any(Number) as unknown,
      BLZETH: expect.any(Number) as unknown,
      LRCBTC: expect.any(Number) as unknown,
      RUNEEUR: expect.any(Number) as unknown,
    });
    expect(applied['NKNUSDT']).toBeGreaterThanOrEqual(145);
    expect(results.get('NKNUSDT')?.processor.bookSync?.seqId).toBeGreaterThan(499869752);
    // Trades, tickers and candles of the capture are read as well.
    const kinds = new Set([...results.values()].flatMap((r) => r.events.map((e) => e.kind)));
    expect(kinds).toEqual(new Set(['book_snapshot', 'book_update', 'trade', 'candle']));
  });

  it('detects a removed diff as a gap', () => {
    let seen = 0;
    const results = replay((line, symbol) => symbol === 'NKNUSDT' && line.data?.includes('"s":"NKNUSDT","U"') === true && (seen += 1) === 40);
    const nkn = results.get('NKNUSDT');
    expect(nkn?.broken.some((b) => /^sequence gap/.test(b))).toBe(true);
    expect(nkn?.processor.bookSync?.state).toBe('invalid');
    // The other books are untouched.
    expect(results.get('LRCBTC')?.processor.bookSync?.state).toBe('valid');
  });
});
