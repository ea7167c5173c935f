// RecordingService: the host's recorded sessions — record the live collectors (symbols added
// while recording are attached, removed ones detached), list/rename/delete sessions, replay one
// into the UI (its feeds appear as `replay:…` feeds, labelled as a replay), export with progress,
// and the disk budget setting (persisted in settings.json).

import { EventEmitter } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BaseDataCollector } from '../core/base-collector.js';
import { writeFileAtomic } from '../core/atomic-file.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { ExchangeFactory } from '../exchanges/factory.js';
import { exportSession, type ExportRequest, type ExportResult } from '../recording/export.js';
import type { SessionMeta } from '../recording/format.js';
import { SessionRecorder } from '../recording/recorder.js';
import { ReplayCollector, SessionPlayer, type ReplaySpeed } from '../recording/replay.js';
import { buildReport, type SessionReport } from '../recording/report.js';
import { SessionNotFoundError, SessionStore } from '../recording/session-store.js';
import { HostError } from './host-error.js';
import type { ClusterRecordingLimits, ExportProgressEvent, RecordingState, ReplayState } from './recording-types.js';
import { ClusterRecordingError, ClusterRecordingNotFoundError, isClusterSession, type ClusterRecordings } from '../cluster/cluster-recordings.js';
import type { RecordSource } from '../recording/source.js';

export type { ClusterRecordingLimits, ExportProgressEvent, RecordingState, ReplayState } from './recording-types.js';

const log = getLogger('host');

export const DEFAULT_RECORDING_LIMIT = 10 * 1024 ** 3;
const CLUSTER_WAIT_MS = 10_000;

export interface RecordingEvents {
  recording: [state: RecordingState];
  /** The list of sessions changed (a recording started or finished, a rename, a delete). */
  sessions: [];
  replay: [state: ReplayState | null];
  exportProgress: [progress: ExportProgressEvent];
}

/** What the service needs from the host. */
export interface RecordingHost {
  readonly factory: ExchangeFactory;
  liveCollectors(): BaseDataCollector[];
  addReplayFeeds(collectors: readonly ReplayCollector[]): void;
  removeReplayFeeds(ids: readonly string[]): void;
  /** Tells the trader something that needs attention wherever they are in the UI. */
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** The cluster's recordings; absent when the host takes no feeds from a cluster. */
  readonly clusterRecordings?: () => Promise<ClusterRecordings>;
}

const settingsSchema = z.object({ recordingLimitBytes: z.number().int().positive() });

