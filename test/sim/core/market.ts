// A generated market for one instrument (the simulators of every venue share it; OKX formats
// are its native output): a random-walk mid price, a
// 400-level book with a valid seqId/prevSeqId chain, aggregated trades, tickers and candles.
// Checksums are OKX's CRC32 ('real', computed here independently of the app) or 0 (2026 mode).

import zlib from 'node:zlib';

export interface SimInstrument {
  readonly instId: string;
  readonly instType: 'SPOT' | 'SWAP' | 'FUTURES';
  readonly price: number;
  readonly tickSz: string;
  readonly lotSz: string;
}

export type Level = [string, string, string, string];

export interface BookMessage {
  readonly asks: Level[];
  readonly bids: Level[];
  readonly ts: string;
  readonly checksum: number;
  readonly prevSeqId: number;
  readonly seqId: number;
}

/** What a perpetual's venue publishes beside its book (prices and amounts as decimal strings). */
export interface SimDerivatives {
  readonly mark: string;
  readonly index: string;
  /** Of the current funding period, as a fraction (0.0001 = 0.01 %). */
  readonly fundingRate: string;
  readonly nextFundingTime: number;
  /** In the base asset. */
  readonly openInterest: string;
  readonly ts: number;
}

const FUNDING_PERIOD_MS = 8 * 3_600_000;

export interface StepOutput {
  readonly book: BookMessage;
  readonly trades: Record<string, string | number>[];
  readonly ticker: Record<string, string>;
}

const DEPTH = 400;
const TIMEFRAME_MS: Record<string, number> = {
  '1s': 1000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1H': 3_600_000,
  '2H': 7_200_000,
  '4H': 14_400_000,
  '6H': 21_600_000,
  '12H': 43_200_000,
  '1D': 86_400_000,
  '2D': 172_800_000,
  '3D': 259_200_000,
  '1W': 604_800_000,
  '1M': 2_592_000_000,
  '3M': 7_776_000_000,
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.length - dot - 1;
}

/** Like OKX: fixed precision, no trailing zeros, never exponent notation. */
export function formatDecimal(value: number, decimals: number): string {
  const fixed = value.toFixed(decimals);
  return decimals === 0 ? fixed : fixed.replace(/\.?0+$/, '');
}

interface Candle {
  openTime: number;
  o: number;
  h: number;
  l: number;
  c: number;
  vol: number;
  quote: number;
}

/** OKX's CRC32 over the top 25 levels, written independently of the app's implementation. */
export function simChecksum(bids: readonly Level[], asks: readonly Level[]): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i += 1) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid !== undefined) parts.push(`${bid[0]}:${bid[1]}`);
    if (ask !== undefined) parts.push(`${ask[0]}:${ask[1]}`);
  }
  return zlib.crc32(parts.join(':')) | 0;
}

/**
 * One side of the generated book, kept sorted best first as it changes (a binary search and a
 * splice per change) next to a map by price in insertion order. A tick reads the sorted side
 * several times (trim, trades, ticker, snapshots): sorting 400 levels each time made the
 * simulator, not the client, the bottleneck of every load bench on a 2-core machine.
 */
class SimSide {
  private readonly byPrice = new Map<string, Level>();
  /** Best first: ascending `rank` (the price, negated for bids). */
  private readonly ranks: number[] = [];
  private readonly levels: Level[] = [];

  constructor(private readonly bid: boolean) {}

  get size(): number {
    return this.byPrice.size;
  }

  has(price: string): boolean {
    return this.byPrice.has(price);
  }

  /** Prices in the order they were first set (what `resizeLevel` cycles through). */
  prices(): IterableIterator<string> {
    return this.byPrice.keys();
  }

  set(price: string, size: string, orders: number): void {
    const level: Level = [price, size, '0', String(orders)];
    const rank = this.rankOf(price);
    const at = this.indexOf(rank);
    if (this.byPrice.has(price)) this.levels[at] = level;
    else {
      this.ranks.splice(at, 0, rank);
      this.levels.splice(at, 0, level);
    }
    this.byPrice.set(price, level);
  }

