// Candles built from trades, for the timeframes Coinbase's socket does not carry (it streams
// 5-minute bars only). A bar is only shown when it is whole: either seeded from the venue's
// REST bar (with the trades after it added), or started at a period boundary seen live. Until
// then the trades of the period in progress wait (bounded); after frames were lost, the
// current bar is dropped until the next boundary or seed. A bar closes when a later one starts.

import { timeframeMs } from '../../core/timeframes.js';
import type { Candle } from '../../core/types.js';

export interface BuilderTrade {
  readonly ts: number;
  readonly price: number;
  readonly size: number;
}

interface Bar {
  readonly openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  lastTs: number;
}

const MAX_PENDING = 20_000;

/** A number as a short decimal string (sums of decimal sizes carry float noise). */
function decimalString(value: number): string {
  return String(Number(value.toPrecision(15)));
}

export class TradeCandleBuilder {
  private readonly span: number;
  private bar: Bar | undefined;
  /** Whether the current bar holds every trade of its period. */
  private whole = false;
  /** The period whose start was missed, and its trades waiting for a seed. */
  private partialPeriod: number | undefined;
  private pending: BuilderTrade[] = [];

  constructor(
    readonly timeframe: string,
    private readonly base: Pick<Candle, 'exchange' | 'symbol'>,
  ) {
    const span = timeframeMs(timeframe);
    if (span === undefined) throw new Error(`unknown timeframe ${timeframe}`);
    this.span = span;
  }

  /** One live trade; returns the candles to publish (a closed bar, then the forming one). */
  add(trade: BuilderTrade, receivedAt: number): Candle[] {
    const period = Math.floor(trade.ts / this.span) * this.span;
    if (!this.whole) {
      this.partialPeriod ??= period;
      if (period <= this.partialPeriod) {
        if (this.pending.length < MAX_PENDING) this.pending.push(trade);
        return [];
      }
      // A boundary seen live: this bar is whole from its start.
      this.whole = true;
      this.pending = [];
      this.partialPeriod = undefined;
      this.bar = this.open(period, trade);
      return [this.candle(this.bar, false, receivedAt)];
    }
    const bar = this.bar;
    if (bar === undefined || period > bar.openTime) {
      const out = bar === undefined ? [] : [this.candle(bar, true, receivedAt)];
      this.bar = this.open(period, trade);
      return [...out, this.candle(this.bar, false, receivedAt)];
    }
    // A late print of an earlier bar is not rewritten.
    if (period < bar.openTime) return [];
    this.apply(bar, trade);
    return [this.candle(bar, false, receivedAt)];
  }

  /** The venue's own bar for the current period, as of `asOf`: the trades after it complete it. */
  seed(candle: Candle, asOf: number, receivedAt: number): Candle[] {
    if (this.whole) return [];
    const current = this.partialPeriod ?? Math.floor(asOf / this.span) * this.span;
    if (candle.openTime !== current) return [];
    const bar: Bar = {
      openTime: candle.openTime,
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
      volume: candle.volume,
      quoteVolume: candle.quoteVolume ?? candle.volume * candle.close,
      lastTs: asOf,
    };
    for (const trade of this.pending) if (trade.ts > asOf) this.apply(bar, trade);
    this.pending = [];
    this.partialPeriod = undefined;
    this.whole = true;
    this.bar = bar;
    return [this.candle(bar, false, receivedAt)];
  }

  /** Trades were lost: the current bar is no longer whole. */
  lost(): void {
    this.whole = false;
    this.bar = undefined;
    this.pending = [];
    this.partialPeriod = undefined;
  }

  /** Whether a seed is still wanted. */
  get wantsSeed(): boolean {
    return !this.whole;
  }

  private open(openTime: number, trade: BuilderTrade): Bar {
    return {
      openTime,
      open: trade.price,
      high: trade.price,
      low: trade.price,
      close: trade.price,
      volume: trade.size,
      quoteVolume: trade.size * trade.price,
      lastTs: trade.ts,
    };
  }

  private apply(bar: Bar, trade: BuilderTrade): void {
    bar.high = Math.max(bar.high, trade.price);
    bar.low = Math.min(bar.low, trade.price);
    bar.close = trade.price;
    bar.volume += trade.size;
    bar.quoteVolume += trade.size * trade.price;
    bar.lastTs = Math.max(bar.lastTs, trade.ts);
  }

  private candle(bar: Bar, closed: boolean, receivedAt: number): Candle {
    return {
      kind: 'candle',
      exchange: this.base.exchange,
      symbol: this.base.symbol,
      exchangeTs: bar.lastTs,
      receivedAt,
      timeframe: this.timeframe,
      openTime: bar.openTime,
      open: bar.open,
      openStr: decimalString(bar.open),
      high: bar.high,
      highStr: decimalString(bar.high),
      low: bar.low,
      lowStr: decimalString(bar.low),
      close: bar.close,
      closeStr: decimalString(bar.close),
      volume: bar.volume,
      volumeStr: decimalString(bar.volume),
      quoteVolume: bar.quoteVolume,
      closed,
    };
  }
}
