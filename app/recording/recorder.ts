// SessionRecorder: writes what collectors see to a session on disk — every raw frame (for
// collectors with storeRawData) with its receive time, every normalized event, and the
// collectors' statuses (each second and on change). Lines are buffered (bounded: a disk that
// cannot keep up costs counted drops, never memory), appended every 100 ms, synced to disk
// every 2 s, and split into segments. When the disk budget is used up, or the disk fails (full,
// read-only), it stops writing and says so; the counts stay honest (records written, records
// dropped — a chunk that failed to write included) and stop() always works.
// Anything appended before a crash stays readable.

import { EventEmitter } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { BaseDataCollector } from '../core/base-collector.js';
import type { CollectorStatus } from '../core/collector-status.js';
import { FileWriteError, fileOpeners } from '../core/atomic-file.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { MarketEvent, RawMessage } from '../core/types.js';
import { encodeLine, segmentName, type FeedInfo, type RecordLine, type SessionMeta } from './format.js';
import type { SessionStore } from './session-store.js';
import { formatBytes } from './types.js';

const log = getLogger('recording');

export interface RecorderOptions {
  readonly store: SessionStore;
  readonly name?: string;
  /** Disk budget for all recorded sessions together, bytes. */
  readonly limitBytes: number;
  readonly segmentBytes?: number;
  readonly flushMs?: number;
  readonly syncMs?: number;
  readonly maxPendingBytes?: number;
  readonly now?: () => number;
}

export interface RecorderEvents {
  /** The disk budget was reached: recording has stopped writing. */
  limit: [message: string];
  /** A write failed (e.g. the disk is full): recording has stopped writing. */
  failed: [message: string];
}

interface Attached {
  readonly collector: BaseDataCollector;
  readonly onRaw: (message: RawMessage) => void;
  readonly onData: (event: MarketEvent) => void;
  readonly onStatus: (status: CollectorStatus) => void;
  lastState: string | undefined;
}

export class SessionRecorder extends EventEmitter<RecorderEvents> {
  private readonly attached = new Map<string, Attached>();
  private readonly feeds = new Map<string, FeedInfo>();
  private pending: string[] = [];
  private pendingBytes = 0;
  private handle: FileHandle | undefined;
  private segment = 0;
  private segmentSize = 0;
  private written = 0;
  private flushing: Promise<void> | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private cut = false;
  private limited = false;
  private failure: string | undefined;
  private counts = { records: 0, rawFrames: 0, events: 0, dropped: 0 };
  private readonly now: () => number;
  private readonly segmentBytes: number;
  private readonly maxPendingBytes: number;

  private constructor(
    readonly id: string,
    private readonly dir: string,
    private name: string,
    readonly startedAt: number,
    private readonly usedBefore: number,
    private readonly options: RecorderOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
  }

  /** Starts a session recording `collectors` (more can be attached later). */
  static async start(collectors: Iterable<BaseDataCollector>, options: RecorderOptions): Promise<SessionRecorder> {
    const now = (options.now ?? Date.now)();
    const used = await options.store.usage();
    if (used >= options.limitBytes) {
      throw new Error(
        `Recordings already use ${formatBytes(used)}, the limit set is ${formatBytes(options.limitBytes)}: delete old sessions or raise the limit.`,
      );
    }
    const { id, dir } = await options.store.allocate(now);
    const recorder = new SessionRecorder(id, dir, options.name ?? `Session ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')}`, now, used, options);
    await recorder.openSegment();
    for (const collector of collectors) recorder.attach(collector);
    recorder.push({ t: now, k: 'mark', m: 'start' });
    try {
      await options.store.writeMeta(recorder.meta('recording'));
    } catch (error) {
      await recorder.handle?.close().catch(() => undefined);
      throw error;
    }
    recorder.timers.push(setInterval(() => void recorder.flush(), options.flushMs ?? 100));
    recorder.timers.push(setInterval(() => void recorder.sync(), options.syncMs ?? 2000));
    recorder.timers.push(setInterval(() => recorder.snapshotStatuses(), 1000));
    recorder.timers.push(setInterval(() => void recorder.saveMeta(), 5000));
    log.info({ session: id }, 'recording started');
    return recorder;
  }

  get stopped(): boolean {
    return this.cut;
  }

  get limitReached(): boolean {
    return this.limited;
  }

  /** Renames the session; the recorder's own meta writes carry the new name from now on. */
  async rename(name: string): Promise<SessionMeta> {
    this.name = name;
    const meta = this.meta();
    await this.options.store.writeMeta(meta);
    return meta;
  }

  /** Why writing stopped early (a disk failure), if it did. */
  get failedBecause(): string | undefined {
    return this.failure;
  }

  /** Starts recording one more collector (a symbol added during the session). */
  attach(collector: BaseDataCollector): void {
    if (this.cut || this.attached.has(collector.id)) return;
    const id = collector.id;
    const attached: Attached = {
      collector,
      lastState: undefined,
      onRaw: (message) => {
        this.counts.rawFrames += 1;
        this.push({ t: message.receivedAt, c: id, k: 'raw', s: message.stream, p: message.payload });
      },
      onData: (event) => {
        this.counts.events += 1;
        this.push({ t: event.receivedAt, c: id, k: 'ev', e: event });
      },
      onStatus: (status) => {
        if (status.status === attached.lastState) return;
        attached.lastState = status.status;
        this.push({ t: this.now(), c: id, k: 'st', st: status });
      },
    };
    collector.on('raw', attached.onRaw);
    collector.on('data', attached.onData);
    collector.on('status', attached.onStatus);
    this.attached.set(id, attached);
    this.seedBook(collector);
    const { exchange, symbol, dataTypes, storeRawData } = collector.config;
    this.feeds.set(id, { id, exchange, symbol, dataTypes: [...dataTypes], raw: storeRawData });
    attached.onStatus(collector.getStatus());
  }

