// The on-disk format of a recorded session: a folder per session with `session.json` (written
// atomically) and append-only JSON-lines segments `records-000001.jsonl`, … Each line is one
// record: a raw exchange frame, a normalized event, a collector status, or a marker. Lines
// are read back with validation (a file is an outside input); a torn last line — the write a
// crash interrupted — is skipped and counted, never fatal.

import { z } from 'zod';
import type { CollectorStatus } from '../core/collector-status.js';
import type { MarketEvent } from '../core/types.js';
import { DATA_TYPES } from '../core/types.js';
import type { ClusterRecordingInfo } from './types.js';

export const SEGMENT_PREFIX = 'records-';

const MARK_NAMES = ['start', 'stop', 'limit', 'resume'] as const;
type MarkName = (typeof MARK_NAMES)[number];

export function segmentName(index: number): string {
  return `${SEGMENT_PREFIX}${String(index).padStart(6, '0')}.jsonl`;
}

export type RecordLine =
  /** A frame exactly as the exchange sent it. */
  | { readonly t: number; readonly c: string; readonly k: 'raw'; readonly s: string; readonly p: string }
  /**
   * A normalized event as the collector published it. `seed` marks the book as it stood when
   * recording began (a recording usually starts mid-stream, after the exchange's snapshot).
   */
  | { readonly t: number; readonly c: string; readonly k: 'ev'; readonly e: MarketEvent; readonly seed?: true }
  /** A collector's status (once a second and on every state change). */
  | { readonly t: number; readonly c: string; readonly k: 'st'; readonly st: CollectorStatus }
  /** Recording milestones. */
  | { readonly t: number; readonly k: 'mark'; readonly m: MarkName };

// Events are checked by hand, field by field (a replay or an export reads hundreds of
// thousands, each book event with hundreds of levels); statuses, rare and deep, by a schema.
type Fields = Readonly<Record<string, unknown>>;

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';

function isLevels(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const level of v as unknown[]) {
    if (typeof level !== 'object' || level === null) return false;
    const { price, priceStr, size, sizeStr } = level as Fields;
    if (!isNumber(price) || !isString(priceStr) || !isNumber(size) || !isString(sizeStr)) return false;
  }
  return true;
}

/** A normalized event as recorded: the fields every reader relies on, of the right types (others pass through). */
export function isMarketEvent(value: unknown): value is MarketEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Fields;
  if (!isString(e['exchange']) || !isString(e['symbol']) || !isNumber(e['exchangeTs']) || !isNumber(e['receivedAt'])) return false;
  switch (e['kind']) {
    case 'trade':
      return (
        isString(e['tradeId']) &&
        (e['side'] === 'buy' || e['side'] === 'sell') &&
        isNumber(e['price']) &&
        isString(e['priceStr']) &&
        isNumber(e['size']) &&
        isString(e['sizeStr']) &&
        isNumber(e['fills'])
      );
    case 'book_snapshot':
    case 'book_update':
      return isLevels(e['bids']) && isLevels(e['asks']);
    case 'ticker':
      return isNumber(e['last']) && isString(e['lastStr']);
    case 'candle':
      return (
        isString(e['timeframe']) &&
        isNumber(e['openTime']) &&
        isNumber(e['open']) &&
        isNumber(e['high']) &&
        isNumber(e['low']) &&
        isNumber(e['close']) &&
        isNumber(e['volume']) &&
        typeof e['closed'] === 'boolean'
      );
    default:
      return false;
  }
}

const statusLineSchema = z.object({ t: z.number(), c: z.string(), k: z.literal('st'), st: z.looseObject({ id: z.string(), status: z.string() }) });

const MARKS: ReadonlySet<unknown> = new Set(MARK_NAMES);

/**
 * Parses one line; undefined when it is not a valid record. Raw frames, marks and events are
 * checked by hand (a replay reads hundreds of thousands); statuses go through the schema.
 */
export function decodeLine(line: string): RecordLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return decodeRecord(value);
}

/** Checks a record built from another source (the cluster's messages); undefined when it is not a valid one. */
export function decodeRecord(value: unknown): RecordLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { t, k } = value as { readonly t?: unknown; readonly k?: unknown };
  if (k === 'raw') {
    const { c, s, p } = value as { readonly c?: unknown; readonly s?: unknown; readonly p?: unknown };
    return typeof t === 'number' && typeof c === 'string' && typeof s === 'string' && typeof p === 'string' ? { t, c, k, s, p } : undefined;
  }
  if (k === 'mark') {
    const { m } = value as { readonly m?: unknown };
    return typeof t === 'number' && MARKS.has(m) ? { t, k, m: m as MarkName } : undefined;
  }
  if (k === 'ev') {
    const { c, e, seed } = value as { readonly c?: unknown; readonly e?: unknown; readonly seed?: unknown };
    if (typeof t !== 'number' || typeof c !== 'string' || (seed !== undefined && seed !== true) || !isMarketEvent(e)) return undefined;
    return seed === true ? { t, c, k, e, seed } : { t, c, k, e };
  }
  const parsed = statusLineSchema.safeParse(value);
  // The rest of a status is read field by field where used (the report checks each counter).
  return parsed.success ? (parsed.data as unknown as RecordLine) : undefined;
}

export function encodeLine(record: RecordLine): string {
  return `${JSON.stringify(record)}\n`;
}

export interface FeedInfo {
  readonly id: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly dataTypes: readonly (typeof DATA_TYPES)[number][];
  /** Whether raw exchange frames were recorded (the collector's `storeRawData`). */
  readonly raw: boolean;
}

export interface SessionCounts {
  readonly records: number;
  readonly rawFrames: number;
  readonly events: number;
  readonly bytes: number;
  /** Records lost because the disk could not keep up (bounded write buffer). */
  readonly dropped: number;
}

export type SessionState = 'recording' | 'complete' | 'incomplete';

export interface SessionMeta {
  readonly version: 1;
  readonly id: string;
  readonly name: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly state: SessionState;
  /** Process that is (or was) writing it; a dead pid with state `recording` means a crash. */
  readonly pid: number;
  readonly feeds: readonly FeedInfo[];
  readonly counts: SessionCounts;
  /** Recording stopped early because the disk budget was used up. */
  readonly limitReached: boolean;
  /** Unreadable (torn) lines found when the session was recovered after a crash. */
  readonly tornLines: number;
  /** Recorded on the cluster (a JetStream stream), not in this machine's data folder. */
  readonly cluster?: ClusterRecordingInfo;
}

export const sessionMetaSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(200),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  state: z.enum(['recording', 'complete', 'incomplete']),
  pid: z.number(),
  feeds: z.array(z.object({ id: z.string(), exchange: z.string(), symbol: z.string(), dataTypes: z.array(z.enum(DATA_TYPES)), raw: z.boolean() })),
  counts: z.object({ records: z.number(), rawFrames: z.number(), events: z.number(), bytes: z.number(), dropped: z.number() }),
  limitReached: z.boolean(),
  tornLines: z.number(),
});
