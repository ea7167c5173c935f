// Frames folded into one pending batch between two display frames (see frame-pump.ts): books
// whole (deltas applied, see lib/book-delta.ts), trades appended (bounded), the newest ticker
// and candles. Free of the DOM and of React, so that it is tested in Node.

import { applyBookFrame, applyStatusFrame, applyTickerFrame, tradePrints } from '../lib/book-delta.js';
import type { CandleFrame, CollectorStatus, MarketFrame, ShownBook, TickerQuote, TradePrint } from '../../../main/contract.js';

/** Trades kept per symbol for the tape. */
export const MAX_TRADES = 500;
/** Live candles kept per symbol and timeframe (the chart keeps the whole series itself). */
export const LIVE_CANDLES = 6;

export interface FrameBatch {
  readonly books: Map<string, ShownBook>;
  readonly trades: Map<string, TradePrint[]>;
  /**
   * Per symbol, trades of the batch's time that the page will never see: left out by the host
   * (a busy frame) or beyond what the batch keeps. Rolling volumes count them as unknown.
   */
  readonly missed: Map<string, { at: number; count: number }>;
  readonly tickers: Map<string, TickerQuote>;
  /** Per `id|timeframe`, the candles of the batch by open time. */
  readonly candles: Map<string, Map<number, CandleFrame>>;
  /** Every collector's status (changes applied), when a frame of the batch had statuses. */
  statuses: Map<string, CollectorStatus> | null;
  coalesced: number;
  frames: number;
  at: number;
}

export function emptyBatch(): FrameBatch {
  return { books: new Map(), trades: new Map(), missed: new Map(), tickers: new Map(), candles: new Map(), statuses: null, coalesced: 0, frames: 0, at: 0 };
}

export const candleKey = (id: string, timeframe: string): string => `${id}|${timeframe}`;

/** What mergeFrame needs beyond the batch: what the page holds, and where to ask for one again. */
export interface PageHolds {
  held(id: string): ShownBook | undefined;
  /** The ticker the page holds. */
  heldTicker(id: string): TickerQuote | undefined;
  /** The collector status the page holds. */
  heldStatus(id: string): CollectorStatus | undefined;
  /**
   * The page cannot apply a change of this symbol (a book delta to another version, a ticker or
   * status change to one it does not hold): ask for its book, ticker and status whole.
   */
  lost(id: string): void;
}

/** Folds a frame into a pending batch; the batch stays bounded however many frames arrive. */
export function mergeFrame(batch: FrameBatch, frame: MarketFrame, holds: PageHolds): void {
  for (const book of frame.books) {
    const whole = applyBookFrame(batch.books.get(book.id) ?? holds.held(book.id), book, frame.at);
    if (whole === undefined) holds.lost(book.id);
    else batch.books.set(book.id, whole);
  }
  for (const { id, trades, skipped } of frame.trades) {
    const list = batch.trades.get(id) ?? [];
    list.push(...tradePrints(trades, frame.at));
    const over = list.length - MAX_TRADES;
    if (over > 0) list.splice(0, over);
    batch.trades.set(id, list);
    const lost = skipped + Math.max(0, over);
    if (lost > 0) batch.missed.set(id, { at: frame.at, count: (batch.missed.get(id)?.count ?? 0) + lost });
  }
  for (const ticker of frame.tickers) {
    const whole = applyTickerFrame(batch.tickers.get(ticker.id) ?? holds.heldTicker(ticker.id), ticker);
    if (whole === undefined) holds.lost(ticker.id);
    else batch.tickers.set(ticker.id, whole);
  }
  for (const candle of frame.candles) {
    const key = candleKey(candle.id, candle.timeframe);
    const series = batch.candles.get(key) ?? new Map<number, CandleFrame>();
    series.set(candle.openTime, candle);
    batch.candles.set(key, series);
  }
  if (frame.statuses !== null) {
    // The frame lists every collector there is: those it leaves out are gone.
    const before = batch.statuses;
    const statuses = new Map<string, CollectorStatus>();
    for (const status of frame.statuses) {
      const whole = applyStatusFrame(before === null ? holds.heldStatus(status.id) : before.get(status.id), status);
      if (whole === undefined) holds.lost(status.id);
      else statuses.set(status.id, whole);
    }
    batch.statuses = statuses;
  }
  batch.coalesced = frame.coalesced;
  batch.frames += 1;
  batch.at = frame.at;
}
