// ProcessorReplayer: replays one symbol's recorded raw frames through its venue's feed
// processor — the live collector's own parsers and book engine. Venues whose books start from
// REST snapshots (not stream frames) get them back as the book events the live collector
// published, spliced onto the recorded updates exactly as it did then.

import type { BookSync } from '../book/book-sync.js';
import type { OrderBook } from '../book/order-book.js';
import type { BookStatus } from '../core/collector-status.js';
import type { BookSnapshot } from '../core/types.js';
import type { FeedReplayer, FeedSink, ReplaySink } from './types.js';

/** What a replay needs of a venue's feed processor. */
export interface ReplayableProcessor {
  readonly bookSync: BookSync<unknown> | undefined;
  /** One recorded frame, exactly as the venue sent it. */
  handleFrame(text: string, receivedAt: number): void;
}

export class ProcessorReplayer implements FeedReplayer {
  private readonly processor: ReplayableProcessor;

  constructor(createProcessor: (sink: FeedSink) => ReplayableProcessor, sink: ReplaySink) {
    this.processor = createProcessor({
      publish: (event) => sink.publish(event),
      problem: (error) => sink.problem(error),
      bookBroken: (_kind, reason) => sink.problem(new Error(`recorded order book broken: ${reason}; waiting for the next recorded snapshot`)),
      awaitingSnapshot: () => undefined,
      sequenceReset: () => undefined,
      bookAlive: () => undefined,
    });
  }

  handleFrame(_stream: string, text: string, receivedAt: number): void {
    this.processor.handleFrame(text, receivedAt);
  }

  seed(snapshot: BookSnapshot): void {
    this.processor.bookSync?.seed(snapshot.bids, snapshot.asks, snapshot.seqId);
  }

  /** A book the live collector loaded from REST (recorded as its event): spliced as it was then. */
  restSnapshot(snapshot: BookSnapshot): void {
    const sync = this.processor.bookSync;
    if (sync === undefined) return;
    if (sync.state !== 'awaiting') sync.awaitSnapshot();
    sync.loadRestSnapshot(snapshot.bids, snapshot.asks, snapshot.seqId);
  }

  getBook(): OrderBook | undefined {
    const sync = this.processor.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  getDisplayBook(): OrderBook | undefined {
    const sync = this.processor.bookSync;
    return sync?.displayable === true ? sync.book : undefined;
  }

  bookStatus(): BookStatus | null {
    return this.processor.bookSync?.status(0) ?? null;
  }
}