  detach(id: string): void {
    const attached = this.attached.get(id);
    if (attached === undefined) return;
    this.push({ t: this.now(), c: id, k: 'st', st: attached.collector.getStatus() });
    attached.collector.off('raw', attached.onRaw);
    attached.collector.off('data', attached.onData);
    attached.collector.off('status', attached.onStatus);
    this.attached.delete(id);
  }

  /** Live figures for the UI. */
  meta(state: SessionMeta['state'] = this.cut ? 'complete' : 'recording'): SessionMeta {
    return {
      version: 1,
      id: this.id,
      name: this.name,
      startedAt: this.startedAt,
      endedAt: state === 'recording' ? null : this.now(),
      state,
      pid: process.pid,
      feeds: [...this.feeds.values()],
      counts: { ...this.counts, bytes: this.written + this.pendingBytes },
      limitReached: this.limited,
      tornLines: 0,
    };
  }

  /**
   * Ends the session: nothing after this call is recorded (the cut is synchronous), then
   * everything pending is written, synced, and the session marked complete.
   */
  async stop(): Promise<SessionMeta> {
    if (this.cut && this.handle === undefined && this.timers.length === 0) return this.meta('complete');
    for (const id of [...this.attached.keys()]) this.detach(id);
    this.push({ t: this.now(), k: 'mark', m: 'stop' });
    this.cut = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    await handle?.sync().catch(() => undefined);
    await handle?.close().catch((error: unknown) => log.warn({ session: this.id, err: describeError(error) }, 'segment close failed'));
    const meta = this.meta('complete');
    await this.saveMeta(meta);
    log.info({ session: this.id, records: meta.counts.records, dropped: meta.counts.dropped, bytes: meta.counts.bytes }, 'recording stopped');
    return meta;
  }

  /** Writes session.json; a failure is logged (the segments remain readable and recoverable). */
  private async saveMeta(meta: SessionMeta = this.meta('recording')): Promise<void> {
    try {
      await this.options.store.writeMeta(meta);
    } catch (error) {
      log.error({ session: this.id, err: describeError(error) }, 'session.json could not be written');
    }
  }

  private push(record: RecordLine): void {
    if (this.cut || this.limited || this.failure !== undefined) return;
    const line = encodeLine(record);
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + bytes > this.maxPendingBytes) {
      this.counts.dropped += 1;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    this.counts.records += 1;
    if (this.usedBefore + this.written + this.pendingBytes >= this.options.limitBytes) this.hitLimit();
  }

  private hitLimit(): void {
    const message = `Recording stopped: recordings reached the disk limit of ${formatBytes(this.options.limitBytes)}. Delete old sessions or raise the limit to record again.`;
    // The marker itself is allowed past the limit so a reader knows why the data ends.
    this.pending.push(encodeLine({ t: this.now(), k: 'mark', m: 'limit' }));
    this.limited = true;
    log.warn({ session: this.id }, message);
    this.emit('limit', message);
  }

  /** The book as it stands now, so a replay can place the updates that follow. */
  private seedBook(collector: BaseDataCollector): void {
    const t = this.now();
    const event = collector.bookSnapshotEvent(t);
    if (event === undefined) return;
    this.counts.events += 1;
    this.push({ t, c: collector.id, k: 'ev', e: event, seed: true });
  }

  private snapshotStatuses(): void {
    const t = this.now();
    for (const [id, attached] of this.attached) this.push({ t, c: id, k: 'st', st: attached.collector.getStatus() });
  }

  private async openSegment(): Promise<void> {
    const previous = this.handle;
    this.handle = undefined;
    await previous?.close();
    this.segment += 1;
    this.segmentSize = 0;
    const file = path.join(this.dir, segmentName(this.segment));
    this.handle = await fileOpeners.append(file);
  }

  private flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0 && this.handle !== undefined && this.failure === undefined) {
      const lines = this.pending;
      const bytes = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        if (this.segmentSize > 0 && this.segmentSize + bytes > this.segmentBytes) await this.openSegment();
        if (this.handle === undefined) throw new Error('the segment file is not open');
        await this.handle.write(lines.join(''));
        this.segmentSize += bytes;
        this.written += bytes;
      } catch (error) {
        this.writeFailed(error, lines.length);
      }
    }
  }

  /** The chunk in hand could not be written: count it as dropped, and stop recording, saying why. */
  private writeFailed(error: unknown, lines: number): void {
    const reason = new FileWriteError(path.join(this.dir, segmentName(this.segment)), error, 'write to');
    // What was lost: the failed chunk, and whatever was queued behind it.
    const lost = lines + this.pending.length;
    this.counts.records -= lost;
    this.counts.dropped += lost;
    this.pending = [];
    this.pendingBytes = 0;
    this.failure = reason.message;
    const message = `Recording stopped: ${reason.reason}${reason.code === undefined ? '' : ` (${reason.code})`}. ${lost.toLocaleString('en-US')} record${lost === 1 ? ' was' : 's were'} not written; everything before them is kept.`;
    log.error({ session: this.id, err: describeError(error), dropped: lost }, message);
    this.emit('failed', message);
  }

  private async sync(): Promise<void> {
    await this.flush();
    await this.handle?.datasync().catch(() => undefined);
  }
}
