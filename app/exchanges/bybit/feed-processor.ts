// BybitFeedProcessor: one symbol's Bybit v5 pushes turned into normalized events, and its book
// kept by the BookSync engine. `orderbook.{depth}` starts with a snapshot and continues with
// deltas whose `u` grows by exactly 1 (a chain: each delta follows `u - 1`); any later snapshot,
// and any message with `u = 1` (Bybit's service restarted), replaces the book; a jump in `u` is
// a gap, resynced by resubscribing. The book is cut to the topic's depth after every
// message. Linear tickers arrive as a snapshot and partial deltas merged into it; spot tickers
// are full snapshots. The live collector and the replay of a recorded session both run frames
// through it.
// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook

import { BookSync, type BookMessageAdapter } from '../../book/book-sync.js';
import { withoutUndefined } from '../../core/config.js';
import type { Candle, Ticker } from '../../core/types.js';
import type { FeedSink } from '../types.js';
import { intervalOf, timeframeOfInterval, type BybitMarket } from './markets.js';
import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanBybitBook } from './book-scan.js';
import { asBookMessage, asKlines, asTickerMessage, asTrades, type BookMessage, type TickerFields } from './messages.js';

export const BOOK_ADAPTER: BookMessageAdapter<BookMessage> = {
  step: (m) => (m.type === 'snapshot' ? { first: m.data.u, last: m.data.u } : { first: m.data.u, last: m.data.u, prev: m.data.u - 1 }),
  bids: (m) => m.data.b,
  asks: (m) => m.data.a,
};

/** A symbol's topics, in Bybit's spelling. */
export function bybitTopics(symbol: string, dataTypes: readonly string[], timeframes: readonly string[], depth: number): string[] {
  const topics: string[] = [];
  for (const type of dataTypes) {
    if (type === 'orderbook') topics.push(`orderbook.${depth}.${symbol}`);
    else if (type === 'trade') topics.push(`publicTrade.${symbol}`);
    else if (type === 'ticker') topics.push(`tickers.${symbol}`);
    else if (type === 'candles') {
      for (const timeframe of timeframes) {
        const interval = intervalOf(timeframe);
        if (interval !== undefined) topics.push(`kline.${interval}.${symbol}`);
      }
    }
  }
  return topics;
}

export class BybitFeedProcessor {
  readonly bookSync: BookSync<BookMessage> | undefined;
  /** The merged linear ticker (snapshot plus deltas). */
  private ticker: TickerFields | undefined;

  constructor(
    private readonly symbol: string,
    private readonly market: BybitMarket,
    withBook: boolean,
    private readonly sink: FeedSink,
    now: () => number = Date.now,
  ) {
    this.bookSync = withBook ? new BookSync(BOOK_ADAPTER, { now }) : undefined;
  }

