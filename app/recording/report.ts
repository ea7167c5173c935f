// The health report of a recorded session, per feed: messages and drops, reconnects, gaps,
// resyncs, checksum failures, and the periods it spent stale, reconnecting or in error. Built
// from the recorded statuses, so it works for an interrupted session as well.

import type { CollectorStatus } from '../core/collector-status.js';
import type { SessionMeta } from './format.js';
import { readRecords, type ReadStats } from './reader.js';
import type { Period, SessionReport } from './types.js';

export type { FeedReport, Period, SessionReport } from './types.js';

interface FeedAccumulator {
  events: number;
  rawFrames: number;
  first: CollectorStatus | undefined;
  last: CollectorStatus | undefined;
  outages: Period[];
  openOutage: { state: string; from: number } | undefined;
  lastT: number;
}

type Counter = 'reconnects' | 'restarts' | 'resyncs' | 'sequenceGaps' | 'checksumFailures' | 'droppedMessages';

export async function buildReport(dir: string, meta: SessionMeta): Promise<SessionReport> {
  const feeds = new Map<string, FeedAccumulator>();
  const feed = (id: string): FeedAccumulator => {
    let acc = feeds.get(id);
    if (acc === undefined) {
      acc = { events: 0, rawFrames: 0, first: undefined, last: undefined, outages: [], openOutage: undefined, lastT: 0 };
      feeds.set(id, acc);
    }
    return acc;
  };
  const stats: ReadStats = { records: 0, torn: 0, bytes: 0 };
  let end = meta.startedAt;
  for await (const record of readRecords(dir, stats)) {
    end = Math.max(end, record.t);
    if (record.k === 'mark') continue;
    const acc = feed(record.c);
    acc.lastT = Math.max(acc.lastT, record.t);
    if (record.k === 'ev') acc.events += 1;
    else if (record.k === 'raw') acc.rawFrames += 1;
    else {
      const status = record.st;
      acc.first ??= status;
      acc.last = status;
      const healthy = status.status === 'running';
      if (!healthy && acc.openOutage === undefined) acc.openOutage = { state: status.status, from: record.t };
      else if (healthy && acc.openOutage !== undefined) {
        acc.outages.push({ ...acc.openOutage, to: record.t });
        acc.openOutage = undefined;
      }
    }
  }
  const endedAt = meta.endedAt ?? end;
  return {
    sessionId: meta.id,
    name: meta.name,
    state: meta.state,
    startedAt: meta.startedAt,
    endedAt,
    durationMs: endedAt - meta.startedAt,
    records: stats.records,
    tornLines: stats.torn,
    recordingDropped: meta.counts.dropped,
    limitReached: meta.limitReached,
    feeds: [...feeds].map(([id, acc]) => {
      const delta = (key: Counter): number => Math.max(0, (acc.last?.[key] ?? 0) - (acc.first?.[key] ?? 0));
      // An outage still open at the end (e.g. the session stopped while stopped) ends with it.
      const outages =
        acc.openOutage === undefined || acc.openOutage.state === 'stopped'
          ? acc.outages
          : [...acc.outages, { ...acc.openOutage, to: Math.max(acc.lastT, acc.openOutage.from) }];
      return {
        id,
        events: acc.events,
        rawFrames: acc.rawFrames,
        reconnects: delta('reconnects'),
        restarts: delta('restarts'),
        resyncs: delta('resyncs'),
        sequenceGaps: delta('sequenceGaps'),
        checksumFailures: delta('checksumFailures'),
        droppedMessages: delta('droppedMessages'),
        outages: outages.filter((o) => o.state !== 'starting' || o.to - o.from > 5000),
        lastErrors: (acc.last?.errors ?? []).slice(-5).map((e) => e.message),
      };
    }),
  };
}
