// Replays recorded OKX frames of one symbol through OkxFeedProcessor — the live collector's
// parsers and book engine. A broken book waits for the next recorded snapshot (a recording
// cannot be asked to resend).

import type { OrderBook } from '../../book/order-book.js';
import type { BookStatus } from '../../core/collector-status.js';
import type { BookSnapshot, DataType } from '../../core/types.js';
import type { FeedReplayer, ReplaySink } from '../types.js';
import { OkxFeedProcessor } from './feed-processor.js';

export class OkxReplayer implements FeedReplayer {
  private readonly processor: OkxFeedProcessor;
  private resets = 0;

  constructor(symbol: string, dataTypes: readonly DataType[], sink: ReplaySink) {
    this.processor = new OkxFeedProcessor(
      symbol,
      dataTypes.includes('orderbook') ? 'books' : undefined,
      {
        publish: (event) => sink.publish(event),
        problem: (error) => sink.problem(error),
        bookBroken: (_kind, reason) => sink.problem(new Error(`recorded order book broken: ${reason}; waiting for the next recorded snapshot`)),
        awaitingSnapshot: () => undefined,
        sequenceReset: () => {
          this.resets += 1;
        },
        bookAlive: () => undefined,
      },
      () => sink.now(),
    );
  }

  handleFrame(_stream: string, text: string, receivedAt: number): void {
    this.processor.handleFrame(text, receivedAt);
  }

  seed(snapshot: BookSnapshot): void {
    this.processor.bookSync?.seed(snapshot.bids, snapshot.asks, snapshot.seqId);
  }

  getBook(): OrderBook | undefined {
    const sync = this.processor.bookSync;
    return sync?.state === 'valid' ? sync.book : undefined;
  }

  bookStatus(): BookStatus | null {
    return this.processor.bookSync?.status(this.resets) ?? null;
  }

  getDisplayBook(): OrderBook | undefined {
    const sync = this.processor.bookSync;
    return sync?.displayable === true ? sync.book : undefined;
  }
}
