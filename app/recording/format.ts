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

const level = z.looseObject({ price: z.number(), priceStr: z.string(), size: z.number(), sizeStr: z.string() });
const base = { exchange: z.string(), symbol: z.string(), exchangeTs: z.number(), receivedAt: z.number() };
const eventSchema = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('trade'),
    ...base,
    tradeId: z.string(),
    side: z.enum(['buy', 'sell']),
    price: z.number(),
    priceStr: z.string(),
    size: z.number(),
    sizeStr: z.string(),
    fills: z.number(),
  }),
  z.looseObject({ kind: z.literal('book_snapshot'), ...base, bids: z.array(level), asks: z.array(level) }),
  z.looseObject({ kind: z.literal('book_update'), ...base, bids: z.array(level), asks: z.array(level) }),
  z.looseObject({ kind: z.literal('ticker'), ...base, last: z.number(), lastStr: z.string() }),
  z.looseObject({
    kind: z.literal('candle'),
    ...base,
    timeframe: z.string(),
    openTime: z.number(),
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    volume: z.number(),
    closed: z.boolean(),
  }),
]);

const lineSchema = z.discriminatedUnion('k', [
  z.object({ t: z.number(), c: z.string(), k: z.literal('raw'), s: z.string(), p: z.string() }),
  z.object({ t: z.number(), c: z.string(), k: z.literal('ev'), e: eventSchema, seed: z.literal(true).optional() }),
  z.object({ t: z.number(), c: z.string(), k: z.literal('st'), st: z.looseObject({ id: z.string(), status: z.string() }) }),
  z.object({ t: z.number(), k: z.literal('mark'), m: z.enum(MARK_NAMES) }),
]);

const MARKS: ReadonlySet<unknown> = new Set(MARK_NAMES);

/**
 * Parses one line; undefined when it is not a valid record. Raw frames and marks — nearly every
 * line of a session recorded with raw frames — are checked by hand (a replay reads hundreds of
 * thousands); events and statuses, whose shapes are deep, go through the schema.
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
  const parsed = lineSchema.safeParse(value);
  return parsed.success ? (parsed.data as RecordLine) : undefined;
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
