// NodePublisher: one collected feed on NATS. Every normalized event goes out on its stream's
// subject with a sequence number per stream (a consumer that sees a number skipped knows it
// missed something and says so; for the book it asks for a snapshot), raw frames go out for
// recording, the collector's status once a second (with the node's name), and the book's
// snapshot is served on request with the book stream's sequence it belongs to.

import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { BaseDataCollector } from '../core/base-collector.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { dataTypeOf, type MarketEvent } from '../core/types.js';
import { eventSubject, rawSubject, snapshotSubject, type FeedStream } from './subjects.js';

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

const STATUS_EVERY_MS = 1000;

function streamOf(event: MarketEvent): FeedStream {
  const type = dataTypeOf(event);
  return type === 'orderbook' ? 'book' : type === 'candles' ? 'candle' : type;
}

export class NodePublisher {
  private readonly seqs = new Map<FeedStream, number>();
  private readonly offs: (() => void)[] = [];
  private readonly snapshots: Subscription;
  private readonly timer: NodeJS.Timeout;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    private readonly node: string,
    private readonly feed: string,
    private readonly collector: BaseDataCollector,
  ) {
    const onData = (event: MarketEvent): void => this.publish(streamOf(event), event);
    const onRaw = (frame: { stream: string; receivedAt: number; payload: string }): void => {
      this.send(rawSubject(feed), JSON.stringify({ node, stream: frame.stream, receivedAt: frame.receivedAt, payload: frame.payload }));
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
    this.publish('status', collector.getStatus());
  }

  /** The sequence number of the last message published on `stream`. */
  lastSeq(stream: FeedStream): number {
    return this.seqs.get(stream) ?? 0;
  }

  private publish(stream: FeedStream, event: unknown): void {
    const seq = (this.seqs.get(stream) ?? 0) + 1;
    this.seqs.set(stream, seq);
    const message: FeedMessage = { seq, node: this.node, event };
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
    for (const off of this.offs.splice(0)) off();
    this.snapshots.unsubscribe();
  }
}
