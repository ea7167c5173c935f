// Workspaces: named layouts of panes on a grid (which view, which symbol, where and how large)
// with the alerts that belong to them. Plain types and the default layout, free of runtime
// dependencies: the host validates and stores them (workspace-store.ts), the page draws them.

/** What a pane shows. `panel` is the tabbed health / venues / sessions / alerts panel. */
export const PANE_KINDS = [
  'watchlist',
  'candles',
  'heatmap',
  'depth',
  'book',
  'consolidated',
  'tape',
  'assetTape',
  'venues',
  'health',
  'sessions',
  'alerts',
  'panel',
] as const;
export type PaneKind = (typeof PANE_KINDS)[number];

/**
 * The grid: columns across the window and rows down one screen of it, whatever its size (the
 * rows' height follows the window). Panes may reach a second screen below, which scrolls.
 */
export const GRID_COLS = 24;
export const GRID_ROWS = 24;
export const MAX_GRID_ROWS = 2 * GRID_ROWS;

export const MAX_WORKSPACES = 20;
export const MAX_PANES = 24;
export const MAX_ALERTS = 100;

export interface Pane {
  readonly id: string;
  readonly kind: PaneKind;
  /** The watchlist id it shows; null follows the symbol selected in the watchlist. */
  readonly symbol: string | null;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export const ALERT_KINDS = ['price', 'print', 'stale'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * `price`: the last price crosses `price` (`above`: from below to at or above it; `below`: the
 * reverse); `print`: a trade of at least `notional` in the quote currency; `stale`: the feed is
 * not live (stale, stopped, reconnecting) for `seconds`.
 */
export interface Alert {
  readonly id: string;
  readonly kind: AlertKind;
  /** Watchlist id of the feed it watches. */
  readonly symbol: string;
  readonly price?: number | undefined;
  readonly direction?: 'above' | 'below' | undefined;
  readonly notional?: number | undefined;
  readonly seconds?: number | undefined;
  readonly enabled: boolean;
}

export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly panes: Pane[];
  readonly alerts: Alert[];
}

export interface WorkspacesState {
  readonly version: 1;
  /** The workspace shown. */
  readonly active: string;
  readonly workspaces: Workspace[];
}

/** The first start's layout: the single-symbol trading screen. */
export const DEFAULT_WORKSPACE: Workspace = {
  id: 'trading',
  name: 'Trading',
  panes: [
    { id: 'watchlist', kind: 'watchlist', symbol: null, x: 0, y: 0, w: 5, h: 17 },
    { id: 'chart', kind: 'candles', symbol: null, x: 5, y: 0, w: 9, h: 10 },
    { id: 'depth', kind: 'depth', symbol: null, x: 5, y: 10, w: 9, h: 7 },
    { id: 'book', kind: 'book', symbol: null, x: 14, y: 0, w: 5, h: 17 },
    { id: 'tape', kind: 'tape', symbol: null, x: 19, y: 0, w: 5, h: 17 },
    { id: 'panel', kind: 'panel', symbol: null, x: 0, y: 17, w: 24, h: 7 },
  ],
  alerts: [],
};

export const DEFAULT_WORKSPACES: WorkspacesState = { version: 1, active: DEFAULT_WORKSPACE.id, workspaces: [DEFAULT_WORKSPACE] };
