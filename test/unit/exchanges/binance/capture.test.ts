// Binance's documented local-book sync on the real 2021 capture (4 symbols, REST depth
// snapshots and `@depth@100ms` diffs), through the same feed processor the live collector
// and replays use: every book rebuilt with 0 gaps; a removed diff is detected as a gap.
import { describe, expect, it } from 'vitest';
import { BinanceFeedProcessor } from '../../../../app/exchanges/binance/feed-processor.js';
import { BINANCE_MARKETS } from '../../../../app/exchanges/binance/markets.js';
import { asDepthSnapshot } from '../../../../app/exchanges/binance/messages.js';
import type { MarketEvent } from '../../../../app/core/types.js';
import { BINANCE_CAPTURE_SYMBOLS as SYMBOLS, readBinanceCapture as capture, type CaptureLine as Line } from '../../../sim/binance/capture.js';

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
