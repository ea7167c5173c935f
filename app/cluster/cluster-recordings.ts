// Recordings kept on the cluster. A recording is a JetStream stream capturing what the nodes
// publish — raw frames, normalized events, statuses and book checkpoints — of every feed the
// cluster collects (or of chosen feeds), under limits by size and age (the oldest messages go
// first). It is made by one host, runs on the NATS servers (it goes on when that host closes,
// and follows feeds taken over by another node) and is stopped, listed, renamed, deleted,
// exported, reported on and replayed from any host. Its name and state are kept in the key-value
// bucket `td-recordings`; stopping moves the stream off the live subjects (its data stays, under
// its age limit), so the next recording can capture them.
//
// Reading one back turns each message into the record a session recorded here would hold, so
// export, report and replay are the ones of app/recording/: checkpoints become the book's seed,
// book updates before a feed's first book are left out (they cannot be placed), and every
// message number a node skipped, or a node taking a feed over, is counted for the report.

import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { DiscardPolicy, JetStreamApiError, StorageType, jetstream, jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { KvWatchInclude, Kvm, type KV } from '@nats-io/kv';
import { z } from 'zod';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { DataType } from '../core/types.js';
import { decodeRecord, type FeedInfo, type RecordLine, type SessionMeta } from '../recording/format.js';
import type { ReadStats } from '../recording/reader.js';
import type { FeedGaps, RecordSource } from '../recording/source.js';
import type { Period } from '../recording/types.js';
import { openBucket } from './feed-leases.js';
import { safeJson } from './collector-node.js';
import { CHECKPOINT_REQUEST, feedOfSubject, feedWildcard, rawSubject } from './subjects.js';

const log = getLogger('cluster');

export const RECORDINGS_BUCKET = 'td-recordings';
/** Ids of sessions on the cluster start with this (those recorded here never do). */
export const CLUSTER_SESSION_PREFIX = 'nats-';
const OVERLAP = 10065;
const API_ATTEMPTS = 6;

/**
 * Runs a JetStream API call, again when the cluster is not ready to answer it: just after a
 * server is lost, calls time out until the others have noticed (each try waits 5 s); while
 * servers start, JetStream says it is unavailable for a moment. Every call made through this
 * is safe to repeat.
 */
async function settled<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const timedOut = /timeout/i.test(message);
      if (attempt >= API_ATTEMPTS || !(timedOut || /not enabled|temporarily unavailable|no responders/i.test(message))) throw error;
      log.warn({ what, attempt, err: message }, 'the cluster did not answer; asking again');
      if (!timedOut) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export function isClusterSession(id: string): boolean {
  return id.startsWith(CLUSTER_SESSION_PREFIX);
}

export function streamOfSession(id: string): string {
  return `TD_REC_${id}`;
}

export class ClusterRecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterRecordingError';
  }
}

/** A recording's entry in the bucket, as stored (and checked when read: other hosts write it). */
const storedSchema = z.strictObject({
  version: z.literal(1),
  id: z.string().regex(/^nats-[A-Za-z0-9_-]{1,59}$/),
  name: z.string().max(200),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  state: z.enum(['recording', 'complete']),
  startedBy: z.string().max(200),
  /** The feeds captured; null: every feed of the cluster. */
  feeds: z.array(z.string().max(120)).max(2000).nullable(),
  maxBytes: z.number().int().positive(),
  maxAgeMs: z.number().int().nonnegative(),
});
type Stored = z.infer<typeof storedSchema>;

export interface ClusterRecordingOptions {
  readonly name?: string;
  /** Feed ids to capture; all the cluster collects (now and later) when absent or empty. */
  readonly feeds?: readonly string[];
  /** The oldest messages go once the stream holds this many bytes. */
  readonly maxBytes: number;
  /** Messages older than this go (0: kept until deleted or pushed out by the size limit). */
  readonly maxAgeMs: number;
}

export interface ClusterRecordingsOptions {
  /** The name this host gives itself in the cluster (who started a recording). */
  readonly host: string;
  /** Stream replicas (3 on a three-server cluster, so a lost server loses nothing). */
  readonly replicas?: number;
  readonly bucket?: string;
  /** A read of a stream fails after this long without a message (the cluster is gone). */
  readonly idleMs?: number;
  readonly now?: () => number;
}

export interface ClusterRecordingsEvents {
  /** A recording started, stopped, was renamed or deleted, by any host. */
  changed: [];
}

const STREAM_DATA_TYPES: Readonly<Record<string, DataType>> = { trade: 'trade', book: 'orderbook', ticker: 'ticker', candle: 'candles' };

