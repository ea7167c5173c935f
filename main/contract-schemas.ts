// Input schemas of the contract (./contract.ts): every command's input, and the serve-mode
// WebSocket envelope. The host validates what it receives with them; the renderer never
// imports this file.

import { z } from 'zod';
import { UI_TIMEFRAMES } from '../app/core/timeframes.js';
import { DATA_TYPES } from '../app/core/types.js';
import { MAX_BOOK_DEPTH } from '../app/host/frames.js';
import { workspacesSchema } from '../app/host/workspace-store.js';
import { EXPORT_FORMATS, EXPORT_TABLES } from '../app/recording/types.js';
import type { CommandName } from './contract.js';

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
  searchInstruments: z.strictObject({
    exchange: exchange.optional(),
    query: z.string().max(64, 'Search text is too long (max 64 characters)'),
    limit: z.int().min(1).max(100).optional(),
  }),
  addSymbol: z.strictObject({
    exchange,
    symbol: z.string().min(1, 'Type a symbol, e.g. BTC-USDT').max(64, 'Symbol is too long (max 64 characters)'),
    dataTypes: z.array(z.enum(DATA_TYPES)).min(1).max(DATA_TYPES.length).optional(),
    /** `nats`: from the cluster's collector nodes (a host started with --nats); default: the exchange itself. */
    source: z.enum(['exchange', 'nats']).optional(),
  }),
  removeSymbol: z.strictObject({ id }),
  startCollector: z.strictObject({ id }),
  stopCollector: z.strictObject({ id }),
  restartCollector: z.strictObject({ id }),
  getCandles: z.strictObject({ id, timeframe: z.string().min(1).max(8) }),
  /** Taker buy/sell volume per period for CVD; `from`: only periods opening at or after it. */
  getFlow: z.strictObject({ id, timeframe: z.enum(UI_TIMEFRAMES), from: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
  setStreamOptions: z.strictObject({ bookDepth: z.int().min(1).max(MAX_BOOK_DEPTH) }),
  setBookGrouping: z.strictObject({
    id,
    step: z
      .string()
      .regex(/^(?:0|[1-9]\d{0,12})(?:\.\d{1,12})?$/, 'The price step must be a decimal number such as 0.5 or 10')
      .nullable(),
  }),
  /** The books the page draws, sent at the frame rate; the others at most twice a second. Null: all at the frame rate. */
  setFocus: z.strictObject({ ids: z.array(id).max(64).nullable() }),
  /** The page lost track of `id` (a book delta or a change it cannot apply): send its book, ticker and status whole. */
  resyncSymbol: z.strictObject({ id }),
  /** The cluster this host takes feeds from, if any. */
  getCluster: z.strictObject({}),
  getWorkspaces: z.strictObject({}),
  /** The alerts fired lately (the newest 50), oldest first. */
  getAlerts: z.strictObject({}),
  /** The whole state: every workspace (layout and alerts) and which one is shown. */
  saveWorkspaces: z.strictObject({ state: workspacesSchema }),
  getNotices: z.strictObject({}),
  dismissNotice: z.strictObject({ id: z.int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  getRecording: z.strictObject({}),
  /** With `cluster`: record on the cluster (every feed its nodes collect), under these limits. */
  startRecording: z.strictObject({
    name: sessionName.optional(),
    cluster: z
      .strictObject({
        maxBytes: z
          .int()
          .min(1024 * 1024)
          .max(1024 ** 5),
        maxAgeMs: z
          .int()
          .min(0)
          .max(10 * 365 * 24 * 3600_000),
      })
      .optional(),
  }),
  /** Without `id`: the recording on this machine; with a cluster session's id: that one. */
  stopRecording: z.strictObject({ id: sessionId.optional() }),
  setRecordingLimit: z.strictObject({
    bytes: z
      .int()
      .min(10 * 1024 * 1024)
      .max(10 * 1024 ** 4),
  }),
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
    // A recording on the cluster may hold every feed of the desk.
    feeds: z.array(id).max(2000).optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    // No path: the page never says where to write. The desktop app asks in its own save dialog
    // during this very request; the browser version writes to the exports folder and offers a download.
  }),
} as const;

export const COMMAND_NAMES = Object.keys(commandInputs) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commandInputs, value);
}

// ----- serve-mode WebSocket envelope -----

/** Client → host. */
export const wsRequestSchema = z.strictObject({
  kind: z.literal('call'),
  id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  command: z.string().max(64),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof wsRequestSchema>;
