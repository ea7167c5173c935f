// KrakenFeedProcessor: one pair's Kraken v2 frames turned into normalized events. The book is a
// snapshot then updates with no sequence; every message carries the checksum of the top 10
// levels after it is applied and the book cut to the subscribed depth (Kraken sends no deletes
// for levels pushed out of range), so every message is verified, and a mismatch resyncs the
// book. The book's id is the time of its last message. `ohlc` bars are final once a later one
// starts. The live collector and the replay of a recorded session both run frames through it.

import { BookSync, type BookMessageAdapter } from '../../book/book-sync.js';
import { withoutUndefined } from '../../core/config.js';
import type { Candle, Ticker } from '../../core/types.js';
import type { FeedSink } from '../types.js';
import { krakenChecksum } from './checksum.js';
import { KRAKEN, KRAKEN_BOOK_DEPTHS, timeframeOfInterval } from './markets.js';
import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanKrakenBook } from './book-scan.js';
import { BookFrame, asBars, asBookFrame, asTickers, asTrades, parseKrakenFrame, type BookData } from './messages.js';

export const BOOK_ADAPTER: BookMessageAdapter<BookData> = {
  step: () => undefined,
  bids: (d) => d.bids,
  asks: (d) => d.asks,
  checksum: (book, d) => ({ expected: d.checksum, computed: krakenChecksum(book) }),
};

export interface KrakenProcessorOptions {
  /**
   * The subscribed depth; undefined without a book. `snapshot`: learned from the first
   * snapshot's size (a replay, which does not know what the recording subscribed).
   */
  readonly depth: number | 'snapshot' | undefined;
  readonly now?: () => number;
  /** Verify checksums (off only for benchmarking). */
  readonly verifyChecksum?: boolean;
}

export class KrakenFeedProcessor {
  readonly bookSync: BookSync<BookData> | undefined;
  /** Per interval, the newest bar start seen (earlier bars are final). */
  private readonly newestBar = new Map<number, number>();

  constructor(
    private readonly symbol: string,
    options: KrakenProcessorOptions,
    private readonly sink: FeedSink,
  ) {
    this.bookSync =
      options.depth === undefined
        ? undefined
        : new BookSync(BOOK_ADAPTER, {
            ...(options.depth === 'snapshot' ? {} : { depth: options.depth }),
            now: options.now ?? Date.now,
            verifyChecksum: options.verifyChecksum ?? true,
          });
  }

  /** A recorded frame, exactly as Kraken sent it. */
  handleFrame(text: string, receivedAt: number): void {
    let value: unknown;
    try {
      // Book messages, the bulk of the traffic, are read in one checked pass; one the scan
      // refuses takes the general path, whose checks say what is wrong.
      value = scannedOrUndefined(scanKrakenBook, text) ?? parseKrakenFrame(text);
    } catch {
      this.sink.problem(new Error(`Kraken sent a frame that is not JSON: ${text.slice(0, 80)}`));
      return;
    }
    if (value instanceof BookFrame) {
      this.handleBook(value, receivedAt);
      return;
    }
    const channel = (value as { channel?: unknown } | null)?.channel;
    if (typeof channel !== 'string') return;
    this.handlePush(`${channel}:${this.symbol}`, value, receivedAt);
  }

  handlePush(key: string, frame: unknown, receivedAt: number): void {
    if (frame instanceof BookFrame) {
      this.handleBook(frame, receivedAt);
      return;
    }
    const channel = key.slice(0, key.indexOf(':'));
    try {
      if (channel === 'book') this.onBook(frame, receivedAt);
      else if (channel === 'trade') this.onTrades(frame, receivedAt);
      else if (channel === 'ticker') this.onTicker(frame, receivedAt);
      else if (channel.startsWith('ohlc')) for (const candle of this.candles(frame, receivedAt)) this.sink.publish(candle);
    } catch (error) {
      this.sink.problem(error);
      if (channel === 'book') {
        this.bookSync?.invalidate();
        this.sink.bookBroken('unreadable', 'unreadable book message');
      }
    }
  }

  private handleBook(frame: BookFrame, receivedAt: number): void {
    try {
      this.onBook(frame, receivedAt);
    } catch (error) {
      this.sink.problem(error);
      this.bookSync?.invalidate();
      this.sink.bookBroken('unreadable', 'unreadable book message');
    }
  }

