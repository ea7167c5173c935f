// CoinbaseFeedProcessor: one product's Coinbase Advanced Trade frames turned into normalized
// events. The book (`l2_data`) is a snapshot then absolute updates; it carries no sequence of
// its own — its integrity is the connection's `sequence_num`, checked by the shared connection,
// which reports lost frames to the collector. Trades are `market_trades` (Coinbase's `side` is
// the resting order's: the taker is on the other side — the real capture shows SELL prints at
// the ask). Candles: the socket's 5-minute bars, and every other timeframe built from trades
// (see candle-builder.ts). The live collector and the replay of a recorded session both run
// frames through it.

import { BookSync, type BookMessageAdapter } from '../../book/book-sync.js';
import { withoutUndefined } from '../../core/config.js';
import type { Candle, Ticker } from '../../core/types.js';
import type { FeedSink } from '../types.js';
import { TradeCandleBuilder } from './candle-builder.js';
import { COINBASE, STREAMED_TIMEFRAME } from './markets.js';
import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanCoinbaseL2 } from './book-scan.js';
import { asCandles, asL2, asTickers, asTrades, type L2Event } from './messages.js';

const FIVE_MINUTES = 300_000;

export const L2_ADAPTER: BookMessageAdapter<L2Event> = {
  step: () => undefined,
  bids: (e) => e.bids,
  asks: (e) => e.asks,
};

export interface CoinbaseProcessorOptions {
  readonly withBook: boolean;
  /** Candle timeframes wanted (ours); 5m comes from the socket, the rest from trades. */
  readonly timeframes: readonly string[];
  readonly now?: () => number;
}

export class CoinbaseFeedProcessor {
  readonly bookSync: BookSync<L2Event> | undefined;
  private readonly builders: TradeCandleBuilder[];
  private readonly streamed: boolean;
  /** The newest 5-minute bar start seen (earlier bars are final). */
  private newestBar = 0;

  constructor(
    private readonly symbol: string,
    options: CoinbaseProcessorOptions,
    private readonly sink: FeedSink,
  ) {
    this.bookSync = options.withBook ? new BookSync(L2_ADAPTER, { now: options.now ?? Date.now }) : undefined;
    this.streamed = options.timeframes.includes(STREAMED_TIMEFRAME);
    this.builders = options.timeframes.filter((t) => t !== STREAMED_TIMEFRAME).map((t) => new TradeCandleBuilder(t, { exchange: COINBASE.id, symbol }));
  }

  /** Timeframes built from trades that still want their current bar from REST. */
  seedsWanted(): string[] {
    return this.builders.filter((b) => b.wantsSeed).map((b) => b.timeframe);
  }

  /** The venue's REST bar of the current period of `timeframe`, as of `asOf`. */
  seedCandle(candle: Candle, asOf: number, receivedAt: number): void {
    for (const builder of this.builders)
      if (builder.timeframe === candle.timeframe) for (const c of builder.seed(candle, asOf, receivedAt)) this.sink.publish(c);
  }

  /** Frames were lost on the connection: bars built from trades are no longer whole. */
  framesLost(): void {
    for (const builder of this.builders) builder.lost();
  }

  /** A recorded frame, exactly as Coinbase sent it. */
  handleFrame(text: string, receivedAt: number): void {
    const book = scannedOrUndefined(scanCoinbaseL2, text);
    if (book !== undefined) {
      this.handlePush(`level2:${this.symbol}`, book, receivedAt);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.sink.problem(new Error(`Coinbase sent a frame that is not JSON: ${text.slice(0, 80)}`));
      return;
    }
    const channel = (value as { channel?: unknown } | null)?.channel;
    if (typeof channel !== 'string') return;
    this.handlePush(channel === 'l2_data' ? `level2:${this.symbol}` : `${channel}:${this.symbol}`, value, receivedAt);
  }

  handlePush(key: string, frame: unknown, receivedAt: number): void {
    const channel = key.slice(0, key.indexOf(':'));
    try {
      if (channel === 'level2') this.onBook(frame, receivedAt);
      else if (channel === 'market_trades') this.onTrades(frame, receivedAt);
      else if (channel === 'ticker' || channel === 'ticker_batch') this.onTicker(frame, receivedAt);
      else if (channel === 'candles') this.onCandles(frame, receivedAt);
    } catch (error) {
      this.sink.problem(error);
      if (channel === 'level2') {
        // A book message we could not read is a lost update: the book cannot be trusted.
        this.bookSync?.invalidate();
        this.sink.bookBroken('unreadable', 'unreadable level2 message');
      }
    }
  }

