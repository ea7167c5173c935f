// The health report of a recorded session, per feed: messages and drops, reconnects, gaps,
// resyncs, checksum failures, and the periods it spent stale, reconnecting or in error. Built
// from the recorded statuses, so it works for an interrupted session as well.

import type { CollectorStatus } from '../core/collector-status.js';
import type { RecordLine, SessionMeta } from './format.js';
import type { ReadStats } from './reader.js';
import { sourceOf, type FeedGaps, type RecordSource } from './source.js';
import type { Period, SessionReport } from './types.js';

export type { FeedReport, Period, SessionReport } from './types.js';

interface FeedAccumulator {
  events: number;
  rawFrames: number;
  last: CollectorStatus | undefined;
  /** Each counter's growth over the session (a collector started afresh, e.g. on another node, counts from zero again). */
  counted: Record<Counter, number>;
  outages: Period[];
  openOutage: { state: string; from: number } | undefined;
  lastT: number;
}

const COUNTERS = ['reconnects', 'restarts', 'resyncs', 'sequenceGaps', 'checksumFailures', 'droppedMessages'] as const;
type Counter = (typeof COUNTERS)[number];

/** A counter of a recorded status (a file or the cluster may lack it: then none). */
function countOf(status: CollectorStatus, key: Counter): number {
  const value: unknown = status[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The last errors a recorded status names (a file or another machine may give anything). */
function lastErrorsOf(status: CollectorStatus | undefined): string[] {
  const errors: unknown = status?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.slice(-5).map((e: unknown) => {
    const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : String(message ?? e);
  });
}

function zeroCounts(): Record<Counter, number> {
  return { reconnects: 0, restarts: 0, resyncs: 0, sequenceGaps: 0, checksumFailures: 0, droppedMessages: 0 };
}

/** The report of the session recorded in `from` (its folder here, or its stream on the cluster). */
export async function buildReport(from: string | RecordSource, meta: SessionMeta): Promise<SessionReport> {
  const source = sourceOf(from);
  const builder = new ReportBuilder(meta);
  const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
  for await (const batch of source.batches(stats)) for (const record of batch) builder.add(record);
  return builder.build(stats, source.gaps?.());
}

/**
 * Builds the report record by record, so that one reading of a session can serve an export
 * and its report at once.
 */
export class ReportBuilder {
  private readonly feeds = new Map<string, FeedAccumulator>();
  private end: number;

  constructor(private readonly meta: SessionMeta) {
    this.end = meta.startedAt;
  }

  add(record: RecordLine): void {
    this.end = Math.max(this.end, record.t);
    if (record.k === 'mark') return;
    const acc = this.feed(record.c);
    acc.lastT = Math.max(acc.lastT, record.t);
    if (record.k === 'ev') acc.events += 1;
    else if (record.k === 'raw') acc.rawFrames += 1;
    else {
      const status = record.st;
      if (acc.last !== undefined) {
        for (const key of COUNTERS) {
          const before = countOf(acc.last, key);
          const now = countOf(status, key);
          // A counter that went down belongs to a collector started afresh: all of it is new.
          acc.counted[key] += now >= before ? now - before : now;
        }
      }
      acc.last = status;
      const healthy = status.status === 'running';
      if (!healthy && acc.openOutage === undefined) acc.openOutage = { state: status.status, from: record.t };
      else if (healthy && acc.openOutage !== undefined) {
        acc.outages.push({ ...acc.openOutage, to: record.t });
        acc.openOutage = undefined;
      }
    }
  }

  /** The report, once every record has been added; `stats` of the reading, `gaps` the cluster's findings. */
  build(stats: ReadStats, gaps?: ReadonlyMap<string, FeedGaps>): SessionReport {
    const meta = this.meta;
    const endedAt = meta.endedAt ?? this.end;
    return {
      sessionId: meta.id,
      name: meta.name,
      state: meta.state,
      startedAt: meta.startedAt,
      endedAt,
      durationMs: endedAt - meta.startedAt,
      records: stats.records,
      tornLines: stats.torn,
      // On the cluster: what the stream does not hold of what the nodes published.
      recordingDropped: meta.counts.dropped + [...(gaps?.values() ?? [])].reduce((sum, g) => sum + g.missing, 0),
      limitReached: meta.limitReached,
      ...(meta.cluster === undefined ? {} : { cluster: meta.cluster }),
      feeds: [...this.feeds].map(([id, acc]) => {
        const feedGaps = gaps?.get(id);
        // An outage still open at the end (e.g. the session stopped while stopped) ends with it.
        const outages =
          acc.openOutage === undefined || acc.openOutage.state === 'stopped'
            ? acc.outages
            : [...acc.outages, { ...acc.openOutage, to: Math.max(acc.lastT, acc.openOutage.from) }];
        return {
          id,
          events: acc.events,
          rawFrames: acc.rawFrames,
          ...acc.counted,
          outages: [...outages.filter((o) => o.state !== 'starting' || o.to - o.from > 5000), ...(feedGaps?.outages ?? [])].sort((a, b) => a.from - b.from),
          lastErrors: lastErrorsOf(acc.last),
          ...(feedGaps === undefined ? {} : { missing: feedGaps.missing, nodes: feedGaps.nodes }),
        };
      }),
    };
  }

  private feed(id: string): FeedAccumulator {
    let acc = this.feeds.get(id);
    if (acc === undefined) {
      acc = { events: 0, rawFrames: 0, last: undefined, counted: zeroCounts(), outages: [], openOutage: undefined, lastT: 0 };
      this.feeds.set(id, acc);
    }
    return acc;
  }
}
