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
import { CoinbaseFeedProcessor } from '../../app/exchanges/coinbase/feed-processor.js';
import { COINBASE_CAPTURE_REMOVED, readCoinbaseCapture } from '../sim/coinbase/capture.js';
import { COINBASE_CODEC } from '../../app/exchanges/coinbase/connection.js';
import { BookSync, type BookMessageAdapter } from '../../app/book/book-sync.js';
import { krakenChecksum, krakenChecksumString } from '../../app/exchanges/kraken/checksum.js';
import { KrakenFeedProcessor } from '../../app/exchanges/kraken/feed-processor.js';
import { parseKrakenFrame } from '../../app/exchanges/kraken/messages.js';
import { readKrakenV1Books, readKrakenVector, type V1BookMessage } from '../sim/kraken/capture.js';

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

  it('gives a linear ticker the mark, index, funding and open interest (base coin) Bybit sent, and a spot ticker none', () => {
    const results = replay();
    const btc = results.find((r) => r.market === 'linear' && r.symbol === 'BTCUSDT');
    // The capture's first BTCUSDT linear snapshot: markPrice 65117.44, indexPrice 65137.76,
    // fundingRate 0.0001, nextFundingTime 1786320000000, openInterest 59891.732 (BTC).
    const first = btc?.events.find((e) => e.kind === 'ticker');
    expect(first?.kind === 'ticker' && first).toMatchObject({
      markPrice: 65117.44,
      indexPrice: 65137.76,
      fundingRate: 0.0001,
      nextFundingTime: 1786320000000,
      openInterest: 59891.732,
    });
    // Deltas that carry none of them keep the snapshot's (merged), later ones move them.
    const tickers = btc?.events.filter((e) => e.kind === 'ticker') ?? [];
    expect(tickers.every((t) => t.kind === 'ticker' && t.markPrice !== undefined && t.openInterest !== undefined)).toBe(true);
    expect(new Set(tickers.map((t) => (t.kind === 'ticker' ? t.markPrice : 0))).size).toBeGreaterThan(1);
    const spot = results.filter((r) => r.market === 'spot').flatMap((r) => r.events.filter((e) => e.kind === 'ticker'));
    expect(spot.every((t) => t.kind === 'ticker' && t.markPrice === undefined && t.fundingRate === undefined)).toBe(true);
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

describe('Coinbase Advanced Trade capture (2026-08-09, BTC-USD and ETH-USD on one connection)', () => {
  const frames = readCoinbaseCapture();

  function replay(product: string, skip?: (seq: number) => boolean) {
    const sink = sinkFor();
    const processor = new CoinbaseFeedProcessor(product, { withBook: true, timeframes: ['1m', '5m'] }, sink);
    // The book's top as each of the product's tickers arrived, beside the ticker's own best bid/ask.
    const agreement = { same: 0, different: 0 };
    for (const frame of frames) {
      if (skip?.(frame.seq) === true) continue;
      const before = sink.events.length;
      processor.handleFrame(frame.data, frame.ts * 1000);
      const book = processor.bookSync?.state === 'valid' ? processor.bookSync.book : undefined;
      for (const e of sink.events.slice(before)) {
        if (e.kind !== 'ticker' || book === undefined) continue;
        if (book.bids.best()?.price === e.bid && book.asks.best()?.price === e.ask) agreement.same += 1;
        else agreement.different += 1;
      }
    }
    return { processor, agreement, ...sink };
  }

  it('numbers every frame of the connection with no gap: the only missing sequence numbers are the 400 lines left out', () => {
    const seqs = frames.map((f) => f.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBe(0);
    const last = seqs.at(-1) ?? 0;
    expect(last + 1 - seqs.length).toBe(COINBASE_CAPTURE_REMOVED);
    expect(frames.filter((f) => f.channel === 'l2_data')).toHaveLength(375);
  });

  it("rebuilds the ETH-USD book from its snapshot and 374 updates, and it agrees with Coinbase's own tickers", () => {
    const eth = replay('ETH-USD');
    expect(eth.problems).toEqual([]);
    expect(eth.broken).toEqual([]);
    expect(eth.processor.bookSync?.state).toBe('valid');
    expect(eth.processor.bookSync?.book.isCrossed()).toBe(false);
    expect(eth.events.filter((e) => e.kind === 'book_snapshot')).toHaveLength(1);
    expect(eth.events.filter((e) => e.kind === 'book_update')).toHaveLength(374);
    expect(eth.processor.bookSync?.book.bids.size).toBeGreaterThan(1000);
    // Tickers are pushed on their own schedule: most, not all, land on the same top of book.
    expect(eth.agreement.same).toBeGreaterThanOrEqual(60);
    expect(eth.agreement.same).toBeGreaterThan(2 * eth.agreement.different);
  });

  it("reads trades by the taker's side (Coinbase's side is the maker's: SELL prints at the ask are buys), tickers and 5-minute bars", () => {
    const btc = replay('BTC-USD');
    expect(btc.problems).toEqual([]);
    const trades = btc.events.filter((e) => e.kind === 'trade');
    expect(trades.length).toBeGreaterThan(20);
    let atAskBuys = 0;
    let atAskSells = 0;
    let ask: number | undefined;
    for (const e of btc.events) {
      if (e.kind === 'ticker') ask = e.ask;
      if (e.kind === 'trade' && ask !== undefined && e.price >= ask) {
        if (e.side === 'buy') atAskBuys += 1;
        else atAskSells += 1;
      }
    }
    expect(atAskBuys).toBeGreaterThan(10 * Math.max(1, atAskSells));
    const bars = btc.events.filter((e) => e.kind === 'candle' && e.timeframe === '5m');
    expect(bars.length).toBeGreaterThan(10);
    // Only the newest 5-minute bar is forming.
    const forming = new Set(bars.filter((c) => c.kind === 'candle' && !c.closed).map((c) => (c.kind === 'candle' ? c.openTime : 0)));
    expect(forming.size).toBe(1);
  });

  it('a frame lost from the ETH-USD book leaves wrong levels that only the connection sequence can tell, and every frame carries it', () => {
    for (const frame of frames) expect(COINBASE_CODEC.classify(frame.data).seq).toBe(frame.seq);
    const l2 = frames.filter((f) => f.channel === 'l2_data').map((f) => f.seq);
    // The last update: nothing after it puts its levels right.
    const lost = l2.at(-1) ?? -1;
    const eth = replay('ETH-USD', (seq) => seq === lost);
    const whole = replay('ETH-USD');
    // Without the sequence check the book would go on, wrong: it differs from the whole one.
    const levels = (r: typeof eth) => r.processor.bookSync?.book.top(100_000);
    expect(levels(eth)).not.toEqual(levels(whole));
  });
});

describe('Kraken book checksum: the documented v2 vector and the real v1 capture', () => {
  const level = ([priceStr, sizeStr]: readonly string[]) => ({ priceStr: priceStr ?? '', sizeStr: sizeStr ?? '' });

  it('computes the documented v2 example: 3310070434', () => {
    const vector = readKrakenVector();
    const asks = vector.asks.map(level);
    const bids = vector.bids.map(level);
    expect(krakenChecksumString(asks, bids)).toBe(vector.asksString + vector.bidsString);
    const sync = new BookSync<{ bids: typeof bids; asks: typeof asks }>({ step: () => undefined, bids: (m) => m.bids, asks: (m) => m.asks });
    sync.onMessage('snapshot', { bids, asks });
    expect(krakenChecksum(sync.book)).toBe(3310070434);
    expect(vector.expectedChecksum).toBe(3310070434);
  });

  it('keeps v2 spelling through the decimal-preserving parse; a plain JSON.parse would lose it and fail the checksum', () => {
    const vector = readKrakenVector();
    const side = (levels: readonly (readonly [string, string])[]) => `[${levels.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}]`;
    const text = `{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":${side(vector.bids)},"asks":${side(vector.asks)},"checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]}`;
    const sink = sinkFor();
    const processor = new KrakenFeedProcessor('BTC/USD', { depth: 10 }, sink);
    processor.handleFrame(text, 1);
    expect(sink.broken).toEqual([]);
    expect(processor.bookSync?.state).toBe('valid');
    expect(processor.bookSync?.verifiedChecksums).toBe(1);
    expect((parseKrakenFrame('{"channel":"book","data":[{"price":45281.0,"qty":1.5e-7}]}') as { data: { price: string; qty: string }[] }).data[0]).toEqual({
      price: '45281.0',
      qty: '1.5e-7',
    });
    // Doubles forget the zeros Kraken's checksum counts.
    const plain = JSON.parse(text) as { data: { bids: { price: number; qty: number }[]; asks: { price: number; qty: number }[] }[] };
    const lossy = (rows: { price: number; qty: number }[]) => rows.map((r) => ({ priceStr: String(r.price), sizeStr: String(r.qty) }));
    expect(krakenChecksumString(lossy(plain.data[0]?.asks ?? []), lossy(plain.data[0]?.bids ?? []))).not.toBe(vector.asksString + vector.bidsString);
  });

  it('rebuilds all 10 books of the v1 capture (depth 1000, cut after every update) and matches 4,269 of 4,269 checksums', () => {
    const messages = readKrakenV1Books();
    const adapter: BookMessageAdapter<V1BookMessage> = {
      step: () => undefined,
      bids: (m) => m.bids.map(level),
      asks: (m) => m.asks.map(level),
      checksum: (book, m) => (m.checksum === undefined ? undefined : { expected: m.checksum, computed: krakenChecksum(book) }),
    };
    const books = new Map<string, BookSync<V1BookMessage>>();
    const failures: string[] = [];
    for (const m of messages) {
      let sync = books.get(m.pair);
      if (sync === undefined) {
        sync = new BookSync(adapter, { depth: 1000 });
        books.set(m.pair, sync);
      }
      const result = sync.onMessage(m.type, m);
      if (result.type === 'checksum' || result.type === 'malformed') failures.push(`${m.pair}: ${result.type}`);
    }
    expect(failures).toEqual([]);
    expect(books.size).toBe(10);
    const verified = [...books.values()].reduce((n, s) => n + s.verifiedChecksums, 0);
    expect(verified).toBe(4269);
    for (const [pair, sync] of books) {
      expect(sync.state, pair).toBe('valid');
      expect(sync.book.isCrossed(), pair).toBe(false);
      expect(sync.book.bids.size, pair).toBeLessThanOrEqual(1000);
    }
  });

  it('catches a lost v1 update by the next checksum', () => {
    const messages = readKrakenV1Books();
    const xmr = messages.filter((m) => m.pair === 'XMR/USD');
    const lost = xmr.find((m, i) => i > 50 && m.type === 'update' && m.bids.concat(m.asks).length > 0);
    const adapter: BookMessageAdapter<V1BookMessage> = {
      step: () => undefined,
      bids: (m) => m.bids.map(level),
      asks: (m) => m.asks.map(level),
      checksum: (book, m) => (m.checksum === undefined ? undefined : { expected: m.checksum, computed: krakenChecksum(book) }),
    };
    const sync = new BookSync(adapter, { depth: 1000 });
    const results = xmr.filter((m) => m !== lost).map((m) => sync.onMessage(m.type, m).type);
    expect(results).toContain('checksum');
    expect(sync.state).toBe('invalid');
  });
});
