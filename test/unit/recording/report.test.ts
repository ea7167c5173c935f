// The session report from any record source: counters summed over collectors started afresh
// (a feed taken over by another node counts from zero again), and the cluster's own findings
// (missing messages, takeovers) added to each feed.

import { describe, expect, it } from 'vitest';
import type { CollectorStatus } from '../../../app/core/collector-status.js';
import type { RecordLine, SessionMeta } from '../../../app/recording/format.js';
import { buildReport } from '../../../app/recording/report.js';
import type { RecordSource } from '../../../app/recording/source.js';

const meta: SessionMeta = {
  version: 1,
  id: 'nats-20261126T000000-abcdef',
  name: 'night',
  startedAt: 0,
  endedAt: 10_000,
  state: 'complete',
  pid: 0,
  feeds: [],
  counts: { records: 0, rawFrames: 0, events: 0, bytes: 0, dropped: 0 },
  limitReached: false,
  tornLines: 0,
};

function status(t: number, resyncs: number, state = 'running'): RecordLine {
  const st = { id: 'okx:BTC-USDT', status: state, resyncs, reconnects: 0, restarts: 0, sequenceGaps: 0, checksumFailures: 0, droppedMessages: 0, errors: [] };
  return { t, c: 'okx:BTC-USDT', k: 'st', st: st as unknown as CollectorStatus };
}

function source(records: RecordLine[], gaps?: RecordSource['gaps']): RecordSource {
  return {
    size: () => Promise.resolve(0),
    async *batches(stats) {
      if (stats !== undefined) stats.records += records.length;
      await Promise.resolve();
      yield records;
    },
    ...(gaps === undefined ? {} : { gaps }),
  };
}

describe('session report', () => {
  it('sums each counter across a collector started afresh instead of losing it', async () => {
    const report = await buildReport(source([status(1000, 2), status(2000, 3), status(3000, 0), status(4000, 1)]), meta);
    // 2 → 3 on the first collector, then 0 → 1 on the one that took over: two resyncs.
    expect(report.feeds[0]?.resyncs).toBe(2);
  });

  it('adds what the cluster found: missing messages, the nodes in turn, and the takeover as an outage', async () => {
    const gaps = () => new Map([['okx:BTC-USDT', { missing: 4, nodes: ['n1', 'n2'], outages: [{ state: 'taken over by n2', from: 2500, to: 6000 }] }]]);
    const report = await buildReport(source([status(1000, 0), status(2000, 0), status(7000, 0)], gaps), meta);
    expect(report.feeds[0]).toMatchObject({ missing: 4, nodes: ['n1', 'n2'], outages: [{ state: 'taken over by n2', from: 2500, to: 6000 }] });
    expect(report.recordingDropped).toBe(4);
  });
});