export class ClusterRecordings extends EventEmitter<ClusterRecordingsEvents> {
  private readonly entries = new Map<string, Stored>();
  private stopWatching: (() => void) | undefined;
  private readonly now: () => number;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly kv: KV,
    private readonly options: ClusterRecordingsOptions,
  ) {
    super();
    this.setMaxListeners(64);
    this.now = options.now ?? Date.now;
  }

  static async open(nc: NatsConnection, options: ClusterRecordingsOptions): Promise<ClusterRecordings> {
    const kv = await openBucket(new Kvm(nc), options.bucket ?? RECORDINGS_BUCKET, { history: 1 });
    const recordings = new ClusterRecordings(nc, await jetstreamManager(nc, { checkAPI: false }), kv, options);
    await recordings.watch();
    return recordings;
  }

  /** Follows the bucket: every host sees a recording another one started, stopped or renamed. */
  private async watch(): Promise<void> {
    // Changes first (none is missed while the entries are read), then what is there.
    const watch = await this.kv.watch({ include: KvWatchInclude.UpdatesOnly });
    this.stopWatching = () => watch.stop();
    const changed = new Set<string>();
    void (async () => {
      for await (const entry of watch) {
        changed.add(entry.key);
        this.apply(entry.key, entry.operation === 'PUT' ? entry.string() : undefined);
        this.emit('changed');
      }
    })().catch((error: unknown) => log.warn({ err: describeError(error) }, 'cluster recordings watch ended'));
    for await (const key of await this.kv.keys()) {
      const entry = await this.kv.get(key);
      if (!changed.has(key) && entry !== null) this.apply(key, entry.operation === 'PUT' ? entry.string() : undefined);
    }
  }

  private apply(key: string, text: string | undefined): void {
    if (text === undefined) {
      this.entries.delete(key);
      return;
    }
    const parsed = storedSchema.safeParse(safeJson(text));
    if (parsed.success) this.entries.set(key, parsed.data);
    else log.warn({ key }, 'cluster recording entry unreadable; left out');
  }

  /** The recording running on the cluster now (started by any host), if any. */
  active(): SessionMeta | null {
    for (const stored of this.entries.values()) if (stored.state === 'recording') return this.metaOf(stored, undefined);
    return null;
  }

  /** Recordings on the cluster that are running now. */
  running(): readonly string[] {
    return [...this.entries.values()].filter((s) => s.state === 'recording').map((s) => s.id);
  }

  async start(options: ClusterRecordingOptions): Promise<SessionMeta> {
    const startedAt = this.now();
    const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const id = `${CLUSTER_SESSION_PREFIX}${stamp}-${randomBytes(3).toString('hex')}`;
    const feeds = options.feeds !== undefined && options.feeds.length > 0 ? [...options.feeds] : null;
    const stored: Stored = {
      version: 1,
      id,
      name: options.name ?? `Cluster ${new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ')}`,
      startedAt,
      endedAt: null,
      state: 'recording',
      startedBy: this.options.host,
      feeds,
      maxBytes: options.maxBytes,
      maxAgeMs: options.maxAgeMs,
    };
    const parsed = storedSchema.safeParse(stored);
    if (!parsed.success) throw new ClusterRecordingError(`This recording cannot be made: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    try {
      await settled('start', () =>
        this.jsm.streams.add({
          name: streamOfSession(id),
          description: stored.name,
          subjects: feeds === null ? ['md.>', 'raw.>'] : feeds.flatMap((feed) => [feedWildcard(feed), rawSubject(feed)]),
          max_bytes: options.maxBytes,
          max_age: options.maxAgeMs * 1_000_000,
          discard: DiscardPolicy.Old,
          storage: StorageType.File,
          num_replicas: this.options.replicas ?? 1,
        }),
      );
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === OVERLAP) {
        const other = this.active();
        if (other !== null) throw new ClusterRecordingError(`The recording “${other.name}” is already capturing these feeds on the cluster: stop it first.`);
        // A stream no recording of ours names (left by a host that died while starting one, or made by hand).
        const stream = await this.jsm.streams.find(feeds === null ? 'md.>' : feedWildcard(feeds[0] ?? '')).catch(() => undefined);
        throw new ClusterRecordingError(
          `The stream ${stream ?? '(unknown)'} on the cluster already captures these feeds, and no recording names it: remove it (nats stream rm ${stream ?? 'NAME'}) or ask the operator.`,
        );
      }
      throw new ClusterRecordingError(`The cluster could not start the recording: ${describeError(error)}`);
    }
    try {
      await settled('start', () => this.kv.create(id, JSON.stringify(stored)));
    } catch (error) {
      await this.jsm.streams.delete(streamOfSession(id)).catch(() => undefined);
      throw new ClusterRecordingError(`The cluster could not start the recording: ${describeError(error)}`);
    }
    this.entries.set(id, stored);
    // Every node puts its books in now, so the recording can place the updates that follow.
    this.nc.publish(CHECKPOINT_REQUEST);
    log.info({ session: id, feeds: feeds ?? 'all', maxBytes: options.maxBytes, maxAgeMs: options.maxAgeMs }, 'recording on the cluster started');
    return this.metaOf(stored, undefined);
  }

  /** Stops capturing; what was recorded stays (under the age limit). Any host may stop any recording. */
  async stop(id: string): Promise<SessionMeta> {
    const stream = streamOfSession(id);
    const info = await this.streamInfo(id);
    const closed = `td-rec.${id}`;
    if (!(info.config.subjects ?? []).every((s) => s === closed)) {
      try {
        await settled('stop', () => this.jsm.streams.update(stream, { ...info.config, subjects: [closed] }));
      } catch (error) {
        throw new ClusterRecordingError(`The cluster could not stop the recording: ${describeError(error)}`);
      }
    }
    const stored = await this.change(id, (current) => (current.state === 'complete' ? current : { ...current, state: 'complete', endedAt: this.now() }));
    log.info({ session: id }, 'recording on the cluster stopped');
    return this.get(stored.id);
  }

  async rename(id: string, name: string): Promise<SessionMeta> {
    await this.change(id, (current) => ({ ...current, name }));
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    const stored = await this.stored(id);
    if (stored.state === 'recording') throw new ClusterRecordingError('This recording is running on the cluster; stop it first.');
    try {
      await settled('delete', () => this.jsm.streams.delete(streamOfSession(id)));
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.status === 404) && !/not found/i.test(describeError(error))) throw error;
    }
    await settled('delete', () => this.kv.delete(id));
    this.entries.delete(id);
  }

  /** `patient: false` for live counts: a cluster slow to answer gives the meta without them rather than waiting. */
  async get(id: string, patient = true): Promise<SessionMeta> {
    const stored = await this.stored(id);
    return this.metaOf(stored, await this.streamInfo(id, true, patient).catch(() => undefined));
  }

  /** Every recording on the cluster, newest first, with its counts as its stream has them now. */
  async list(): Promise<SessionMeta[]> {
    const stored = [...this.entries.values()].sort((a, b) => b.startedAt - a.startedAt);
    return Promise.all(stored.map(async (s) => this.metaOf(s, await this.streamInfo(s.id, true, false).catch(() => undefined))));
  }

  /** The recording's messages, read as a session's records. */
  source(id: string): RecordSource {
    return new StreamSource(this.nc, this.jsm, streamOfSession(id), this.options.idleMs ?? 15_000);
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private async stored(id: string): Promise<Stored> {
    return this.entries.get(id) ?? (await this.read(id)).stored;
  }

  /** The entry as the bucket holds it now, checked, with its revision. */
  private async read(id: string): Promise<{ stored: Stored; revision: number }> {
    const entry = await settled('read', () => this.kv.get(id));
    if (entry === null || entry.operation !== 'PUT') throw new ClusterRecordingNotFoundError(id);
    const parsed = storedSchema.safeParse(safeJson(entry.string()));
    if (!parsed.success) throw new ClusterRecordingError(`The cluster's entry for recording ${id} is damaged.`);
    return { stored: parsed.data, revision: entry.revision };
  }

  /** Read, change and write the entry by compare-and-set (another host may change it at once). */
  private async change(id: string, update: (current: Stored) => Stored): Promise<Stored> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { stored, revision } = await this.read(id);
      const next = update(stored);
      try {
        await settled('write', () => this.kv.update(id, JSON.stringify(next), revision));
        this.entries.set(id, next);
        return next;
      } catch (error) {
        if (!/wrong last sequence/i.test(describeError(error))) throw error;
      }
    }
    throw new ClusterRecordingError(`Recording ${id} kept being changed by other hosts; try again.`);
  }

  /** `patient`: asked again while the cluster settles (a command); not for lists and live counts, which must not hang. */
  private async streamInfo(id: string, subjects = false, patient = true): Promise<StreamInfo> {
    const ask = (): Promise<StreamInfo> => this.jsm.streams.info(streamOfSession(id), subjects ? { subjects_filter: '>' } : undefined);
    try {
      return await (patient ? settled('stream info', ask) : ask());
    } catch (error) {
      if (/not found/i.test(describeError(error))) throw new ClusterRecordingError(`The stream of recording ${id} is gone from the cluster.`);
      throw error;
    }
  }

  private metaOf(stored: Stored, info: StreamInfo | undefined): SessionMeta {
    const state = info?.state;
    const { feeds, rawFrames, events } = feedsOf(state?.subjects ?? {});
    const discarded = state === undefined || state.messages === 0 ? (state?.last_seq ?? 0) : Math.max(0, state.first_seq - 1);
    return {
      version: 1,
      id: stored.id,
      name: stored.name,
      startedAt: stored.startedAt,
      endedAt: stored.endedAt,
      state: stored.state,
      pid: 0,
      feeds,
      counts: { records: state?.messages ?? 0, rawFrames, events, bytes: state?.bytes ?? 0, dropped: 0 },
      limitReached: discarded > 0,
      tornLines: 0,
      cluster: {
        stream: streamOfSession(stored.id),
        maxBytes: stored.maxBytes,
        maxAgeMs: stored.maxAgeMs,
        startedBy: stored.startedBy,
        discarded,
        firstAt: state === undefined || state.messages === 0 ? null : Date.parse(state.first_ts),
      },
    };
  }
}

