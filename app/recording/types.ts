// Plain types and constants of recorded sessions shared with the UI (no runtime dependencies:
// the renderer's types import this file).

import type { SessionMeta } from './format.js';

export type ReplaySpeed = 1 | 10 | 'max';

/** Sizes for people: `146 KiB`, `3.2 MiB`, `10.0 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

export const EXPORT_TABLES = ['trades', 'incremental_book_L2', 'book_snapshot_25', 'quotes', 'events'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  readonly table: ExportTable;
  readonly format: ExportFormat;
  /** Collector ids (`okx:BTC-USDT`); all when empty. */
  readonly feeds?: readonly string[];
  /** Local receive time range, ms, inclusive. */
  readonly from?: number;
  readonly to?: number;
  /** Output file. */
  readonly path: string;
}

export interface ExportProgress {
  readonly rows: number;
  /** 0..1 of the session read so far. */
  readonly fraction: number;
}

export interface ExportResult {
  readonly path: string;
  readonly reportPath: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface Period {
  readonly state: string;
  readonly from: number;
  readonly to: number;
}

export interface FeedReport {
  readonly id: string;
  readonly events: number;
  readonly rawFrames: number;
  readonly reconnects: number;
  readonly restarts: number;
  readonly resyncs: number;
  readonly sequenceGaps: number;
  readonly checksumFailures: number;
  /** Inbound frames the collector dropped (queue full). */
  readonly droppedMessages: number;
  /** Time spent not `running`: stale, reconnecting, error, stopped. */
  readonly outages: readonly Period[];
  readonly lastErrors: readonly string[];
  /** Recorded on the cluster: messages its nodes published that the recording does not hold (none is a whole recording). */
  readonly missing?: number;
  /** Recorded on the cluster: the nodes that collected the feed, in turn (more than one: taken over). */
  readonly nodes?: readonly string[];
}

export interface SessionReport {
  readonly sessionId: string;
  readonly name: string;
  readonly state: SessionMeta['state'];
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly durationMs: number;
  readonly records: number;
  readonly tornLines: number;
  /** Records the recorder could not write in time. */
  readonly recordingDropped: number;
  readonly limitReached: boolean;
  /** Recorded on the cluster: its stream and what the stream's limits have removed. */
  readonly cluster?: ClusterRecordingInfo;
  readonly feeds: readonly FeedReport[];
}

/** Where and under what limits a session recorded on the cluster is kept. */
export interface ClusterRecordingInfo {
  /** The JetStream stream holding it. */
  readonly stream: string;
  /** Limits: the oldest messages go once the stream holds this many bytes, or when older than maxAgeMs (0: no age limit). */
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  /** The host that started it. */
  readonly startedBy: string;
  /** Messages the limits have removed (the recording starts later than it began), and the time of the oldest kept. */
  readonly discarded: number;
  readonly firstAt: number | null;
}
