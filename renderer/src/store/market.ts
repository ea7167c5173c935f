// Market data in the UI: one zustand store, written once per animation frame by the frame
// batcher, read by components through selectors. Everything per symbol is bounded.

import { create } from 'zustand';
import { useNow } from '../lib/hooks';
import type { BookFrame, CandleFrame, CollectorStatus, MarketFrame, TickerFrame, TradePrint } from '../../../main/contract';

/** Trades kept per symbol for the tape. */
export const MAX_TRADES = 500;
/** Live candles kept per symbol and timeframe (the chart keeps the whole series itself). */
const LIVE_CANDLES = 6;

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

/** Folds a frame into a pending batch; the batch stays bounded however many frames arrive. */
export function mergeFrame(batch: FrameBatch, frame: MarketFrame): void {
  for (const book of frame.books) batch.books.set(book.id, book);
  for (const { id, trades } of frame.trades) {
    const list = batch.trades.get(id) ?? [];
    list.push(...trades);
    if (list.length > MAX_TRADES) list.splice(0, list.length - MAX_TRADES);
    batch.trades.set(id, list);
  }
  for (const ticker of frame.tickers) batch.tickers.set(ticker.id, ticker);
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

export interface MarketState {
  readonly books: Readonly<Record<string, BookFrame>>;
  readonly trades: Readonly<Record<string, readonly TradePrint[]>>;
  readonly tickers: Readonly<Record<string, TickerFrame>>;
  /** The newest live candles per `id|timeframe` (a few, oldest first); charts merge every one. */
  readonly liveCandles: Readonly<Record<string, readonly CandleFrame[]>>;
  readonly statuses: Readonly<Record<string, CollectorStatus>>;
  readonly framesReceived: number;
  readonly framesCoalesced: number;
  readonly lastFrameAt: number | null;
  /** Host clock minus page clock, from the newest frame (ages are measured in host time). */
  readonly hostOffsetMs: number;
  readonly apply: (batch: FrameBatch) => void;
  readonly forget: (id: string) => void;
}

export const useMarket = create<MarketState>()((set) => ({
  books: {},
  trades: {},
  tickers: {},
  liveCandles: {},
  statuses: {},
  framesReceived: 0,
  framesCoalesced: 0,
  lastFrameAt: null,
  hostOffsetMs: 0,
  apply: (batch) =>
    set((state) => {
      const next: { -readonly [K in keyof MarketState]?: MarketState[K] } = {
        framesReceived: state.framesReceived + batch.frames,
        framesCoalesced: batch.coalesced,
        lastFrameAt: batch.at,
        hostOffsetMs: batch.frames > 0 ? batch.at - Date.now() : state.hostOffsetMs,
      };
      if (batch.books.size > 0) next.books = { ...state.books, ...Object.fromEntries(batch.books) };
      if (batch.tickers.size > 0) next.tickers = { ...state.tickers, ...Object.fromEntries(batch.tickers) };
      if (batch.candles.size > 0) {
        const live = { ...state.liveCandles };
        for (const [key, fresh] of batch.candles) {
          const byTime = new Map((live[key] ?? []).map((c) => [c.openTime, c]));
          for (const [openTime, candle] of fresh) byTime.set(openTime, candle);
          live[key] = [...byTime.values()].sort((a, b) => a.openTime - b.openTime).slice(-LIVE_CANDLES);
        }
        next.liveCandles = live;
      }
      if (batch.trades.size > 0) {
        const trades = { ...state.trades };
        for (const [id, fresh] of batch.trades) {
          const merged = [...(trades[id] ?? []), ...fresh];
          trades[id] = merged.length > MAX_TRADES ? merged.slice(merged.length - MAX_TRADES) : merged;
        }
        next.trades = trades;
      }
      if (batch.statuses !== null) next.statuses = Object.fromEntries(batch.statuses.map((s) => [s.id, s]));
      return next;
    }),
  forget: (id) =>
    set((state) => {
      const drop = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
        Object.fromEntries(Object.entries(record).filter(([key]) => key !== id && !key.startsWith(`${id}|`)));
      return {
        books: drop(state.books),
        trades: drop(state.trades),
        tickers: drop(state.tickers),
        liveCandles: drop(state.liveCandles),
        statuses: drop(state.statuses),
      };
    }),
}));

/** Host time, re-read every `ms`: ages of stale books and feeds keep counting between frames. */
export function useHostNow(ms = 1000): number {
  const now = useNow(ms);
  const offset = useMarket((s) => s.hostOffsetMs);
  return now + offset;
}
