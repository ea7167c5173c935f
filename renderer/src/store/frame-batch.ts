// Frames folded into one pending batch between two display frames (see frame-pump.ts): books
// whole (deltas applied, see lib/book-delta.ts), trades appended (bounded), the newest ticker
// and candles. Free of the DOM and of React, so that it is tested in Node.

import { applyBookFrame, applyTickerFrame } from '../lib/book-delta.js';
import type { BookFrame, CandleFrame, CollectorStatus, MarketFrame, TickerFrame, TradePrint } from '../../../main/contract.js';

/** Trades kept per symbol for the tape. */
export const MAX_TRADES = 500;
/** Live candles kept per symbol and timeframe (the chart keeps the whole series itself). */
export const LIVE_CANDLES = 6;

export interface FrameBatch {
  readonly books: Map<string, BookFrame>;
  readonly trades: Map<string, TradePrint[]>;
  readonly tickers: Map<string, TickerFrame>;
  /** Per `id|timeframe`, the candles of the batch by open time. */
  readonly candles: Map<string, Map<number, CandleFrame>>;
  statuses: readonly CollectorStatus[] | null;
  coalesced: number;
  frames: number;
  at: number;
}

export function emptyBatch(): FrameBatch {
  return { books: new Map(), trades: new Map(), tickers: new Map(), candles: new Map(), statuses: null, coalesced: 0, frames: 0, at: 0 };
}

export const candleKey = (id: string, timeframe: string): string => `${id}|${timeframe}`;

/** What mergeFrame needs beyond the batch: the books the page holds, and where to ask for one again. */
export interface BookKeeping {
  held(id: string): BookFrame | undefined;
  /** The ticker the page holds. */
  heldTicker(id: string): TickerFrame | undefined;
  /** The page cannot apply a delta of this book (it holds another version): ask for it whole. */
  lost(id: string): void;
}

/** Folds a frame into a pending batch; the batch stays bounded however many frames arrive. */
export function mergeFrame(batch: FrameBatch, frame: MarketFrame, books: BookKeeping): void {
  for (const book of frame.books) {
    const whole = applyBookFrame(batch.books.get(book.id) ?? books.held(book.id), book);
    if (whole === undefined) books.lost(book.id);
    else batch.books.set(book.id, whole);
  }
  for (const { id, trades } of frame.trades) {
    const list = batch.trades.get(id) ?? [];
    list.push(...trades);
    if (list.length > MAX_TRADES) list.splice(0, list.length - MAX_TRADES);
    batch.trades.set(id, list);
  }
  for (const ticker of frame.tickers) {
    const whole = applyTickerFrame(batch.tickers.get(ticker.id) ?? books.heldTicker(ticker.id), ticker);
    if (whole !== undefined) batch.tickers.set(ticker.id, whole);
  }
  for (const candle of frame.candles) {
    const key = candleKey(candle.id, candle.timeframe);
    const series = batch.candles.get(key) ?? new Map<number, CandleFrame>();
    series.set(candle.openTime, candle);
    batch.candles.set(key, series);
  }
  if (frame.statuses !== null) batch.statuses = frame.statuses;
  batch.coalesced = frame.coalesced;
  batch.frames += 1;
  batch.at = frame.at;
}
