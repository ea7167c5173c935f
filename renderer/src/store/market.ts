// Market data in the UI: one zustand store, written once per animation frame by the frame
// batcher, read by components through selectors. Everything per symbol is bounded.

import { create } from 'zustand';
import { FlowWindow } from '../lib/asset-flow';
import { useNow } from '../lib/hooks';
import type { ShownBook, CandleFrame, CollectorStatus, TickerQuote, TradePrint } from '../../../main/contract';
import { LIVE_CANDLES, MAX_TRADES, type FrameBatch } from './frame-batch';

export { MAX_TRADES, candleKey, emptyBatch, mergeFrame, type PageHolds, type FrameBatch } from './frame-batch';

export interface MarketState {
  readonly books: Readonly<Record<string, ShownBook>>;
  readonly trades: Readonly<Record<string, readonly TradePrint[]>>;
  readonly tickers: Readonly<Record<string, TickerQuote>>;
  /** The newest live candles per `id|timeframe` (a few, oldest first); charts merge every one. */
  readonly liveCandles: Readonly<Record<string, readonly CandleFrame[]>>;
  readonly statuses: Readonly<Record<string, CollectorStatus>>;
  /** Per symbol, buy and sell volume of the last five minutes, fed with every trade that arrives. */
  readonly flows: Readonly<Record<string, FlowWindow>>;
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
  flows: {},
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
        const flows = { ...state.flows };
        for (const [id, fresh] of batch.trades) {
          const flow = (flows[id] ??= new FlowWindow());
          for (const t of fresh) flow.add(t.ts, t.side, Number(t.price), Number(t.size));
        }
        for (const [id, { at, count }] of batch.missed) (flows[id] ??= new FlowWindow()).addMissed(at, count);
        next.flows = flows;
      }
      if (batch.statuses !== null) next.statuses = Object.fromEntries(batch.statuses);
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
        flows: drop(state.flows),
      };
    }),
}));

/** Host time, re-read every `ms`: ages of stale books and feeds keep counting between frames. */
export function useHostNow(ms = 1000): number {
  const now = useNow(ms);
  const offset = useMarket((s) => s.hostOffsetMs);
  return now + offset;
}
