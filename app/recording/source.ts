// Where a session's records are read from: a folder of segments on this machine, or a
// JetStream stream on the cluster (app/cluster/cluster-recordings.ts). Export, report and replay
// read through this, so a session recorded on the cluster is exported, reported and replayed
// exactly as one recorded here.

import { stat } from 'node:fs/promises';
import type { RecordLine } from './format.js';
import { recordBatches, segmentsOf, type ReadStats } from './reader.js';
import type { Period } from './types.js';

/** What the cluster's copy of a feed is missing (a session recorded here has none of this). */
export interface FeedGaps {
  /** Messages the node numbered that the recording does not hold. */
  readonly missing: number;
  /** The nodes that collected it, in the order they did. */
  readonly nodes: readonly string[];
  /** While one node took it over from another, nobody collected it. */
  readonly outages: readonly Period[];
}

export interface RecordSource {
  /** Bytes to read in all (for progress). */
  size(): Promise<number>;
  /** Every valid record, oldest first, a chunk's worth at a time; `stats` is filled as it goes. */
  batches(stats?: ReadStats): AsyncGenerator<RecordLine[]>;
  /** After a full read: per feed, what the recording is missing (cluster recordings only). */
  gaps?(): ReadonlyMap<string, FeedGaps>;
}

/** A session recorded on this machine: its folder of segments. */
export function directorySource(dir: string): RecordSource {
  return {
    async size() {
      let total = 0;
      for (const file of await segmentsOf(dir)) total += (await stat(file)).size;
      return total;
    },
    batches: (stats) => recordBatches(dir, stats),
  };
}

/** A folder path or a source, as the callers have it. */
export function sourceOf(from: string | RecordSource): RecordSource {
  return typeof from === 'string' ? directorySource(from) : from;
}
