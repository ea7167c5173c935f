// Recording, replay and export state as the UI sees it (no runtime dependencies).

import type { SessionMeta } from '../recording/format.js';
import type { ReplaySpeed } from '../recording/types.js';

export interface RecordingState {
  /** The session being recorded, with live counts; null when not recording. */
  readonly active: SessionMeta | null;
  /** Why recording stopped on its own (disk limit), until the next start. */
  readonly warning: string | null;
  readonly limitBytes: number;
  readonly usedBytes: number;
  /** The host takes feeds from a cluster, so it can record there too. */
  readonly clusterAvailable: boolean;
  /** The recording running on the cluster (started by this host or another), with its counts when last read. */
  readonly clusterActive: SessionMeta | null;
}

/** Where to record: on the cluster, under these limits (the oldest messages go first). */
export interface ClusterRecordingLimits {
  readonly maxBytes: number;
  /** 0: no age limit. */
  readonly maxAgeMs: number;
}

export interface ReplayState {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly speed: ReplaySpeed;
  readonly state: 'playing' | 'finished' | 'stopped';
  readonly played: number;
}

export interface ExportProgressEvent {
  readonly exportId: string;
  readonly rows: number;
  readonly fraction: number;
}
