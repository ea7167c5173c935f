// The one contract between the UI and the host. Every command (renderer → host, with its
// input schema and its result type) and every event (host → renderer) is declared here; the
// Electron IPC transport, the serve-mode WebSocket transport and the renderer client are all
// typed from it, so a renamed or reshaped call fails to compile everywhere at once.
// Inputs are validated by the receiving end (the host side) with the schemas of
// ./contract-schemas.ts; this file holds no validation code, so the renderer, which imports
// only this contract, carries none.

import type { z } from 'zod';
import type { CollectorStatus } from '../app/core/collector-status.js';
import type { Candle } from '../app/core/types.js';
import type { ExchangeInfo, InstrumentInfo } from '../app/exchanges/info.js';
import type { HostNotice, MarketFrame, WatchlistItem } from '../app/host/frames.js';
import type { FlowBucket, FlowHole, FlowSeries } from '../app/host/trade-flow.js';
import type { FiredAlert } from '../app/host/alert-engine.js';
import type { Alert, AlertKind, Pane, PaneKind, Workspace, WorkspacesState } from '../app/host/workspace-types.js';
import type { ExportProgressEvent, RecordingState, ReplayState } from '../app/host/recording-types.js';
import type { SessionMeta } from '../app/recording/format.js';
import type { commandInputs } from './contract-schemas.js';
import { EXPORT_FORMATS, EXPORT_TABLES, type ExportResult, type SessionReport } from '../app/recording/types.js';

export type { CollectorStatus, ExchangeInfo, HostNotice, InstrumentInfo, MarketFrame, WatchlistItem, Candle };
export type { FlowBucket, FlowHole, FlowSeries, FiredAlert };
export type { Alert, AlertKind, Pane, PaneKind, Workspace, WorkspacesState };
export {
  ALERT_KINDS,
  DEFAULT_WORKSPACE,
  DEFAULT_WORKSPACES,
  GRID_COLS,
  GRID_ROWS,
  MAX_GRID_ROWS,
  MAX_ALERTS,
  MAX_PANES,
  MAX_WORKSPACES,
  PANE_KINDS,
} from '../app/host/workspace-types.js';
export type { ExportProgressEvent, ExportResult, RecordingState, ReplayState, SessionMeta, SessionReport };
export { EXPORT_FORMATS, EXPORT_TABLES };
// Dependency-free helpers the renderer shares with the host, so that it imports the contract only.
export { UI_TIMEFRAMES, missingPeriods, timeframeMs, type UiTimeframe } from '../app/core/timeframes.js';
export { contractTerms, instrumentLabel, notionalValue, type SizeTerms } from '../app/exchanges/info.js';
export { formatBytes } from '../app/recording/types.js';
export type {
  BookDelta,
  BookFrame,
  BookState,
  CandleFrame,
  Changes,
  LevelTuple,
  ShownBook,
  StatusChange,
  TickerChange,
  TickerFrame,
  TickerQuote,
  TradePrint,
  TradesFrame,
  WireLevels,
  WireTrade,
} from '../app/host/frames.js';

export type CommandName = keyof typeof commandInputs;
export type CommandInput<K extends CommandName> = z.input<(typeof commandInputs)[K]>;

/** Result value of every command. */
export interface CommandOutputs {
  listExchanges: ExchangeInfo[];
  getWatchlist: WatchlistItem[];
  getStatuses: CollectorStatus[];
  searchInstruments: { instruments: InstrumentInfo[]; listLoaded: boolean };
  addSymbol: WatchlistItem;
  removeSymbol: { removed: string };
  startCollector: CollectorStatus;
  stopCollector: CollectorStatus;
  restartCollector: CollectorStatus;
  getCandles: Candle[];
  getFlow: FlowSeries;
  setStreamOptions: { bookDepth: number };
  setBookGrouping: { id: string; step: string | null };
  resyncSymbol: { id: string };
  setFocus: { ids: string[] | null };
  getCluster: { servers: string[] } | null;
  getWorkspaces: WorkspacesState;
  getAlerts: FiredAlert[];
  saveWorkspaces: WorkspacesState;
  getNotices: HostNotice[];
  dismissNotice: { dismissed: number };
  getRecording: RecordingState;
  startRecording: SessionMeta;
  stopRecording: SessionMeta;
  setRecordingLimit: { bytes: number };
  listSessions: SessionMeta[];
  renameSession: SessionMeta;
  deleteSession: { deleted: string };
  getSessionReport: SessionReport;
  startReplay: ReplayState;
  stopReplay: { stopped: boolean };
  /** The replay in progress or finished and still shown; null when there is none. */
  getReplay: ReplayState | null;
  /**
   * `cancelled`: the trader closed the desktop save dialog. Otherwise `downloadUrl` (serve
   * mode) is where the browser can fetch the file.
   */
  exportSession: { readonly cancelled: true } | (ExportResult & { readonly cancelled: false; readonly exportId: string; readonly downloadUrl: string | null });
}

export type ErrorCode = 'bad_request' | 'invalid' | 'not_found' | 'duplicate' | 'exchange' | 'limit' | 'unsupported' | 'internal';

export interface CommandError {
  readonly code: ErrorCode;
  /** For the trader, e.g. `OKX has no instrument FOO-BAR`. */
  readonly message: string;
  readonly details: readonly string[];
}

export type CommandResult<K extends CommandName> =
  { readonly ok: true; readonly value: CommandOutputs[K] } | { readonly ok: false; readonly error: CommandError };

/** Events the host pushes. */
export interface EventPayloads {
  frame: MarketFrame;
  watchlist: WatchlistItem[];
  recording: RecordingState;
  replay: ReplayState | null;
  exportProgress: ExportProgressEvent;
  notices: HostNotice[];
  /** An alert fired. */
  alert: FiredAlert;
  /** The workspaces changed (saved by this or another client). */
  workspaces: WorkspacesState;
  /** The session list changed: read it again. */
  sessions: null;
}
export type EventName = keyof EventPayloads;

/** Largest serialized command accepted by either transport. */
// The largest is saveWorkspaces: 20 layouts of up to 24 panes each, with their alerts.
export const MAX_COMMAND_BYTES = 64 * 1024;

export { IPC } from './ipc-channels.js';

// ----- serve-mode WebSocket envelope -----

/** Host → client. `id` null answers a request that could not be read at all. */
export type WsMessage =
  | { readonly kind: 'result'; readonly id: number | null; readonly result: CommandResult<CommandName> }
  | { [K in EventName]: { readonly kind: 'event'; readonly event: K; readonly payload: EventPayloads[K] } }[EventName];

/** The API the renderer sees, whichever transport carries it. */
export interface TickerDeckApi {
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