export class ClusterRecordingNotFoundError extends Error {
  constructor(id: string) {
    super(`No recording ${id} on the cluster.`);
    this.name = 'ClusterRecordingNotFoundError';
  }
}

/** The feeds a stream holds, from its subjects and their message counts. */
export function feedsOf(subjects: Readonly<Record<string, number>>): { feeds: FeedInfo[]; rawFrames: number; events: number } {
  const found = new Map<string, { types: Set<DataType>; raw: boolean }>();
  let rawFrames = 0;
  let events = 0;
  for (const [subject, count] of Object.entries(subjects)) {
    const of = feedOfSubject(subject);
    if (of === undefined) continue;
    let feed = found.get(of.feed);
    if (feed === undefined) {
      feed = { types: new Set(), raw: false };
      found.set(of.feed, feed);
    }
    if (of.kind === 'raw') {
      feed.raw = true;
      rawFrames += count;
      continue;
    }
    const type = STREAM_DATA_TYPES[of.stream];
    if (type !== undefined) {
      feed.types.add(type);
      events += count;
    }
  }
  const feeds: FeedInfo[] = [];
  for (const [id, { types, raw }] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    // Only statuses (or frames nothing was made of): nothing to export or replay.
    if (types.size === 0) continue;
    const at = id.indexOf(':');
    feeds.push({ id, exchange: id.slice(0, at), symbol: id.slice(at + 1), dataTypes: [...types], raw });
  }
  return { feeds, rawFrames, events };
}

