// SymbolFeed: what the host keeps of one collector for its clients — version counters for the
// book and status, a ring of recent trades, the latest ticker, and bounded candle history.
// Clients read it by version, so a slow client skips versions instead of queueing them.

import type { BaseDataCollector } from '../core/base-collector.js';
import type { Candle, MarketEvent, Ticker } from '../core/types.js';
import type { CollectorStatus } from '../core/collector-status.js';
import type { TradePrint } from './frames.js';
import { TradeFlow } from './trade-flow.js';

export const TRADE_HISTORY = 1000;
export const CANDLE_HISTORY = 500;

interface CandleSeries {
  readonly candles: Candle[];
  version: number;
}

export class SymbolFeed {
  /** Bumped on every book event and status change (a book can turn invalid without data). */
  bookVersion = 0;
  ticker: Ticker | undefined;
  tickerVersion = 0;
  /** Sequence number of the newest trade; trade i of the ring has seq `tradeSeq - (count - 1 - i)`. */
  tradeSeq = 0;
  private readonly trades: TradePrint[] = [];
  private readonly series = new Map<string, CandleSeries>();
  private readonly onData = (event: MarketEvent): void => this.apply(event);
  /** Taker buy and sell volume per minute, for CVD; holes where trades may be missing. */
  readonly flow: TradeFlow;
  private readonly onStatus = (status: CollectorStatus): void => {
    this.bookVersion += 1;
    const counting = status.status === 'running' && !status.staleStreams.includes('trade');
    if (counting) this.flow.resume(Date.now());
    else this.flow.pause(Date.now());
  };

  constructor(readonly collector: BaseDataCollector) {
    this.flow = new TradeFlow();
    collector.on('data', this.onData);
    collector.on('status', this.onStatus);
  }

  get id(): string {
    return this.collector.id;
  }

  /** Trades newer than `afterSeq`, at most `limit` (the newest), and how many were left out. */
  tradesAfter(afterSeq: number, limit: number): { trades: TradePrint[]; skipped: number } {
    const fresh = Math.min(this.tradeSeq - afterSeq, this.trades.length);
    if (fresh <= 0) return { trades: [], skipped: 0 };
    const unseen = this.tradeSeq - afterSeq;
    const take = Math.min(fresh, limit);
    return { trades: this.trades.slice(this.trades.length - take), skipped: unseen - take };
  }

  /** Timeframes with candles, and the version of each series. */
  candleVersions(): [string, number][] {
    return [...this.series].map(([timeframe, s]) => [timeframe, s.version]);
  }

  latestCandle(timeframe: string): Candle | undefined {
    return this.series.get(timeframe)?.candles.at(-1);
  }

  /** The newest `count` candles of `timeframe`, oldest first. */
  recentCandles(timeframe: string, count: number): Candle[] {
    return this.series.get(timeframe)?.candles.slice(-count) ?? [];
  }

  /** Candles seen for `timeframe`, oldest first. */
  candleHistory(timeframe: string): Candle[] {
    return [...(this.series.get(timeframe)?.candles ?? [])];
  }

  dispose(): void {
    this.collector.off('data', this.onData);
    this.collector.off('status', this.onStatus);
  }

  /**
   * A candle is closed when the exchange says so or when a later candle of its timeframe
   * begins; so exactly one candle per timeframe is ever forming. A late final row of an
   * earlier candle (OKX `confirm: "1"` after the next period began) replaces it in place.
   */
  private applyCandle(event: Candle): void {
    let series = this.series.get(event.timeframe);
    if (series === undefined) {
      series = { candles: [], version: 0 };
      this.series.set(event.timeframe, series);
    }
    const candles = series.candles;
    const last = candles.at(-1);
    if (last === undefined || last.openTime < event.openTime) {
      if (last !== undefined && !last.closed) candles[candles.length - 1] = { ...last, closed: true };
      candles.push(event);
      if (candles.length > CANDLE_HISTORY) candles.splice(0, candles.length - CANDLE_HISTORY);
    } else {
      let index = candles.length - 1;
      while (index >= 0 && (candles[index]?.openTime ?? -Infinity) > event.openTime) index -= 1;
      if (index < 0 || candles[index]?.openTime !== event.openTime) return; // older than anything kept
      // Only the newest candle can still be forming, whatever a late row says.
      candles[index] = index === candles.length - 1 ? event : { ...event, closed: true };
    }
    series.version += 1;
  }

  private apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'book_snapshot':
      case 'book_update':
        this.bookVersion += 1;
        return;
      case 'ticker':
        this.ticker = event;
        this.tickerVersion += 1;
        return;
      case 'trade':
        this.trades.push({ tradeId: event.tradeId, side: event.side, price: event.priceStr, size: event.sizeStr, ts: event.exchangeTs, fills: event.fills });
        this.flow.add(event.exchangeTs, event.side, event.size, event.price);
        if (this.trades.length > TRADE_HISTORY) this.trades.splice(0, this.trades.length - TRADE_HISTORY);
        this.tradeSeq += 1;
        return;
      case 'candle':
        this.applyCandle(event);
        return;
    }
  }
}