  delete(price: string): boolean {
    if (!this.byPrice.delete(price)) return false;
    const at = this.indexOf(this.rankOf(price));
    this.ranks.splice(at, 1);
    this.levels.splice(at, 1);
    return true;
  }

  best(): Level | undefined {
    return this.levels[0];
  }

  /** The best `n` levels (all by default), best first; a copy. */
  top(n = this.levels.length): Level[] {
    return this.levels.slice(0, n);
  }

  /** Prices of the levels from the best while `crosses` holds for their price. */
  bestWhile(crosses: (price: number) => boolean): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.levels.length; i += 1) {
      const rank = this.ranks[i] ?? 0;
      if (!crosses(this.bid ? -rank : rank)) break;
      out.push(this.levels[i]?.[0] ?? '');
    }
    return out;
  }

  private rankOf(price: string): number {
    return this.bid ? -Number(price) : Number(price);
  }

  /** The first index whose rank is not below `rank`. */
  private indexOf(rank: number): number {
    let lo = 0;
    let hi = this.ranks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ranks[mid] ?? 0) < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class GeneratedMarket {
  readonly instrument: SimInstrument;
  private readonly rand: () => number;
  /** Its own stream, so that derivative figures never change the book and trades of a seed. */
  private readonly derivativeRand: () => number;
  private openInterest = 0;
  private readonly tick: number;
  private readonly priceDecimals: number;
  private readonly sizeDecimals: number;
  private readonly bids = new SimSide(true);
  private readonly asks = new SimSide(false);
  private mid: number;
  seqId: number;
  private tradeId = 100_000_000;
  private tradeSeq = 0;
  private last: number;
  private readonly open24h: number;
  private high24h: number;
  private low24h: number;
  private vol24h = 0;
  private readonly candles = new Map<string, Candle>();
  /** Candles whose period ended and whose final (`confirm: "1"`) row is not sent yet. */
  private readonly closedPending = new Map<string, Candle>();

  constructor(
    instrument: SimInstrument,
    seed: number,
    private readonly checksumMode: 'real' | 'zero',
  ) {
    this.instrument = instrument;
    this.rand = mulberry32(seed);
    this.derivativeRand = mulberry32(seed ^ 0x5f3759df);
    this.tick = Number(instrument.tickSz);
    this.priceDecimals = decimalsOf(instrument.tickSz);
    this.sizeDecimals = instrument.instType === 'SPOT' ? Math.max(4, decimalsOf(instrument.lotSz)) : 0;
    this.mid = Math.round(instrument.price / this.tick) * this.tick;
    this.seqId = 1_000_000 + Math.floor(this.rand() * 1_000_000);
    this.last = this.mid;
    this.open24h = this.mid;
    this.high24h = this.mid;
    this.low24h = this.mid;
    for (let i = 1; i <= DEPTH; i += 1) {
      this.bids.set(this.px(this.mid - i * this.tick), this.randomSize(i), 1 + Math.floor(this.rand() * 5));
      this.asks.set(this.px(this.mid + i * this.tick), this.randomSize(i), 1 + Math.floor(this.rand() * 5));
    }
  }

  /** Full book as an OKX snapshot (prevSeqId -1). */
  snapshot(now: number, depth = DEPTH): BookMessage {
    const bids = this.bids.top(depth);
    const asks = this.asks.top(depth);
    return { asks, bids, ts: String(now), checksum: this.checksum(bids, asks), prevSeqId: -1, seqId: this.seqId };
  }

  /** No-change keep-alive: empty update with prevSeqId == seqId. */
  keepAlive(now: number): BookMessage {
    return { asks: [], bids: [], ts: String(now), checksum: this.checksumOfBook(), prevSeqId: this.seqId, seqId: this.seqId };
  }

  /**
   * A cheap update for bursts: the size of one resting level (the `n`-th level from an existing
   * bid or ask, cycling) changes and the sequence moves by one. O(1), unlike a full tick.
   */
  resizeLevel(now: number, n: number): BookMessage {
    const side = n % 2 === 0 ? this.bids : this.asks;
    let price: string | undefined;
    let i = 0;
    for (const key of side.prices()) {
      if (i === n % 7) {
        price = key;
        break;
      }
      i += 1;
    }
    const prevSeqId = this.seqId;
    this.seqId += 1;
    if (price === undefined) return { asks: [], bids: [], ts: String(now), checksum: this.checksumOfBook(), prevSeqId, seqId: this.seqId };
    const size = this.randomSize(1 + (n % 40));
    const orders = 1 + (n % 9);
    side.set(price, size, orders);
    const level: Level = [price, size, '0', String(orders)];
    return {
      asks: side === this.asks ? [level] : [],
      bids: side === this.bids ? [level] : [],
      ts: String(now),
      checksum: this.checksumMode === 'zero' ? 0 : this.checksumOfBook(),
      prevSeqId,
      seqId: this.seqId,
    };
  }

  /** Advances the market by one tick. `reset` makes the new seqId smaller than the previous one. */
  step(now: number, timeframes: readonly string[], reset = false): StepOutput {
    const changedBids = new Map<string, Level>();
    const changedAsks = new Map<string, Level>();
    const setLevel = (side: 'bid' | 'ask', price: string, size: string, orders: number): void => {
      const book = side === 'bid' ? this.bids : this.asks;
      if (size === '0') {
        if (!book.delete(price)) return;
      } else {
        book.set(price, size, orders);
      }
      (side === 'bid' ? changedBids : changedAsks).set(price, [price, size, '0', String(size === '0' ? 0 : orders)]);
    };

    // Move the mid a few ticks and clear whatever would cross it.
    const move = Math.round((this.rand() - 0.5) * 6) * this.tick;
    this.mid = Math.max(this.tick * 10, this.mid + move);
    for (const price of this.bids.bestWhile((p) => p >= this.mid)) setLevel('bid', price, '0', 0);
    for (const price of this.asks.bestWhile((p) => p <= this.mid)) setLevel('ask', price, '0', 0);
    // Refill the inside and churn some levels near the top.
    for (let i = 1; i <= 3; i += 1) {
      const bid = this.px(this.mid - i * this.tick);
      const ask = this.px(this.mid + i * this.tick);
      if (!this.bids.has(bid)) setLevel('bid', bid, this.randomSize(i), 1);
      if (!this.asks.has(ask)) setLevel('ask', ask, this.randomSize(i), 1);
    }
    const churn = 3 + Math.floor(this.rand() * 8);
    for (let i = 0; i < churn; i += 1) {
      const side = this.rand() < 0.5 ? 'bid' : 'ask';
      const distance = 1 + Math.floor(this.rand() * 60);
      const price = this.px(side === 'bid' ? this.mid - distance * this.tick : this.mid + distance * this.tick);
      setLevel(side, price, this.rand() < 0.15 ? '0' : this.randomSize(distance), 1 + Math.floor(this.rand() * 9));
    }
    this.trim('bid', setLevel);
    this.trim('ask', setLevel);

    const trades = this.makeTrades(now, timeframes);
    const prevSeqId = this.seqId;
    this.seqId = reset ? Math.max(0, Math.floor(prevSeqId / 2)) : prevSeqId + 1 + Math.floor(this.rand() * 40);
    const book: BookMessage = {
      asks: [...changedAsks.values()],
      bids: [...changedBids.values()],
      ts: String(now),
      checksum: this.checksumOfBook(),
      prevSeqId,
      seqId: this.seqId,
    };
    for (const timeframe of timeframes) this.candleFor(timeframe, now);
    return { book, trades, ticker: this.ticker(now) };
  }

  private makeTrades(now: number, timeframes: readonly string[]): Record<string, string | number>[] {
    const trades: Record<string, string | number>[] = [];
    const count = Math.floor(this.rand() * 3);
    for (let i = 0; i < count; i += 1) {
      const side = this.rand() < 0.5 ? 'buy' : 'sell';
      const best = side === 'buy' ? this.asks.best() : this.bids.best();
      if (best === undefined) continue;
      const fills = 1 + Math.floor(this.rand() * 4);
      const size = this.randomSize(1);
      this.tradeId += fills;
      this.tradeSeq += 1;
      const price = Number(best[0]);
      this.last = price;
      this.high24h = Math.max(this.high24h, price);
      this.low24h = Math.min(this.low24h, price);
      this.vol24h += Number(size);
      for (const timeframe of timeframes) this.addToCandle(timeframe, now, price, Number(size));
      trades.push({
        instId: this.instrument.instId,
        tradeId: String(this.tradeId),
        px: best[0],
        sz: size,
        side,
        ts: String(now),
        count: String(fills),
        source: '0',
        seqId: this.seqId + this.tradeSeq,
      });
    }
    return trades;
  }

  private addToCandle(timeframe: string, now: number, price: number, size: number): void {
    const candle = this.candleFor(timeframe, now);
    candle.h = Math.max(candle.h, price);
    candle.l = Math.min(candle.l, price);
    candle.c = price;
    candle.vol += size;
    candle.quote += size * price;
  }

  private candleFor(timeframe: string, now: number): Candle {
    const span = TIMEFRAME_MS[timeframe] ?? 60_000;
    const openTime = Math.floor(now / span) * span;
    let candle = this.candles.get(timeframe);
    if (candle === undefined || candle.openTime !== openTime) {
      if (candle !== undefined) this.closedPending.set(timeframe, candle);
      candle = { openTime, o: this.last, h: this.last, l: this.last, c: this.last, vol: 0, quote: 0 };
      this.candles.set(timeframe, candle);
    }
    return candle;
  }

  /**
   * Forming candle per timeframe, preceded by the final row (`confirm: "1"`) of the candle
   * whose period ended since the last push, as OKX sends it.
   */
  candleRows(now: number, timeframes: readonly string[]): Map<string, string[][]> {
    const rows = new Map<string, string[][]>();
    for (const timeframe of timeframes) {
      const current = this.candleFor(timeframe, now);
      const out: string[][] = [];
      const closed = this.closedPending.get(timeframe);
      this.closedPending.delete(timeframe);
      if (closed !== undefined) out.push(this.candleRow(closed, '1'));
      out.push(this.candleRow(current, '0'));
      rows.set(timeframe, out);
    }
    return rows;
  }

  private candleRow(c: Candle, confirm: '0' | '1'): string[] {
    const p = (v: number): string => formatDecimal(v, this.priceDecimals);
    const v = formatDecimal(c.vol, 8);
    const q = formatDecimal(c.quote, 8);
    return [String(c.openTime), p(c.o), p(c.h), p(c.l), p(c.c), v, q, q, confirm];
  }

  /** `limit` candles of `timeframe` ending with the current one, newest first (as OKX's REST). */
  history(timeframe: string, limit: number, now: number): string[][] {
    const span = TIMEFRAME_MS[timeframe] ?? 60_000;
    const current = Math.floor(now / span) * span;
    const rows: string[][] = [];
    let close = this.last;
    const volatility = this.last * 0.002 * Math.sqrt(span / 60_000);
    for (let i = 0; i < limit; i += 1) {
      const openTime = current - i * span;
      const open = Math.max(this.tick, close + (this.rand() - 0.5) * 2 * volatility);
      const high = Math.max(open, close) + this.rand() * volatility * 0.6;
      const low = Math.max(this.tick, Math.min(open, close) - this.rand() * volatility * 0.6);
      const vol = this.rand() * 50 * (span / 60_000);
      const p = (v: number): string => formatDecimal(v, this.priceDecimals);
      rows.push([
        String(openTime),
        p(open),
        p(high),
        p(low),
        p(close),
        formatDecimal(vol, 8),
        formatDecimal(vol * close, 8),
        formatDecimal(vol * close, 8),
        i === 0 ? '0' : '1',
      ]);
      close = open;
    }
    return rows;
  }

  /**
   * Mark and index a few basis points either side of the mid (the basis swings slowly), funding
   * drifting around 0.01 % a period of eight hours, open interest walking.
   */
  derivatives(now: number): SimDerivatives {
    if (this.openInterest === 0) this.openInterest = (2_000_000 / this.instrument.price) * (1 + this.derivativeRand());
    this.openInterest = Math.max(1e-6, this.openInterest * (1 + (this.derivativeRand() - 0.5) * 0.002));
    const basis = Math.sin(now / 600_000) * 0.0004;
    const p = (v: number): string => formatDecimal(Math.round(v / this.tick) * this.tick, this.priceDecimals);
    return {
      mark: p(this.mid * (1 + basis / 2)),
      index: p(this.mid * (1 - basis / 2)),
      fundingRate: formatDecimal(0.0001 + Math.sin(now / 3_600_000) * 0.00005, 8),
      nextFundingTime: Math.ceil((now + 1) / FUNDING_PERIOD_MS) * FUNDING_PERIOD_MS,
      openInterest: formatDecimal(this.openInterest, 4),
      ts: now,
    };
  }

  ticker(now: number): Record<string, string> {
    const bid = this.bids.best();
    const ask = this.asks.best();
    const p = (v: number): string => formatDecimal(v, this.priceDecimals);
    return {
      instType: this.instrument.instType,
      instId: this.instrument.instId,
      last: p(this.last),
      lastSz: this.randomSize(1),
      askPx: ask?.[0] ?? '',
      askSz: ask?.[1] ?? '',
      bidPx: bid?.[0] ?? '',
      bidSz: bid?.[1] ?? '',
      open24h: p(this.open24h),
      high24h: p(this.high24h),
      low24h: p(this.low24h),
      volCcy24h: formatDecimal(this.vol24h * this.last, 8),
      vol24h: formatDecimal(this.vol24h, 8),
      sodUtc0: p(this.open24h),
      sodUtc8: p(this.open24h),
      ts: String(now),
    };
  }

  private trim(side: 'bid' | 'ask', setLevel: (side: 'bid' | 'ask', price: string, size: string, orders: number) => void): void {
    const book = side === 'bid' ? this.bids : this.asks;
    if (book.size <= DEPTH) return;
    for (const level of book.top().slice(DEPTH)) setLevel(side, level[0], '0', 0);
  }

  /** The side's levels, best first (a copy). */
  sorted(side: 'bid' | 'ask'): Level[] {
    return (side === 'bid' ? this.bids : this.asks).top();
  }

  private checksumOfBook(): number {
    if (this.checksumMode === 'zero') return 0;
    return this.checksum(this.bids.top(25), this.asks.top(25));
  }

  private checksum(bids: Level[], asks: Level[]): number {
    return this.checksumMode === 'zero' ? 0 : simChecksum(bids, asks);
  }

  private px(value: number): string {
    return formatDecimal(value, this.priceDecimals);
  }

  private randomSize(distance: number): string {
    const scale = this.instrument.instType === 'SPOT' ? 0.01 + this.rand() * (0.5 + distance / 50) : 1 + Math.floor(this.rand() * 200);
    return formatDecimal(Math.max(Number(this.instrument.lotSz), scale), this.sizeDecimals);
  }
}

/**
 * The last books of a market by sequence id, as `price:size` strings per side, so that a test
 * can compare a client's book with the truth at the id the client reached (bounded).
 */
export class BookHistory {
  private readonly books = new Map<number, { bids: string[]; asks: string[] }>();

  constructor(private readonly capacity = 512) {}

  record(id: number, market: GeneratedMarket): void {
    const side = (s: 'bid' | 'ask'): string[] => market.sorted(s).map((l) => `${l[0]}:${l[1]}`);
    this.books.delete(id);
    this.books.set(id, { bids: side('bid'), asks: side('ask') });
    if (this.books.size > this.capacity) {
      const oldest = this.books.keys().next();
      if (oldest.done !== true) this.books.delete(oldest.value);
    }
  }

  at(id: number): { bids: string[]; asks: string[] } | undefined {
    return this.books.get(id);
  }
}
