// The one contract between the UI and the host. Every command (renderer → host, with its
// input schema and its result type) and every event (host → renderer) is declared here; the
// Electron IPC transport, the serve-mode WebSocket transport and the renderer client are all
// typed from it, so a renamed or reshaped call fails to compile everywhere at once.
// Inputs are validated with these schemas by the receiving end (the host side).

import { z } from 'zod';
import type { CollectorStatus } from '../app/core/collector-status.js';
import { DATA_TYPES, type Candle } from '../app/core/types.js';
import type { ExchangeInfo, InstrumentInfo } from '../app/exchanges/info.js';
import type { HostNotice, MarketFrame, WatchlistItem } from '../app/host/frames.js';
import type { ExportProgressEvent, RecordingState, ReplayState } from '../app/host/recording-types.js';
import type { SessionMeta } from '../app/recording/format.js';
import { EXPORT_FORMATS, EXPORT_TABLES, type ExportResult, type SessionReport } from '../app/recording/types.js';

export type { CollectorStatus, ExchangeInfo, HostNotice, InstrumentInfo, MarketFrame, WatchlistItem, Candle };
export type { ExportProgressEvent, ExportResult, RecordingState, ReplayState, SessionMeta, SessionReport };
export { EXPORT_FORMATS, EXPORT_TABLES };
export type { BookFrame, LevelTuple, TradePrint, TradesFrame, TickerFrame, CandleFrame, BookState } from '../app/host/frames.js';

const id = z.string().min(3).max(100);
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const exchange = z.string().min(1, 'Choose an exchange').max(32, 'Exchange name is too long (max 32 characters)');
const sessionName = z.string().min(1, 'Type a name').max(200, 'Name is too long (max 200 characters)');

/** Input schema of every command. */
export const commandInputs = {
  listExchanges: z.strictObject({}),
  getWatchlist: z.strictObject({}),
  getStatuses: z.strictObject({}),
  /** Without an exchange: every venue. */
  searchInstruments: z.strictObject({ exchange: exchange.optional(), query: z.string().max(64, 'Search text is too long (max 64 characters)'), limit: z.int().min(1).max(100).optional() }),
  addSymbol: z.strictObject({
    exchange,
    symbol: z.string().min(1, 'Type a symbol, e.g. BTC-USDT').max(64, 'Symbol is too long (max 64 characters)'),
    dataTypes: z.array(z.enum(DATA_TYPES)).min(1).max(DATA_TYPES.length).optional(),
  }),
  removeSymbol: z.strictObject({ id }),
  startCollector: z.strictObject({ id }),
  stopCollector: z.strictObject({ id }),
  restartCollector: z.strictObject({ id }),
  getCandles: z.strictObject({ id, timeframe: z.string().min(1).max(8) }),
  setStreamOptions: z.strictObject({ bookDepth: z.int().min(1).max(400) }),
  setBookGrouping: z.strictObject({
    id,
    step: z.string().regex(/^(?:0|[1-9]\d{0,12})(?:\.\d{1,12})?$/, 'The price step must be a decimal number such as 0.5 or 10').nullable(),
  }),
  getNotices: z.strictObject({}),
  dismissNotice: z.strictObject({ id: z.int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  getRecording: z.strictObject({}),
  startRecording: z.strictObject({ name: sessionName.optional() }),
  stopRecording: z.strictObject({}),
  setRecordingLimit: z.strictObject({ bytes: z.int().min(10 * 1024 * 1024).max(10 * 1024 ** 4) }),
  listSessions: z.strictObject({}),
  renameSession: z.strictObject({ id: sessionId, name: sessionName }),
  deleteSession: z.strictObject({ id: sessionId }),
  getSessionReport: z.strictObject({ id: sessionId }),
  startReplay: z.strictObject({ id: sessionId, speed: z.enum(['1', '10', 'max']) }),
  stopReplay: z.strictObject({}),
  getReplay: z.strictObject({}),
  exportSession: z.strictObject({
    id: sessionId,
    table: z.enum(EXPORT_TABLES),
    format: z.enum(EXPORT_FORMATS),
    feeds: z.array(id).max(100).optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    // No path: the page never says where to write. The desktop app asks in its own save dialog
    // during this very request; the browser version writes to the exports folder and offers a download.
  }),
} as const;

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
  setStreamOptions: { bookDepth: number };
  setBookGrouping: { id: string; step: string | null };
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
  | { readonly ok: true; readonly value: CommandOutputs[K] }
  | { readonly ok: false; readonly error: CommandError };

/** Events the host pushes. */
export interface EventPayloads {
  frame: MarketFrame;
  watchlist: WatchlistItem[];
  recording: RecordingState;
  replay: ReplayState | null;
  exportProgress: ExportProgressEvent;
  notices: HostNotice[];
  /** The session list changed: read it again. */
  sessions: null;
}
export type EventName = keyof EventPayloads;

export const COMMAND_NAMES = Object.keys(commandInputs) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commandInputs, value);
}

/** Largest serialized command accepted by either transport. */
export const MAX_COMMAND_BYTES = 16 * 1024;

export { IPC } from './ipc-channels.js';

// ----- serve-mode WebSocket envelope -----

/** Client → host. */
export const wsRequestSchema = z.strictObject({
  kind: z.literal('call'),
  id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  command: z.string().max(64),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;

/** Host → client. `id` null answers a request that could not be read at all. */
export type WsMessage =
  | { readonly kind: 'result'; readonly id: number | null; readonly result: CommandResult<CommandName> }
  | { [K in EventName]: { readonly kind: 'event'; readonly event: K; readonly payload: EventPayloads[K] } }[EventName];

/** The API the renderer sees, whichever transport carries it. */
export interface TickerDeckApi {
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