  private onBook(frame: unknown, receivedAt: number): void {
    const sync = this.bookSync;
    if (sync === undefined) return;
    const message = asBookFrame(frame);
    for (const data of message.data) {
      if (data.symbol !== this.symbol) continue;
      // A snapshot holds the subscribed depth (or the whole book, when it is shallower).
      if (message.type === 'snapshot' && sync.depthLimit === undefined) {
        const size = Math.max(data.bids.length, data.asks.length);
        sync.depthLimit = KRAKEN_BOOK_DEPTHS.find((d) => d >= size) ?? KRAKEN_BOOK_DEPTHS[KRAKEN_BOOK_DEPTHS.length - 1];
      }
      const at = data.ts;
      const result = sync.onMessage(message.type === 'snapshot' ? 'snapshot' : 'update', data);
      sync.noteId(at);
      switch (result.type) {
        case 'snapshot': {
          const { bids, asks } = sync.book.top(sync.book.bids.size + sync.book.asks.size);
          this.sink.publish({
            kind: 'book_snapshot',
            exchange: KRAKEN.id,
            symbol: this.symbol,
            exchangeTs: at,
            receivedAt,
            bids,
            asks,
            seqId: at,
            checksum: data.checksum,
          });
          break;
        }
        case 'update':
        case 'reset':
          this.sink.publish({
            kind: 'book_update',
            exchange: KRAKEN.id,
            symbol: this.symbol,
            exchangeTs: at,
            receivedAt,
            bids: data.bids,
            asks: data.asks,
            seqId: at,
            checksum: data.checksum,
          });
          break;
        case 'buffered':
          this.sink.bookAlive(receivedAt);
          this.sink.awaitingSnapshot();
          break;
        case 'keepalive':
        case 'ignored':
          this.sink.bookAlive(receivedAt);
          break;
        case 'checksum':
          this.sink.bookBroken('checksum', `checksum mismatch (Kraken ${result.expected}, ours ${result.computed})`);
          return;
        case 'malformed':
          this.sink.bookBroken('malformed', `${result.levels} malformed price levels`);
          return;
        case 'gap':
          return;
      }
    }
  }

  private onTrades(frame: unknown, receivedAt: number): void {
    for (const t of asTrades(frame)) {
      if (t.symbol !== this.symbol) continue;
      this.sink.publish({
        kind: 'trade',
        exchange: KRAKEN.id,
        symbol: this.symbol,
        exchangeTs: Date.parse(t.timestamp),
        receivedAt,
        tradeId: String(t.trade_id),
        // Kraken's side is the taker's.
        side: t.side,
        price: t.price,
        priceStr: String(t.price),
        size: t.qty,
        sizeStr: String(t.qty),
        fills: 1,
        seqId: t.trade_id,
      });
    }
  }

  private onTicker(frame: unknown, receivedAt: number): void {
    for (const t of asTickers(frame)) {
      if (t.symbol !== this.symbol) continue;
      const ticker: Ticker = withoutUndefined<Ticker>({
        kind: 'ticker',
        exchange: KRAKEN.id,
        symbol: this.symbol,
        // v2 tickers carry no time of their own: stamped with the receive time, they count for no lag.
        exchangeTs: receivedAt,
        receivedAt,
        last: t.last,
        lastStr: String(t.last),
        bid: t.bid,
        bidStr: String(t.bid),
        bidSize: t.bid_qty,
        ask: t.ask,
        askStr: String(t.ask),
        askSize: t.ask_qty,
        // `change` is the 24 h change in price: the open follows from it.
        open24h: t.last - t.change,
        high24h: t.high,
        low24h: t.low,
        volume24h: t.volume,
      });
      this.sink.publish(ticker);
    }
  }

  private candles(frame: unknown, receivedAt: number): Candle[] {
    const bars = asBars(frame)
      .filter((b) => b.symbol === this.symbol)
      .map((b) => ({ bar: b, openTime: Date.parse(b.interval_begin) }))
      .sort((a, b) => a.openTime - b.openTime);
    for (const { bar, openTime } of bars) this.newestBar.set(bar.interval, Math.max(this.newestBar.get(bar.interval) ?? 0, openTime));
    const out: Candle[] = [];
    for (const { bar, openTime } of bars) {
      const timeframe = timeframeOfInterval(bar.interval);
      if (timeframe === undefined) continue;
      out.push({
        kind: 'candle',
        exchange: KRAKEN.id,
        symbol: this.symbol,
        exchangeTs: Date.parse(bar.timestamp),
        receivedAt,
        timeframe,
        openTime,
        open: bar.open,
        openStr: String(bar.open),
        high: bar.high,
        highStr: String(bar.high),
        low: bar.low,
        lowStr: String(bar.low),
        close: bar.close,
        closeStr: String(bar.close),
        volume: bar.volume,
        volumeStr: String(bar.volume),
        ...(bar.vwap === undefined ? {} : { quoteVolume: bar.vwap * bar.volume }),
        // A bar is final once a later one has started (Kraken sends no flag).
        closed: openTime < (this.newestBar.get(bar.interval) ?? openTime),
      });
    }
    return out;
  }
}