interface StreamPosition {
  node: string;
  seq: number;
}

interface FeedTrack {
  readonly nodes: string[];
  readonly outages: Period[];
  missing: number;
  lastT: number;
  hasBook: boolean;
}

/**
 * Turns the cluster's messages into records, in stream order: checks each (other machines
 * wrote them), counts what a node numbered but the stream lacks, notes takeovers.
 */
export class ClusterMessageReader {
  private readonly positions = new Map<string, StreamPosition>();
  private readonly feeds = new Map<string, FeedTrack>();
  private readonly decoder = new TextDecoder();

  /** One message; undefined when it holds nothing to record (or is not valid: then `torn` says so). */
  read(subject: string, data: Uint8Array, timeMs: number): { record?: RecordLine; torn?: true } {
    const of = feedOfSubject(subject);
    if (of === undefined) return { torn: true };
    let body: unknown;
    try {
      body = JSON.parse(this.decoder.decode(data));
    } catch {
      return { torn: true };
    }
    if (typeof body !== 'object' || body === null) return { torn: true };
    const { seq, node } = body as { readonly seq?: unknown; readonly node?: unknown };
    if (typeof seq !== 'number' || !Number.isInteger(seq) || typeof node !== 'string') return { torn: true };
    const feed = this.feed(of.feed);
    if (of.kind === 'raw') {
      const { stream, receivedAt, payload } = body as { readonly stream?: unknown; readonly receivedAt?: unknown; readonly payload?: unknown };
      const record = decodeRecord({ t: receivedAt, c: of.feed, k: 'raw', s: stream, p: payload });
      if (record === undefined) return { torn: true };
      this.track(feed, of.feed, 'raw', node, seq, record.t);
      return { record };
    }
    const event = (body as { readonly event?: unknown }).event;
    if (of.stream === 'checkpoint') {
      // The book's start point: wanted only until the feed has a book.
      const record = decodeRecord({ t: timeMs, c: of.feed, k: 'ev', e: event, seed: true });
      if (record === undefined || record.k !== 'ev' || record.e.kind !== 'book_snapshot') return { torn: true };
      this.note(feed, of.feed, node, record.t);
      if (feed.hasBook) return {};
      feed.hasBook = true;
      return { record };
    }
    if (of.stream === 'status') {
      const record = decodeRecord({ t: timeMs, c: of.feed, k: 'st', st: event });
      if (record === undefined) return { torn: true };
      this.track(feed, of.feed, of.stream, node, seq, record.t);
      return { record };
    }
    if (STREAM_DATA_TYPES[of.stream] === undefined) return {};
    const e = event as { readonly receivedAt?: unknown } | null;
    const record = decodeRecord({ t: typeof e === 'object' && e !== null ? e.receivedAt : undefined, c: of.feed, k: 'ev', e: event });
    if (record === undefined || record.k !== 'ev') return { torn: true };
    this.track(feed, of.feed, of.stream, node, seq, record.t);
    if (record.e.kind === 'book_snapshot') feed.hasBook = true;
    // Updates before the feed's first book cannot be placed.
    else if (record.e.kind === 'book_update' && !feed.hasBook) return {};
    return { record };
  }