  /** A recorded frame for this symbol, or anything else (ignored). */
  handleFrame(text: string, receivedAt: number): void {
    const book = scannedOrUndefined(scanBybitBook, text);
    if (book !== undefined) {
      if (book.data.s === this.symbol) this.handlePush(book.topic, book, receivedAt);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.sink.problem(new Error(`Bybit sent a frame that is not JSON: ${text.slice(0, 80)}`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const topic = (value as { topic?: unknown }).topic;
    if (typeof topic !== 'string' || !topic.endsWith(`.${this.symbol}`)) return;
    this.handlePush(topic, value, receivedAt);
  }

  handlePush(topic: string, frame: unknown, receivedAt: number): void {
    const kind = topic.slice(0, topic.indexOf('.'));
    try {
      if (kind === 'orderbook') this.onBook(topic, asBookMessage(frame), receivedAt);
      else if (kind === 'publicTrade') this.onTrades(frame, receivedAt);
      else if (kind === 'tickers') this.onTicker(frame, receivedAt);
      else if (kind === 'kline') for (const candle of this.candles(frame, receivedAt)) this.sink.publish(candle);
    } catch (error) {
      this.sink.problem(error);
      if (kind === 'orderbook') {
        // A book message we could not read is a lost update: the book cannot be trusted.
        this.bookSync?.invalidate();
        this.sink.bookBroken('unreadable', 'unreadable order book message');
      }
    }
  }

  private onBook(topic: string, message: BookMessage, receivedAt: number): void {
    const sync = this.bookSync;
    if (sync === undefined) return;
    // The book keeps the topic's depth (`orderbook.200.…`), also when a recording is replayed.
    if (sync.depthLimit === undefined) {
      const depth = Number(topic.split('.')[1]);
      if (Number.isSafeInteger(depth) && depth > 0) sync.depthLimit = depth;
    }
    // `u = 1`: Bybit's book service restarted; the message holds the whole book.
    const restart = message.data.u === 1;
    const before = sync.seqId;
    const result = sync.onMessage(message.type === 'snapshot' || restart ? 'snapshot' : 'update', message);
    const exchangeTs = message.cts ?? message.ts;
    switch (result.type) {
      case 'snapshot': {
        if (restart && before !== undefined) this.sink.sequenceReset(before, 1);
        const { bids, asks } = sync.book.top(sync.book.bids.size + sync.book.asks.size);
        this.sink.publish({ kind: 'book_snapshot', exchange: this.market.id, symbol: this.symbol, exchangeTs, receivedAt, bids, asks, seqId: message.data.u });
        return;
      }
      case 'update':
      case 'reset':
        this.sink.publish({
          kind: 'book_update',
          exchange: this.market.id,
          symbol: this.symbol,
          exchangeTs,
          receivedAt,
          bids: message.data.b,
          asks: message.data.a,
          seqId: message.data.u,
          prevSeqId: message.data.u - 1,
        });
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
        this.sink.bookBroken('gap', `sequence gap (expected u ${result.expected === undefined ? '?' : result.expected + 1}, got ${message.data.u})`);
        return;
      case 'checksum':
        return;
      case 'malformed':
        this.sink.bookBroken('malformed', `${result.levels} malformed price levels`);
        return;
    }
  }

  private onTrades(frame: unknown, receivedAt: number): void {
    const { data } = asTrades(frame);
    for (const t of data) {
      this.sink.publish({
        kind: 'trade',
        exchange: this.market.id,
        symbol: this.symbol,
        exchangeTs: t.T,
        receivedAt,
        tradeId: t.i,
        side: t.S === 'Buy' ? 'buy' : 'sell',
        price: Number(t.p),
        priceStr: t.p,
        size: Number(t.v),
        sizeStr: t.v,
        fills: 1,
        ...(t.seq === undefined ? {} : { seqId: t.seq }),
      });
    }
  }

  private onTicker(frame: unknown, receivedAt: number): void {
    const message = asTickerMessage(frame);
    // Linear deltas carry only what changed; without a snapshot to merge into there is nothing to show.
    if (message.type === 'snapshot') this.ticker = { ...message.data };
    else if (this.ticker === undefined) return;
    else this.ticker = { ...this.ticker, ...definedFields(message.data) };
    const t = this.ticker;
    if (t.lastPrice === undefined || t.lastPrice === '') return;
    const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
    const str = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
    const ticker: Ticker = withoutUndefined<Ticker>({
      kind: 'ticker',
      exchange: this.market.id,
      symbol: this.symbol,
      exchangeTs: message.ts,
      receivedAt,
      last: Number(t.lastPrice),
      lastStr: t.lastPrice,
      bid: num(t.bid1Price),
      bidStr: str(t.bid1Price),
      bidSize: num(t.bid1Size),
      ask: num(t.ask1Price),
      askStr: str(t.ask1Price),
      askSize: num(t.ask1Size),
      open24h: num(t.prevPrice24h),
      high24h: num(t.highPrice24h),
      low24h: num(t.lowPrice24h),
      volume24h: num(t.volume24h),
      quoteVolume24h: num(t.turnover24h),
      // Linear contracts: Bybit counts open interest in the base coin.
      markPrice: num(t.markPrice),
      indexPrice: num(t.indexPrice),
      fundingRate: num(t.fundingRate),
      nextFundingTime: num(t.nextFundingTime),
      openInterest: num(t.openInterest),
    });
    this.sink.publish(ticker);
  }

  private candles(frame: unknown, receivedAt: number): Candle[] {
    const { data } = asKlines(frame);
    const out: Candle[] = [];
    for (const k of data) {
      const timeframe = timeframeOfInterval(k.interval);
      if (timeframe === undefined) continue;
      out.push({
        kind: 'candle',
        exchange: this.market.id,
        symbol: this.symbol,
        exchangeTs: k.timestamp,
        receivedAt,
        timeframe,
        openTime: k.start,
        open: Number(k.open),
        openStr: k.open,
        high: Number(k.high),
        highStr: k.high,
        low: Number(k.low),
        lowStr: k.low,
        close: Number(k.close),
        closeStr: k.close,
        volume: Number(k.volume),
        volumeStr: k.volume,
        quoteVolume: Number(k.turnover),
        closed: k.confirm,
      });
    }
    return out;
  }
}

function definedFields(fields: TickerFields): TickerFields {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') out[key] = value;
  return out;
}