  private onBook(frame: unknown, receivedAt: number): void {
    const sync = this.bookSync;
    if (sync === undefined) return;
    const { at, seq, events } = asL2(frame);
    for (const event of events) {
      if (event.product_id !== this.symbol) continue;
      const result = sync.onMessage(event.type === 'snapshot' ? 'snapshot' : 'update', event);
      sync.noteId(seq);
      switch (result.type) {
        case 'snapshot': {
          const { bids, asks } = sync.book.top(sync.book.bids.size + sync.book.asks.size);
          this.sink.publish({ kind: 'book_snapshot', exchange: COINBASE.id, symbol: this.symbol, exchangeTs: at, receivedAt, bids, asks, seqId: seq });
          break;
        }
        case 'update':
        case 'reset': {
          this.sink.publish({
            kind: 'book_update',
            exchange: COINBASE.id,
            symbol: this.symbol,
            exchangeTs: at,
            receivedAt,
            bids: event.bids,
            asks: event.asks,
            seqId: seq,
          });
          break;
        }
        case 'buffered':
          this.sink.bookAlive(receivedAt);
          this.sink.awaitingSnapshot();
          break;
        case 'keepalive':
        case 'ignored':
          this.sink.bookAlive(receivedAt);
          break;
        case 'malformed':
          this.sink.bookBroken('malformed', `${result.levels} malformed price levels`);
          return;
        case 'gap':
        case 'checksum':
          return;
      }
    }
  }

  private onTrades(frame: unknown, receivedAt: number): void {
    const { events } = asTrades(frame);
    for (const event of events) {
      // The snapshot holds recent prints (shown on the tape); bars are built from live ones only.
      const live = event.type === 'update';
      // Coinbase lists the newest first.
      for (let i = event.trades.length - 1; i >= 0; i -= 1) {
        const t = event.trades[i];
        if (t === undefined || t.product_id !== this.symbol) continue;
        const ts = Date.parse(t.time);
        const price = Number(t.price);
        const size = Number(t.size);
        this.sink.publish({
          kind: 'trade',
          exchange: COINBASE.id,
          symbol: this.symbol,
          exchangeTs: ts,
          receivedAt,
          tradeId: t.trade_id,
          // `side` is the maker's; the taker (the aggressor) is on the other side.
          side: t.side === 'SELL' ? 'buy' : 'sell',
          price,
          priceStr: t.price,
          size,
          sizeStr: t.size,
          fills: 1,
        });
        if (live) for (const builder of this.builders) for (const candle of builder.add({ ts, price, size }, receivedAt)) this.sink.publish(candle);
      }
    }
  }

  private onTicker(frame: unknown, receivedAt: number): void {
    const { at, events } = asTickers(frame);
    for (const event of events) {
      for (const t of event.tickers) {
        if (t.product_id !== this.symbol) continue;
        const last = Number(t.price);
        const change = t.price_percent_chg_24_h === undefined ? undefined : Number(t.price_percent_chg_24_h);
        const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
        const ticker: Ticker = withoutUndefined<Ticker>({
          kind: 'ticker',
          exchange: COINBASE.id,
          symbol: this.symbol,
          exchangeTs: at,
          receivedAt,
          last,
          lastStr: t.price,
          bid: num(t.best_bid),
          bidStr: t.best_bid === '' ? undefined : t.best_bid,
          bidSize: num(t.best_bid_quantity),
          ask: num(t.best_ask),
          askStr: t.best_ask === '' ? undefined : t.best_ask,
          askSize: num(t.best_ask_quantity),
          // Coinbase gives the 24 h change in percent; the open follows from it.
          open24h: change === undefined || !Number.isFinite(change) ? undefined : last / (1 + change / 100),
          high24h: num(t.high_24_h),
          low24h: num(t.low_24_h),
          volume24h: num(t.volume_24_h),
        });
        this.sink.publish(ticker);
      }
    }
  }

  private onCandles(frame: unknown, receivedAt: number): void {
    if (!this.streamed) return;
    const { at, events } = asCandles(frame);
    const bars = events
      .flatMap((e) => e.candles)
      .filter((c) => c.product_id === this.symbol)
      .sort((a, b) => Number(a.start) - Number(b.start));
    for (const bar of bars) this.newestBar = Math.max(this.newestBar, Number(bar.start) * 1000);
    for (const bar of bars) {
      const openTime = Number(bar.start) * 1000;
      this.sink.publish({
        kind: 'candle',
        exchange: COINBASE.id,
        symbol: this.symbol,
        exchangeTs: at,
        receivedAt,
        timeframe: STREAMED_TIMEFRAME,
        openTime,
        open: Number(bar.open),
        openStr: bar.open,
        high: Number(bar.high),
        highStr: bar.high,
        low: Number(bar.low),
        lowStr: bar.low,
        close: Number(bar.close),
        closeStr: bar.close,
        volume: Number(bar.volume),
        volumeStr: bar.volume,
        // A bar is final once a later one has started (Coinbase sends no flag).
        closed: openTime < this.newestBar || openTime + FIVE_MINUTES <= at,
      });
    }
  }
}