  gaps(): Map<string, FeedGaps> {
    return new Map([...this.feeds].map(([id, f]) => [id, { missing: f.missing, nodes: [...f.nodes], outages: [...f.outages] }]));
  }

  private feed(id: string): FeedTrack {
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      feed = { nodes: [], outages: [], missing: 0, lastT: 0, hasBook: false };
      this.feeds.set(id, feed);
    }
    return feed;
  }

  /** A message from `node`: another node than the last one took the feed over. */
  private note(feed: FeedTrack, _id: string, node: string, t: number): void {
    const last = feed.nodes.at(-1);
    if (last !== node) {
      if (last !== undefined) {
        // From the last message of the node before to the first of this one, nobody collected it.
        feed.outages.push({ state: `taken over by ${node}`, from: feed.lastT, to: Math.max(feed.lastT, t) });
        // The new node's book starts from its own first snapshot.
        feed.hasBook = false;
      }
      feed.nodes.push(node);
    }
    feed.lastT = Math.max(feed.lastT, t);
  }

  private track(feed: FeedTrack, id: string, stream: string, node: string, seq: number, t: number): void {
    this.note(feed, id, node, t);
    const key = `${id}\n${stream}`;
    const position = this.positions.get(key);
    // The same node's numbers go on by one; a number skipped is a message the stream lacks. A
    // lower one is the feed collected afresh (a new publisher), another node a takeover.
    if (position !== undefined && position.node === node && seq > position.seq + 1) feed.missing += seq - position.seq - 1;
    this.positions.set(key, { node, seq });
  }
}

/** A stream on the cluster, read as a session's records with an ordered consumer. */
class StreamSource implements RecordSource {
  private reader = new ClusterMessageReader();

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly idleMs: number,
  ) {}

  async size(): Promise<number> {
    return (await settled('stream info', () => this.jsm.streams.info(this.stream))).state.bytes;
  }

  gaps(): ReadonlyMap<string, FeedGaps> {
    return this.reader.gaps();
  }

  async *batches(stats: ReadStats = { records: 0, torn: 0, bytes: 0 }): AsyncGenerator<RecordLine[]> {
    this.reader = new ClusterMessageReader();
    const { state } = await settled('stream info', () => this.jsm.streams.info(this.stream));
    // Read up to what the stream holds now (a running recording goes on growing).
    if (state.messages === 0) return;
    const end = state.last_seq;
    const consumer = await settled('reader', () => jetstream(this.nc).consumers.get(this.stream));
    const messages = await consumer.consume({ max_messages: 1000 });
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        messages.stop();
      }, this.idleMs);
    };
    let batch: RecordLine[] = [];
    try {
      arm();
      for await (const message of messages) {
        arm();
        stats.bytes += message.data.length;
        const { record, torn } = this.reader.read(message.subject, message.data, message.time.getTime());
        if (torn === true) stats.torn += 1;
        if (record !== undefined) batch.push(record);
        if (batch.length >= 500) {
          stats.records += batch.length;
          const full = batch;
          batch = [];
          yield full;
        }
        if (message.seq >= end || message.info.pending === 0) break;
      }
    } finally {
      clearTimeout(timer);
      await messages.close().catch(() => undefined);
    }
    if (idle) throw new ClusterRecordingError(`The cluster stopped sending recording ${this.stream} (nothing for ${Math.round(this.idleMs / 1000)} s).`);
    stats.records += batch.length;
    if (batch.length > 0) yield batch;
  }
}
