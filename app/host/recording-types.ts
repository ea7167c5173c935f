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
