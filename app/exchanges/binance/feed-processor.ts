// BinanceFeedProcessor: one symbol's Binance pushes (combined-stream payloads) turned into
// normalized events, and its book kept by the BookSync engine: diff depth from
// `<s>@depth@100ms` spliced onto REST snapshots (spot: ranged `U`/`u`; futures: chained on `pu`).
// The live collector and the replay of a recorded session both run frames through it.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#how-to-manage-a-local-order-book-correctly
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly

import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanBinanceDepth } from './book-scan.js';
import { BookSync, type BookMessageAdapter, type RestSpliceResult } from '../../book/book-sync.js';
import type { Candle, Ticker, Trade } from '../../core/types.js';
import { withoutUndefined } from '../../core/config.js';
import type { FeedSink } from '../types.js';
import { timeframeOfInterval, type BinanceMarket } from './markets.js';
import {
  asAggTrade,
  asBookTicker,
  asDepthUpdate,
  asKline,
  asMarkPrice,
  asOpenInterest,
  asTicker24h,
  type BookTicker,
  type DepthSnapshot,
  type DepthUpdate,
  type MarkPriceUpdate,
  type OpenInterest,
  type Ticker24h,
} from './messages.js';

/** The stream name under which REST open-interest answers are recorded beside the stream. */
export const OPEN_INTEREST = 'openInterest';

export function depthAdapter(chained: boolean): BookMessageAdapter<DepthUpdate> {
  return {
    step: (d) => (chained && d.pu !== undefined ? { first: d.U, last: d.u, prev: d.pu } : { first: d.U, last: d.u }),
    bids: (d) => d.b,
    asks: (d) => d.a,
  };
}

/** The stream names of a symbol's subscriptions (lower case, as Binance wants them). */
export function streamNames(symbol: string, dataTypes: readonly string[], intervals: readonly string[], market: BinanceMarket): string[] {
  const s = symbol.toLowerCase();
  const names: string[] = [];
  for (const type of dataTypes) {
    if (type === 'orderbook') names.push(`${s}@depth@100ms`);
    else if (type === 'trade') names.push(`${s}@aggTrade`);
    // Futures: the best bid/ask as it changes, and mark, index and funding every second.
    else if (type === 'ticker') names.push(`${s}@ticker`, ...(market.kind === 'spot' ? [] : [`${s}@bookTicker`, `${s}@markPrice@1s`]));
    else if (type === 'candles') for (const interval of intervals) names.push(`${s}@kline_${interval}`);
  }
  return names;
}

export class BinanceFeedProcessor {
  readonly bookSync: BookSync<DepthUpdate> | undefined;
  private lastTicker: Ticker24h | undefined;
  private lastBook: BookTicker | undefined;
  private lastMark: MarkPriceUpdate | undefined;
  private openInterest: OpenInterest | undefined;

  constructor(
    private readonly symbol: string,
    private readonly market: BinanceMarket,
    withBook: boolean,
    private readonly sink: FeedSink,
    now: () => number = Date.now,
  ) {
    this.bookSync = withBook ? new BookSync(depthAdapter(market.chained), { now }) : undefined;
  }

