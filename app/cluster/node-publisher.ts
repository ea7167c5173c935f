// NodePublisher: one collected feed on NATS. Every normalized event goes out on its stream's
// subject with a sequence number per stream (a consumer that sees a number skipped knows it
// missed something and says so; for the book it asks for a snapshot), raw frames go out for
// recording, the collector's status once a second (with the node's name), and the book's
// snapshot is served on request with the book stream's sequence it belongs to. For recordings
// on the cluster, which start (and, under their limits, are trimmed) anywhere in a feed, the book
// as it stands goes out as a checkpoint every minute and when a recording starts, so a reader of
// the recording can place the updates that follow.

import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { BaseDataCollector } from '../core/base-collector.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { dataTypeOf, type MarketEvent } from '../core/types.js';
import { checkpointSubject, eventSubject, rawSubject, snapshotSubject, type FeedStream } from './subjects.js';

const log = getLogger('cluster');

/** What goes on an event subject. */
export interface FeedMessage<T = unknown> {
  /** Per feed and stream, from 1, no gaps as published. */
  readonly seq: number;
  readonly node: string;
  readonly event: T;
}

/** The answer on the snapshot subject: the whole book as of book message `seq`. */
export interface SnapshotMessage {
  readonly seq: number;
  readonly node: string;
  readonly valid: boolean;
  readonly bids: readonly (readonly [string, string])[];
  readonly asks: readonly (readonly [string, string])[];
}

/** What goes on the raw subject: a frame as the exchange sent it, numbered like the streams. */
export interface RawMessage {
  readonly seq: number;
  readonly node: string;
  readonly stream: string;
  readonly receivedAt: number;
  readonly payload: string;
}

const STATUS_EVERY_MS = 1000;
export const CHECKPOINT_EVERY_MS = 60_000;

function streamOf(event: MarketEvent): FeedStream {
  const type = dataTypeOf(event);
  return type === 'orderbook' ? 'book' : type === 'candles' ? 'candle' : type;
}

export class NodePublisher {
  private readonly seqs = new Map<FeedStream | 'raw', number>();
  private readonly offs: (() => void)[] = [];
  private readonly snapshots: Subscription;
  private readonly timer: NodeJS.Timeout;
  private readonly checkpoints: NodeJS.Timeout;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    private readonly node: string,
    private readonly feed: string,
    private readonly collector: BaseDataCollector,
    checkpointEveryMs = CHECKPOINT_EVERY_MS,
  ) {
    const onData = (event: MarketEvent): void => this.publish(streamOf(event), event);
    const onRaw = (frame: { stream: string; receivedAt: number; payload: string }): void => {
      const message: RawMessage = { seq: this.next('raw'), node, stream: frame.stream, receivedAt: frame.receivedAt, payload: frame.payload };
      this.send(rawSubject(feed), JSON.stringify(message));
    };
    collector.on('data', onData);
    collector.on('raw', onRaw);
    this.offs.push(
      () => collector.off('data', onData),
      () => collector.off('raw', onRaw),
    );
    this.snapshots = nc.subscribe(snapshotSubject(feed), {
      callback: (error, message) => {
        if (error !== null) return;
        message.respond(this.encoder.encode(JSON.stringify(this.snapshot())));
      },
    });
    this.timer = setInterval(() => this.publish('status', collector.getStatus()), STATUS_EVERY_MS);
    this.timer.unref();
    this.checkpoints = setInterval(() => this.checkpoint(), checkpointEveryMs);
    this.checkpoints.unref();
    this.publish('status', collector.getStatus());
  }

  /** The sequence number of the last message published on `stream`. */
  lastSeq(stream: FeedStream): number {
    return this.seqs.get(stream) ?? 0;
  }

  /**
   * Publishes the book as it stands, a `book_snapshot` on the checkpoint subject, numbered with
   * the book message it includes (nothing while the book is not valid: no false start point).
   */
  checkpoint(): void {
    if (this.collector.getBookStatus()?.state !== 'valid') return;
    const event = this.collector.bookSnapshotEvent(Date.now());
    if (event === undefined) return;
    const message: FeedMessage = { seq: this.lastSeq('book'), node: this.node, event };
    this.send(checkpointSubject(this.feed), JSON.stringify(message));
  }

  private next(stream: FeedStream | 'raw'): number {
    const seq = (this.seqs.get(stream) ?? 0) + 1;
    this.seqs.set(stream, seq);
    return seq;
  }

  private publish(stream: FeedStream, event: unknown): void {
    const message: FeedMessage = { seq: this.next(stream), node: this.node, event };
    this.send(eventSubject(this.feed, stream), JSON.stringify(message));
  }

  private send(subject: string, text: string): void {
    try {
      this.nc.publish(subject, this.encoder.encode(text));
    } catch (error) {
      // A closed or draining connection: the node is going away; nothing to keep.
      log.debug({ feed: this.feed, err: describeError(error) }, 'publish failed');
    }
  }

  private snapshot(): SnapshotMessage {
    const book = this.collector.getBook();
    const seq = this.lastSeq('book');
    if (book === undefined) return { seq, node: this.node, valid: false, bids: [], asks: [] };
    const { bids, asks } = book.top(book.bids.size + book.asks.size);
    return {
      seq,
      node: this.node,
      valid: true,
      bids: bids.map((l) => [l.priceStr, l.sizeStr] as const),
      asks: asks.map((l) => [l.priceStr, l.sizeStr] as const),
    };
  }

  close(): void {
    clearInterval(this.timer);
    clearInterval(this.checkpoints);
    for (const off of this.offs.splice(0)) off();
    this.snapshots.unsubscribe();
  }
}
