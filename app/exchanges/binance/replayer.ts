// Replays recorded Binance frames of one symbol through BinanceFeedProcessor — the live
// collector's parsers and book engine. Binance books start from REST snapshots, which are not
// stream frames: the recording holds each as the book event the collector published, and the
// replay splices it onto the recorded diffs exactly as the live collector did.

import type { OrderBook } from '../../book/order-book.js';
import type { BookStatus } from '../../core/collector-status.js';
import type { BookSnapshot, DataType } from '../../core/types.js';
import type { FeedReplayer, ReplaySink } from '../types.js';
import { BinanceFeedProcessor } from './feed-processor.js';
import { binanceMarket } from './markets.js';

export class BinanceReplayer implements FeedReplayer {
  private readonly processor: BinanceFeedProcessor;

  constructor(exchange: string, symbol: string, dataTypes: readonly DataType[], sink: ReplaySink) {
    this.processor = new BinanceFeedProcessor(symbol, binanceMarket(exchange), dataTypes.includes('orderbook'), {
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