  /** A recorded frame (`{"stream":…, "data":…}`) for this symbol, or anything else (ignored). */
  handleFrame(text: string, receivedAt: number): void {
    const depth = scannedOrUndefined(scanBinanceDepth, text);
    if (depth !== undefined) {
      if (depth.update.s === this.symbol) this.handlePush(depth.stream, depth.update, receivedAt);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.sink.problem(new Error(`Binance sent a frame that is not JSON: ${text.slice(0, 80)}`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const { stream, data } = value as { stream?: unknown; data?: unknown };
    if (typeof stream !== 'string' || !stream.startsWith(`${this.symbol.toLowerCase()}@`)) return;
    this.handlePush(stream, data, receivedAt);
  }

  handlePush(stream: string, data: unknown, receivedAt: number): void {
    const kind = stream.slice(stream.indexOf('@') + 1);
    try {
      if (kind.startsWith('depth')) this.onDepth(asDepthUpdate(data), receivedAt);
      else if (kind === 'aggTrade') this.sink.publish(this.trade(data, receivedAt));
      else if (kind === 'ticker') this.onTicker(asTicker24h(data), receivedAt);
      else if (kind === 'bookTicker') this.onBookTicker(asBookTicker(data), receivedAt);
      else if (kind.startsWith('markPrice')) this.onMarkPrice(asMarkPrice(data), receivedAt);
      else if (kind === OPEN_INTEREST) this.openInterest = asOpenInterest(data);
      else if (kind.startsWith('kline_')) {
        const candle = this.candle(data, receivedAt);
        if (candle !== undefined) this.sink.publish(candle);
      }
    } catch (error) {
      this.sink.problem(error);
      if (kind.startsWith('depth')) {
        // A diff we could not read is a lost update: the book cannot be trusted.
        this.bookSync?.invalidate();
        this.sink.bookBroken('unreadable', 'unreadable depth update');
      }
    }
  }

  /** A REST depth snapshot spliced onto the buffered diffs. */
  loadRestSnapshot(snapshot: DepthSnapshot, receivedAt: number): RestSpliceResult {
    const sync = this.bookSync;
    if (sync === undefined) return 'gap';
    const result = sync.loadRestSnapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId);
    if (result === 'loaded') {
      const { bids, asks } = sync.book.top(sync.book.bids.size + sync.book.asks.size);
      this.sink.publish({
        kind: 'book_snapshot',
        exchange: this.market.id,
        symbol: this.symbol,
        exchangeTs: snapshot.E ?? receivedAt,
        receivedAt,
        bids,
        asks,
        ...(sync.seqId === undefined ? {} : { seqId: sync.seqId }),
      });
    }
    return result;
  }

  private onDepth(update: DepthUpdate, receivedAt: number): void {
    const sync = this.bookSync;
    if (sync === undefined) return;
    const result = sync.onMessage('update', update);
    switch (result.type) {
      case 'update':
      case 'reset':
        this.sink.publish({
          kind: 'book_update',
          exchange: this.market.id,
          symbol: this.symbol,
          exchangeTs: update.E,
          receivedAt,
          bids: update.b,
          asks: update.a,
          seqId: update.u,
          ...(update.pu === undefined ? {} : { prevSeqId: update.pu }),
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
        this.sink.bookBroken('gap', `sequence gap (expected ${result.expected === undefined ? '?' : result.expected + 1}, got ${result.got ?? '?'})`);
        return;
      case 'checksum':
        this.sink.bookBroken('checksum', `checksum mismatch (Binance ${result.expected}, ours ${result.computed})`);
        return;
      case 'malformed':
        this.sink.bookBroken('malformed', `${result.levels} malformed price levels`);
        return;
      case 'snapshot':
        return;
    }
  }

  private trade(data: unknown, receivedAt: number): Trade {
    const t = asAggTrade(data);
    return {
      kind: 'trade',
      exchange: this.market.id,
      symbol: this.symbol,
      exchangeTs: t.T,
      receivedAt,
      tradeId: String(t.a),
      // `m`: the buyer was the maker, so the taker sold.
      side: t.m ? 'sell' : 'buy',
      price: Number(t.p),
      priceStr: t.p,
      size: Number(t.q),
      sizeStr: t.q,
      fills: Math.max(1, t.l - t.f + 1),
    };
  }

  private onTicker(ticker: Ticker24h, receivedAt: number): void {
    this.lastTicker = ticker;
    this.sink.publish(this.tickerEvent(ticker.E, receivedAt));
  }

  private onBookTicker(book: BookTicker, receivedAt: number): void {
    this.lastBook = book;
    // Without a 24 h ticker yet there is no last price to show.
    if (this.lastTicker !== undefined) this.sink.publish(this.tickerEvent(book.E ?? this.lastTicker.E, receivedAt));
  }

  private onMarkPrice(mark: MarkPriceUpdate, receivedAt: number): void {
    this.lastMark = mark;
    if (this.lastTicker !== undefined) this.sink.publish(this.tickerEvent(mark.E, receivedAt));
  }

  private tickerEvent(exchangeTs: number, receivedAt: number): Ticker {
    const t = this.lastTicker;
    const b = this.lastBook;
    const last = t?.c ?? '0';
    const bid = b?.b ?? t?.b;
    const ask = b?.a ?? t?.a;
    return withoutUndefined<Ticker>({
      kind: 'ticker',
      exchange: this.market.id,
      symbol: this.symbol,
      exchangeTs,
      receivedAt,
      last: Number(last),
      lastStr: last,
      lastSize: t?.Q === undefined ? undefined : Number(t.Q),
      bid: bid === undefined ? undefined : Number(bid),
      bidStr: bid,
      bidSize: (b?.B ?? t?.B) === undefined ? undefined : Number(b?.B ?? t?.B),
      ask: ask === undefined ? undefined : Number(ask),
      askStr: ask,
      askSize: (b?.A ?? t?.A) === undefined ? undefined : Number(b?.A ?? t?.A),
      open24h: t === undefined ? undefined : Number(t.o),
      high24h: t === undefined ? undefined : Number(t.h),
      low24h: t === undefined ? undefined : Number(t.l),
      volume24h: t === undefined ? undefined : Number(t.v),
      quoteVolume24h: t === undefined ? undefined : Number(t.q),
      markPrice: this.lastMark === undefined ? undefined : Number(this.lastMark.p),
      indexPrice: this.lastMark === undefined ? undefined : Number(this.lastMark.i),
      fundingRate: this.lastMark === undefined ? undefined : Number(this.lastMark.r),
      nextFundingTime: this.lastMark?.T,
      openInterest: this.openInterest === undefined ? undefined : Number(this.openInterest.openInterest),
    });
  }

  private candle(data: unknown, receivedAt: number): Candle | undefined {
    const { E, k } = asKline(data);
    const timeframe = timeframeOfInterval(k.i);
    if (timeframe === undefined) return undefined;
    return {
      kind: 'candle',
      exchange: this.market.id,
      symbol: this.symbol,
      exchangeTs: E,
      receivedAt,
      timeframe,
      openTime: k.t,
      open: Number(k.o),
      openStr: k.o,
      high: Number(k.h),
      highStr: k.h,
      low: Number(k.l),
      lowStr: k.l,
      close: Number(k.c),
      closeStr: k.c,
      volume: Number(k.v),
      volumeStr: k.v,
      quoteVolume: Number(k.q),
      closed: k.x,
    };
  }
}
