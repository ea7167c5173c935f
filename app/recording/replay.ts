// Replay of a recorded session. Each recorded feed becomes a ReplayCollector (id
// `replay:<exchange>:<symbol>`), so the host and the UI treat it like a live feed, labelled as
// a replay. A SessionPlayer reads the records in order and paces them at 1x, 10x or maximum
// speed. Feeds recorded with raw frames are replayed through the exchange's own parsers and
// book engine; feeds without raw frames replay their normalized events.

import { EventEmitter } from 'node:events';
import { OrderBook } from '../book/order-book.js';
import { BaseDataCollector, type BookStatus } from '../core/base-collector.js';
import { createCollectorConfig } from '../core/config.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import type { MarketEvent } from '../core/types.js';
import type { ExchangeFactory } from '../exchanges/factory.js';
import type { FeedReplayer } from '../exchanges/types.js';
import type { FeedInfo, SessionMeta } from './format.js';
import { sourceOf, type RecordSource } from './source.js';

const log = getLogger('replay');

import type { ReplaySpeed } from './types.js';

export type { ReplaySpeed } from './types.js';

export class ReplayCollector extends BaseDataCollector {
  private replayer: FeedReplayer | undefined;
  private readonly ownBook = new OrderBook();
  private ownBookReady = false;

  /** The newest record played, its recorded time and when (wall clock) it was played. */
  private recordedAt: number | undefined;
  private playedAt = 0;
  private pace: ReplaySpeed = 'max';

  constructor(readonly feed: FeedInfo) {
    // Recorded timestamps are old: no health check restarts, no raw re-recording.
    super(
      createCollectorConfig({
        exchange: feed.exchange,
        symbol: feed.symbol,
        dataTypes: feed.dataTypes,
        autoRestart: false,
        healthCheckInterval: 3600,
        storeRawData: false,
      }),
      { id: `replay:${feed.id}` },
    );
    // Liveness, ages and error times in the recorded time the replay plays: a feed recorded
    // yesterday is as live as it was then, not a day silent.
    this.now = () => this.replayNow();
  }

  async prepare(factory: ExchangeFactory): Promise<void> {
    if (!this.feed.raw) return;
    const descriptor = factory.descriptor(this.feed.exchange);
    this.replayer = await descriptor.loadReplayer?.(this.feed.symbol, this.feed.dataTypes, {
      publish: (event) => this.publish(event),
      problem: (error) => this.recordError(error),
      now: () => this.replayNow(),
    });
  }

  /** Plays at `speed`: recorded time moves on at that pace between records (not at all at `max`). */
  playAt(speed: ReplaySpeed): void {
    this.pace = speed;
  }

  /** Recorded time now: the newest record's, moved on at the replay's pace since it was played. */
  private replayNow(): number {
    if (this.recordedAt === undefined) return Date.now();
    return this.pace === 'max' ? this.recordedAt : this.recordedAt + (performance.now() - this.playedAt) * this.pace;
  }

  private played(t: number): void {
    this.recordedAt = t;
    this.playedAt = performance.now();
  }

  /** A recorded raw frame (feeds recorded with raw frames). */
  frame(stream: string, payload: string, receivedAt: number): void {
    this.played(receivedAt);
    this.replayer?.handleFrame(stream, payload, receivedAt);
  }

  /** A recorded normalized event (used for feeds recorded without raw frames, and seeds). */
  event(event: MarketEvent, seed = false): void {
    this.played(event.receivedAt);
    if (this.replayer !== undefined) {
      if (seed && event.kind === 'book_snapshot') {
        this.replayer.seed(event);
        this.publish(event);
      } else if (event.kind === 'book_snapshot' && this.replayer.restSnapshot !== undefined) {
        // A venue whose books start from REST: the recorded snapshot event is part of the feed.
        this.replayer.restSnapshot(event);
        this.publish(event);
      }
      return;
    }
    if (event.kind === 'book_snapshot') {
      this.ownBook.loadSnapshot(event.bids, event.asks);
      this.ownBookReady = true;
    } else if (event.kind === 'book_update' && this.ownBookReady) {
      this.ownBook.applyUpdate(event.bids, event.asks);
    }
    this.publish(event);
  }

  get replaysRawFrames(): boolean {
    return this.replayer !== undefined;
  }

  override getBook(): OrderBook | undefined {
    if (this.replayer !== undefined) return this.replayer.getBook();
    return this.ownBookReady ? this.ownBook : undefined;
  }

  override getDisplayBook(): OrderBook | undefined {
    if (this.replayer !== undefined) return this.replayer.getDisplayBook();
    return this.getBook();
  }

  protected override bookStatus(): BookStatus | null {
    if (!this.feed.dataTypes.includes('orderbook')) return null;
    if (this.replayer !== undefined) return this.replayer.bookStatus();
    return {
      state: this.ownBookReady ? 'valid' : 'syncing',
      seqId: null,
      bids: this.ownBook.bids.size,
      asks: this.ownBook.asks.size,
      crossed: this.ownBook.isCrossed(),
      sequenceResets: 0,
      lastChangeAt: null,
      recovery: null,
    };
  }

  protected openSession(): Promise<void> {
    return Promise.resolve();
  }

  protected closeSession(): Promise<void> {
    return Promise.resolve();
  }
}

export interface PlayerEvents {
  progress: [info: { readonly t: number; readonly records: number }];
  finished: [info: { readonly records: number; readonly stopped: boolean }];
}

export class SessionPlayer extends EventEmitter<PlayerEvents> {
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private records = 0;
  private readonly source: RecordSource;

  /** Plays the session recorded in `from` (its folder here, or its stream on the cluster). */
  constructor(
    from: string | RecordSource,
    readonly meta: SessionMeta,
    readonly speed: ReplaySpeed,
    private readonly collectors: ReadonlyMap<string, ReplayCollector>,
  ) {
    super();
    this.source = sourceOf(from);
    for (const collector of collectors.values()) collector.playAt(speed);
  }

  get played(): number {
    return this.records;
  }

  start(): void {
    this.running ??= this.play().catch((error: unknown) => {
      log.error({ session: this.meta.id, err: describeError(error) }, 'replay failed');
    });
  }

  /** Resolves when playback ends (finished or stopped). */
  done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  private async play(): Promise<void> {
    const signal = this.controller.signal;
    const wallStart = performance.now();
    let firstT: number | undefined;
    let lastProgress = 0;
    // One abort listener for the whole replay, waking whichever wait is under way.
    let wake: (() => void) | undefined;
    const onAbort = (): void => wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    try {
      for (const collector of this.collectors.values()) await collector.start();
      reading: for await (const batch of this.source.batches()) {
        for (const record of batch) {
          if (signal.aborted) break reading;
          if (record.k === 'mark' || record.k === 'st') continue;
          const collector = this.collectors.get(record.c);
          if (collector === undefined) continue;
          firstT ??= record.t;
          if (this.speed === 'max') {
            // Let frames reach the UI while replaying as fast as possible.
            if (this.records % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
          } else {
            const wait = wallStart + (record.t - firstT) / this.speed - performance.now();
            if (wait > 2) await sleep(wait);
          }
          if (signal.aborted) break reading;
          if (record.k === 'raw') collector.frame(record.s, record.p, record.t);
          else collector.event(record.e, record.seed === true);
          this.records += 1;
          if (this.records - lastProgress >= 1000) {
            lastProgress = this.records;
            this.emit('progress', { t: record.t, records: this.records });
          }
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    for (const collector of this.collectors.values()) await collector.stop();
    this.emit('finished', { records: this.records, stopped: signal.aborted });
  }
}
