// OkxFeedProcessor: turns one instrument's OKX data pushes into normalized events and keeps its
// order book consistent. The live collector and the replay of a recorded session both run
// frames through it, so a replay uses exactly the parsers and book engine the live feed did.

import type { FeedSink } from '../types.js';
import { OkxBookSync } from './book-sync.js';
import type { OkxBook, OkxPush } from './messages.js';
import type { DerivativeFields } from '../../core/types.js';
import {
  decodeFrame,
  isDerivativeChannel,
  okxIndexOf,
  parseBookData,
  parseCandles,
  parseDerivatives,
  parseTickers,
  parseTrades,
  timeframeOfChannel,
  toBookEvent,
} from './parser.js';

export type { BookProblem, FeedSink } from '../types.js';

export class OkxFeedProcessor {
  readonly bookSync: OkxBookSync | undefined;
  /** A contract's mark, index, funding and open interest as last pushed, carried by its tickers. */
  private derivatives: DerivativeFields = {};
  private readonly index: string | undefined;

  constructor(
    private readonly symbol: string,
    bookChannel: string | undefined,
    private readonly sink: FeedSink,
    now: () => number = Date.now,
  ) {
    this.bookSync = bookChannel === undefined ? undefined : new OkxBookSync({ now });
    this.index = okxIndexOf(symbol);
  }

  /** A raw frame (as recorded): events and control messages other than data are ignored. */
  handleFrame(text: string, receivedAt: number): void {
    if (text === 'pong') return;
    let frame;
    try {
      frame = decodeFrame(text);
    } catch (error) {
      this.sink.problem(error);
      return;
    }
    if (frame.kind !== 'push') return;
    const { channel, instId } = frame.push.arg;
    if (instId === this.symbol || (channel === 'index-tickers' && instId !== undefined && instId === this.index)) this.handlePush(frame.push, receivedAt);
  }

  handlePush(push: OkxPush, receivedAt: number): void {
    const channel = push.arg.channel;
    try {
      if (channel === 'trades') for (const trade of parseTrades(push, receivedAt)) this.sink.publish(trade);
      else if (channel === 'tickers') for (const ticker of parseTickers(push, receivedAt)) this.sink.publish({ ...ticker, ...this.derivatives });
      else if (isDerivativeChannel(channel)) this.derivatives = { ...this.derivatives, ...parseDerivatives(push) };
      else if (channel === 'books' || channel === 'books5') this.onBook(push, receivedAt);
      else if (timeframeOfChannel(channel) !== undefined) for (const candle of parseCandles(push, receivedAt)) this.sink.publish(candle);
    } catch (error) {
      this.sink.problem(error);
      // A book message we could not read is a lost update: the book cannot be trusted.
      if (channel === 'books') {
        this.bookSync?.invalidate();
        this.sink.bookBroken('unreadable', 'unreadable book message');
      }
    }
  }

  /** Loads a REST snapshot onto the buffered updates; see OkxBookSync.loadRestSnapshot. */
  loadRestSnapshot(data: OkxBook): 'loaded' | 'stale' | 'gap' {
    const sync = this.bookSync;
    if (sync === undefined) return 'gap';
    const result = sync.loadRest(data);
    if (result === 'loaded') {
      const { bids, asks } = sync.book.top(sync.book.bids.size + sync.book.asks.size);
      const event = toBookEvent('book_snapshot', this.symbol, data, Date.now());
      this.sink.publish({ ...event, bids, asks, ...(sync.seqId === undefined ? {} : { seqId: sync.seqId }) });
    }
    return result;
  }

  private onBook(push: OkxPush, receivedAt: number): void {
    const sync = this.bookSync;
    if (sync === undefined) return;
    const data = parseBookData(push);
    const action = push.arg.channel === 'books5' ? 'snapshot' : (push.action ?? 'update');
    const result = sync.onMessage(action, data);
    switch (result.type) {
      case 'snapshot':
        this.sink.publish(toBookEvent('book_snapshot', this.symbol, data, receivedAt));
        return;
      case 'reset':
        this.sink.sequenceReset(result.from, result.to);
        this.sink.publish(toBookEvent('book_update', this.symbol, data, receivedAt));
        return;
      case 'update':
        this.sink.publish(toBookEvent('book_update', this.symbol, data, receivedAt));
        return;
      case 'buffered':
        this.sink.bookAlive(receivedAt);
        this.sink.awaitingSnapshot();
        return;
      case 'keepalive':
      case 'ignored':
        this.sink.bookAlive(receivedAt);
        return;
      case 'gap':
        this.sink.bookBroken('gap', `sequence gap (expected prevSeqId ${result.expected ?? '?'}, got ${result.got ?? '?'})`);
        return;
      case 'checksum':
        this.sink.bookBroken('checksum', `checksum mismatch (OKX ${result.expected}, ours ${result.computed})`);
        return;
      case 'malformed':
        this.sink.bookBroken('malformed', `${result.levels} malformed price levels`);
        return;
    }
  }
}
