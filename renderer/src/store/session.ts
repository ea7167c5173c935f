// Connection, watchlist and the UI's own choices (selected symbol, timeframe, grouping,
// trade filter). Low-frequency state, separate from market data.

import { create } from 'zustand';
import type { ExchangeInfo, HostNotice, RecordingState, ReplayState, WatchlistItem } from '../../../main/contract';
import { UI_TIMEFRAMES, type UiTimeframe } from '../../../main/contract';
import type { ConnectionState } from '../api/client';

export const TIMEFRAMES = UI_TIMEFRAMES;
export type Timeframe = UiTimeframe;

export interface SessionState {
  readonly connection: ConnectionState;
  readonly watchlist: readonly WatchlistItem[];
  readonly exchanges: readonly ExchangeInfo[];
  readonly selectedId: string | undefined;
  readonly timeframe: Timeframe;
  /** Ladder bucket size as a multiple of the tick size. */
  readonly grouping: number;
  /** Tape rows below this size are hidden. */
  readonly minTradeSize: number;
  /** The order book panel: the selected instrument's book, or its asset's books merged. */
  readonly bookMode: 'instrument' | 'asset';
  /** Consolidated book: USD, USDT and USDC instruments together (otherwise the selected one's quote only). */
  readonly mergeQuotes: boolean;
  /** The trades panel: the selected instrument's tape, or its asset's prints on every venue. */
  readonly tapeMode: 'instrument' | 'asset';
  /** Aggregated tape: prints below this notional (quote currency) are hidden. */
  readonly minNotional: number;
  /** Aggregated tape: a sound for each print of at least this notional, when on. */
  readonly soundNotional: number;
  readonly soundOn: boolean;
  /** The chart slot: candles with volume, or the liquidity heatmap. */
  readonly chartView: 'candles' | 'heatmap';
  /** CVD under the candle chart. */
  readonly cvdOn: boolean;
  readonly setCvdOn: (on: boolean) => void;
  readonly recording: RecordingState | null;
  readonly replay: ReplayState | null;
  readonly bottomTab: 'health' | 'venues' | 'sessions' | 'alerts';
  /** What the host says needs attention (full disk, damaged files …). */
  readonly notices: readonly HostNotice[];
  readonly setNotices: (notices: readonly HostNotice[]) => void;
  /** The health panel as the full table (true) or a compact strip (false, the default). */
  readonly healthExpanded: boolean;
  readonly setHealthExpanded: (expanded: boolean) => void;
  readonly setConnection: (state: ConnectionState) => void;
  readonly setWatchlist: (items: readonly WatchlistItem[]) => void;
  readonly setExchanges: (exchanges: readonly ExchangeInfo[]) => void;
  readonly select: (id: string | undefined) => void;
  readonly setTimeframe: (timeframe: Timeframe) => void;
  readonly setGrouping: (multiple: number) => void;
  readonly setMinTradeSize: (size: number) => void;
  readonly setTapeMode: (mode: 'instrument' | 'asset') => void;
  readonly setBookMode: (mode: 'instrument' | 'asset') => void;
  readonly setMergeQuotes: (merge: boolean) => void;
  readonly setMinNotional: (value: number) => void;
  readonly setSoundNotional: (value: number) => void;
  readonly setSoundOn: (on: boolean) => void;
  readonly setChartView: (view: 'candles' | 'heatmap') => void;
  readonly setRecording: (state: RecordingState) => void;
  readonly setReplay: (state: ReplayState | null) => void;
  readonly setBottomTab: (tab: 'health' | 'venues' | 'sessions' | 'alerts') => void;
}

export const useSession = create<SessionState>()((set) => ({
  connection: 'connecting',
  watchlist: [],
  exchanges: [],
  selectedId: undefined,
  timeframe: '1m',
  grouping: 1,
  minTradeSize: 0,
  tapeMode: 'instrument',
  bookMode: 'instrument',
  mergeQuotes: false,
  minNotional: 0,
  soundNotional: 100_000,
  soundOn: false,
  chartView: 'candles',
  cvdOn: true,
  setCvdOn: (cvdOn) => set({ cvdOn }),
  recording: null,
  replay: null,
  bottomTab: 'health',
  notices: [],
  setNotices: (notices) => set({ notices }),
  healthExpanded: false,
  setHealthExpanded: (healthExpanded) => set({ healthExpanded }),
  setConnection: (connection) => set({ connection }),
  setWatchlist: (watchlist) =>
    set((state) => ({
      watchlist,
      // Keep the selection while it exists; otherwise fall back to the first symbol.
      selectedId: watchlist.some((w) => w.id === state.selectedId) ? state.selectedId : watchlist[0]?.id,
    })),
  setExchanges: (exchanges) => set({ exchanges }),
  select: (selectedId) => set({ selectedId }),
  setTimeframe: (timeframe) => set({ timeframe }),
  setGrouping: (grouping) => set({ grouping }),
  setMinTradeSize: (minTradeSize) => set({ minTradeSize: Number.isFinite(minTradeSize) && minTradeSize > 0 ? minTradeSize : 0 }),
  setTapeMode: (tapeMode) => set({ tapeMode }),
  setBookMode: (bookMode) => set({ bookMode }),
  setMergeQuotes: (mergeQuotes) => set({ mergeQuotes }),
  setMinNotional: (value) => set({ minNotional: Number.isFinite(value) && value > 0 ? value : 0 }),
  setSoundNotional: (value) => set({ soundNotional: Number.isFinite(value) && value > 0 ? value : 0 }),
  setSoundOn: (soundOn) => set({ soundOn }),
  setChartView: (chartView) => set({ chartView }),
  setRecording: (recording) => set({ recording }),
  setReplay: (replay) => set({ replay }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
}));

/** The selected watchlist item. */
export function useSelected(): WatchlistItem | undefined {
  return useSession((s) => s.watchlist.find((w) => w.id === s.selectedId));
}