export class RecordingService extends EventEmitter<RecordingEvents> {
  readonly store: SessionStore;
  readonly exportsDir: string;
  private recorder: SessionRecorder | undefined;
  /** A recorder whose stop is under way, and the promise of its final meta. */
  private finishing: { readonly id: string; readonly done: Promise<SessionMeta> } | undefined;
  private warning: string | null = null;
  private limitBytes = DEFAULT_RECORDING_LIMIT;
  private usedBytes = 0;
  private player: SessionPlayer | undefined;
  private replayState: ReplayState | null = null;
  private replayIds: string[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private exports = 0;
  private cluster: ClusterRecordings | undefined;
  /** The running cluster recording's counts, read every few seconds while one runs. */
  private clusterActive: SessionMeta | null = null;
  private clusterTicker: NodeJS.Timeout | undefined;
  private refreshing = false;
  /** Bumped by this host's own start and stop: a read begun before one is stale when it ends. */
  private clusterGeneration = 0;

  constructor(
    private readonly dataDir: string,
    private readonly host: RecordingHost,
  ) {
    super();
    // One listener per event for every connected UI client (at most MAX_SESSIONS browser tabs).
    this.setMaxListeners(64);
    // A session stays "active" until its recorder has fully stopped (never "recovered" meanwhile).
    this.store = new SessionStore(dataDir, (id) => (this.recorder?.id === id && !this.recorder.stopped) || this.finishing?.id === id);
    this.exportsDir = path.join(dataDir, 'exports');
  }

  async load(): Promise<void> {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(await readFile(this.settingsFile(), 'utf8')));
      if (parsed.success) this.limitBytes = parsed.data.recordingLimitBytes;
    } catch {
      // No settings yet: defaults.
    }
    this.usedBytes = await this.store.usage();
    if (this.host.clusterRecordings !== undefined) void this.clusterOrUndefined();
  }

  /** The cluster's recordings, connecting (once) if need be; every change there is passed on. */
  private async clusterRecordings(): Promise<ClusterRecordings> {
    const open = this.host.clusterRecordings;
    if (open === undefined)
      throw new HostError('unsupported', 'This host is not connected to a cluster: start it with --nats nats://HOST:4222 to record there.');
    let cluster: ClusterRecordings;
    let timer: NodeJS.Timeout | undefined;
    try {
      // The first connection waits for a server that is not up yet: a command does not.
      cluster = await Promise.race([
        open(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no NATS server answered within ${CLUSTER_WAIT_MS / 1000} s`)), CLUSTER_WAIT_MS);
        }),
      ]);
    } catch (error) {
      if (error instanceof HostError) throw error;
      throw new HostError('exchange', `The cluster cannot be reached: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (this.cluster !== cluster) {
      // A new connection to the cluster (the first, or after the last one failed): follow it alone.
      if (this.clusterTicker !== undefined) clearInterval(this.clusterTicker);
      this.cluster?.close();
      this.cluster = cluster;
      cluster.on('changed', () => {
        void this.refreshClusterActive();
        this.emit('sessions');
      });
      this.clusterTicker = setInterval(() => {
        if (this.clusterActive !== null || cluster.running().length > 0) void this.refreshClusterActive();
      }, 2000);
      this.clusterTicker.unref();
      await this.refreshClusterActive();
      // Its sessions join the list.
      this.emit('sessions');
    }
    return cluster;
  }

  private async clusterOrUndefined(): Promise<ClusterRecordings | undefined> {
    try {
      return await this.clusterRecordings();
    } catch (error) {
      log.warn({ err: describeError(error) }, 'cluster recordings unavailable');
      return undefined;
    }
  }

  /** Re-reads the running cluster recording's counts (its stream grows on the servers). */
  private async refreshClusterActive(): Promise<void> {
    // One read at a time: a slow cluster never piles them up.
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const cluster = this.cluster;
      const generation = this.clusterGeneration;
      const id = cluster?.running()[0];
      const before = this.clusterActive;
      const active = id === undefined || cluster === undefined ? null : await cluster.get(id, false).catch(() => cluster.active());
      if (generation !== this.clusterGeneration) return;
      this.clusterActive = active;
      if (before !== null || active !== null) this.emitState();
    } finally {
      this.refreshing = false;
    }
  }

  state(): RecordingState {
    const active = this.recorder?.meta() ?? null;
    return {
      active,
      warning: this.warning,
      limitBytes: this.limitBytes,
      usedBytes: this.usedBytes + (active?.counts.bytes ?? 0),
      clusterAvailable: this.host.clusterRecordings !== undefined,
      clusterActive: this.clusterActive,
    };
  }

  /** Sets the disk budget; settings.json is written as it stands when the write runs (the last change wins). */
  async setLimit(bytes: number): Promise<number> {
    this.limitBytes = bytes;
    this.emitState();
    try {
      await writeFileAtomic(this.settingsFile(), () => `${JSON.stringify({ recordingLimitBytes: this.limitBytes }, null, 2)}\n`);
    } catch (error) {
      throw new HostError('invalid', `${describeError(error)} The new limit applies until the app closes.`);
    }
    return bytes;
  }

  /** Starts recording here, or, with `cluster`, on the cluster (every feed its nodes collect). */
  async start(name?: string, cluster?: ClusterRecordingLimits): Promise<SessionMeta> {
    if (cluster !== undefined) {
      const recordings = await this.clusterRecordings();
      const meta = await this.wrap(() => recordings.start({ ...cluster, ...(name === undefined ? {} : { name }) }));
      this.clusterActive = meta;
      this.clusterGeneration += 1;
      this.emitState();
      this.emit('sessions');
      return meta;
    }
    if (this.recorder !== undefined && !this.recorder.stopped) throw new HostError('duplicate', 'A session is already being recorded.');
    const collectors = this.host.liveCollectors();
    if (collectors.length === 0) throw new HostError('invalid', 'Nothing to record: add a symbol first.');
    try {
      this.recorder = await SessionRecorder.start(collectors, { store: this.store, limitBytes: this.limitBytes, ...(name === undefined ? {} : { name }) });
    } catch (error) {
      throw new HostError('limit', describeError(error));
    }
    this.warning = null;
    const recorder = this.recorder;
    const halt = (message: string, level: 'warning' | 'error'): void => {
      this.warning = message;
      this.host.notify(level, message);
      if (this.recorder === recorder) void this.stop().catch((error: unknown) => log.error({ err: describeError(error) }, 'recording stop failed'));
    };
    recorder.on('limit', (message) => halt(message, 'warning'));
    recorder.on('failed', (message) => halt(message, 'error'));
    this.ticker = setInterval(() => this.emitState(), 1000);
    this.emitState();
    this.emit('sessions');
    return this.recorder.meta();
  }

  /**
   * Ends the recording here; with the id of a recording on the cluster, ends that one (whichever
   * host started it). Always works, even on a full disk (what could not be written is counted).
   */
  async stop(id?: string): Promise<SessionMeta> {
    if (id !== undefined && isClusterSession(id)) {
      const recordings = await this.clusterRecordings();
      const meta = await this.wrap(() => recordings.stop(id));
      if (this.clusterActive?.id === id) this.clusterActive = null;
      this.clusterGeneration += 1;
      this.emitState();
      this.emit('sessions');
      return meta;
    }
    const recorder = this.recorder;
    if (recorder === undefined) {
      // A stop already under way (e.g. the disk filled up): the caller gets its result too.
      if (this.finishing !== undefined) return this.finishing.done;
      throw new HostError('not_found', 'Nothing is being recorded.');
    }
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    this.recorder = undefined;
    const done = recorder.stop();
    const finishing = { id: recorder.id, done };
    this.finishing = finishing;
    this.emitState();
    try {
      const meta = await done;
      this.usedBytes = await this.store.usage().catch(() => this.usedBytes + meta.counts.bytes);
      return meta;
    } finally {
      if (this.finishing === finishing) this.finishing = undefined;
      this.emitState();
      this.emit('sessions');
    }
  }

  /** A collector joined or left the host: keep the recording in step. */
  attach(collector: BaseDataCollector): void {
    if (this.recorder !== undefined && !this.recorder.stopped) this.recorder.attach(collector);
  }

  detach(id: string): void {
    this.recorder?.detach(id);
  }

  /** Sessions recorded here and, when the host has a cluster, those on it: newest first. */
  async list(): Promise<SessionMeta[]> {
    const local = await this.store.list();
    const cluster = this.cluster;
    if (cluster === undefined) {
      // Not connected yet: the list is sent again ('sessions') once the cluster's are known.
      if (this.host.clusterRecordings !== undefined) void this.clusterOrUndefined();
      return local;
    }
    const remote = await cluster.list().catch((error: unknown) => {
      log.warn({ err: describeError(error) }, 'the cluster’s recordings could not be listed');
      return [];
    });
    return [...local, ...remote].sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Renames a session; one being recorded is renamed through its recorder, so the name sticks. */
  async rename(id: string, name: string): Promise<SessionMeta> {
    if (isClusterSession(id)) {
      const recordings = await this.clusterRecordings();
      const meta = await this.wrap(() => recordings.rename(id, name));
      this.emit('sessions');
      return meta;
    }
    const recorder = this.recorder;
    if (recorder !== undefined && recorder.id === id && !recorder.stopped) {
      const meta = await this.wrap(() => recorder.rename(name));
      this.emitState();
      this.emit('sessions');
      return meta;
    }
    const meta = await this.wrap(() => this.store.rename(id, name));
    this.emit('sessions');
    return meta;
  }

  async delete(id: string): Promise<void> {
    if (this.replayState?.sessionId === id) await this.stopReplay();
    if (isClusterSession(id)) {
      const recordings = await this.clusterRecordings();
      await this.wrap(() => recordings.delete(id));
      this.emit('sessions');
      return;
    }
    await this.wrap(() => this.store.delete(id));
    this.usedBytes = await this.store.usage();
    this.emitState();
    this.emit('sessions');
  }

  async report(id: string): Promise<SessionReport> {
    const { meta, source } = await this.recorded(id);
    return this.wrap(() => buildReport(source, meta));
  }

  /** A session's meta and where its records are read from: this machine's disk or the cluster. */
  private async recorded(id: string): Promise<{ meta: SessionMeta; source: string | RecordSource }> {
    if (isClusterSession(id)) {
      const recordings = await this.clusterRecordings();
      return { meta: await this.wrap(() => recordings.get(id)), source: recordings.source(id) };
    }
    return { meta: await this.wrap(() => this.store.get(id)), source: this.store.dir(id) };
  }

  async startReplay(id: string, speed: ReplaySpeed): Promise<ReplayState> {
    await this.stopReplay();
    const { meta, source } = await this.recorded(id);
    const collectors = new Map<string, ReplayCollector>();
    for (const feed of meta.feeds) {
      const collector = new ReplayCollector(feed);
      await collector.prepare(this.host.factory);
      collectors.set(feed.id, collector);
    }
    this.replayState = { sessionId: id, sessionName: meta.name, speed, state: 'playing', played: 0 };
    this.host.addReplayFeeds([...collectors.values()]);
    this.replayIds = [...collectors.values()].map((c) => c.id);
    const player = new SessionPlayer(source, meta, speed, collectors);
    this.player = player;
    player.on('progress', ({ records }) => this.setReplay({ played: records }));
    player.on('finished', ({ records, stopped }) => this.setReplay({ played: records, state: stopped ? 'stopped' : 'finished' }));
    player.start();
    this.emit('replay', this.replayState);
    return this.replayState;
  }

  /** Stops the replay and removes its feeds. */
  async stopReplay(): Promise<void> {
    const player = this.player;
    this.player = undefined;
    await player?.stop();
    if (this.replayIds.length > 0) this.host.removeReplayFeeds(this.replayIds);
    this.replayIds = [];
    if (this.replayState !== null) {
      this.replayState = null;
      this.emit('replay', null);
    }
  }

  replay(): ReplayState | null {
    return this.replayState;
  }

  /** Exports a session; without a path the file goes to `<dataDir>/exports/`. */
  async export(id: string, request: Omit<ExportRequest, 'path'> & { path?: string }): Promise<ExportResult & { exportId: string }> {
    const { meta, source } = await this.recorded(id);
    const exportId = `export-${++this.exports}`;
    let target = request.path;
    if (target === undefined) {
      await mkdir(this.exportsDir, { recursive: true });
      const extension = request.format === 'jsonl' ? 'jsonl' : request.format;
      target = path.join(this.exportsDir, `${meta.id}-${request.table}.${extension}`);
    }
    try {
      const result = await exportSession(source, meta, { ...request, path: target }, (progress) => this.emit('exportProgress', { exportId, ...progress }));
      return { ...result, exportId };
    } catch (error) {
      throw new HostError('invalid', describeError(error));
    }
  }

  async close(): Promise<void> {
    if (this.clusterTicker !== undefined) clearInterval(this.clusterTicker);
    this.cluster?.close();
    await this.stopReplay();
    if (this.recorder !== undefined) await this.stop().catch((error: unknown) => log.error({ err: describeError(error) }, 'recording stop failed'));
  }

  private setReplay(change: Partial<ReplayState>): void {
    if (this.replayState === null) return;
    this.replayState = { ...this.replayState, ...change };
    this.emit('replay', this.replayState);
  }

  private emitState(): void {
    this.emit('recording', this.state());
  }

  private settingsFile(): string {
    return path.join(this.dataDir, 'settings.json');
  }

  private async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof SessionNotFoundError || error instanceof ClusterRecordingNotFoundError) throw new HostError('not_found', error.message);
      if (error instanceof ClusterRecordingError) throw new HostError('invalid', error.message);
      if (error instanceof HostError) throw error;
      throw new HostError('invalid', describeError(error));
    }
  }
}
