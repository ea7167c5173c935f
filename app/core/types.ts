// Normalized market data shared by every exchange, the host and the UI.
// Prices and sizes carry the exchange's decimal string (exact, used for checksums and
// display) beside a number (used for sorting, maths and charts).

export const DATA_TYPES = ['trade', 'orderbook', 'ticker', 'candles'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}

/** Taker side of a trade. */
export type Side = 'buy' | 'sell';

/** Fields every normalized event carries. Times are Unix milliseconds. */
export interface MarketEventBase {
  readonly exchange: string;
  readonly symbol: string;
  /** Time the exchange stamped on the message (matching engine or push time). */
  readonly exchangeTs: number;
  /** Local wall-clock time the frame was received. */
  readonly receivedAt: number;
}

export interface Trade extends MarketEventBase {
  readonly kind: 'trade';
  readonly tradeId: string;
  readonly side: Side;
  readonly price: number;
  readonly priceStr: string;
  readonly size: number;
  readonly sizeStr: string;
  /** Number of maker fills aggregated into this print (1 when the exchange does not aggregate). */
  readonly fills: number;
  readonly seqId?: number;
}

export interface PriceLevel {
  readonly price: number;
  readonly priceStr: string;
  readonly size: number;
  readonly sizeStr: string;
  /** Number of orders at the level, when the exchange reports it. */
  readonly orders?: number;
}

/** Read-only access to one side of a live order book (app/book's BookSide is one). */
export interface BookSideReader {
  readonly side: 'bid' | 'ask';
  readonly size: number;
  best(): PriceLevel | undefined;
  top(n: number): PriceLevel[];
  get(price: number): PriceLevel | undefined;
  all(): PriceLevel[];
  /** Best first; stops when `visit` returns false. */
  forEach(visit: (level: PriceLevel) => boolean | void): void;
  /** Cumulative size from the best level to `price`. */
  depthTo(price: number): number;
  /** Cumulative sizes of the first `n` levels. */
  cumulative(n: number): number[];
}

/** Read-only access to a live order book (app/book's OrderBook is one); what collectors expose. */
export interface OrderBookReader {
  readonly bids: BookSideReader;
  readonly asks: BookSideReader;
  isEmpty(): boolean;
  isCrossed(): boolean;
  spread(): number | undefined;
  mid(): number | undefined;
  top(n: number): { readonly bids: readonly PriceLevel[]; readonly asks: readonly PriceLevel[] };
}

interface BookMessageBase extends MarketEventBase {
  /** Bids, best (highest) first in snapshots; in updates, in exchange order. */
  readonly bids: readonly PriceLevel[];
  /** Asks, best (lowest) first in snapshots; in updates, in exchange order. */
  readonly asks: readonly PriceLevel[];
  readonly seqId?: number;
  /** Exchange checksum of the resulting book; absent when the exchange sends none (or 0). */
  readonly checksum?: number;
}

/** A full replacement of the book. */
export interface BookSnapshot extends BookMessageBase {
  readonly kind: 'book_snapshot';
}

/** Absolute sizes per level; size 0 removes the level. */
export interface BookUpdate extends BookMessageBase {
  readonly kind: 'book_update';
  readonly prevSeqId?: number;
}

export interface Ticker extends MarketEventBase {
  readonly kind: 'ticker';
  readonly last: number;
  readonly lastStr: string;
  readonly lastSize?: number;
  readonly bid?: number;
  readonly bidStr?: string;
  readonly bidSize?: number;
  readonly ask?: number;
  readonly askStr?: string;
  readonly askSize?: number;
  readonly open24h?: number;
  readonly high24h?: number;
  readonly low24h?: number;
  /** 24h volume in the base currency (contracts for derivatives, as the exchange reports). */
  readonly volume24h?: number;
  /** 24h volume in the quote currency, when reported. */
  readonly quoteVolume24h?: number;
  /** Contracts, where the venue publishes them: the mark price the venue values positions at. */
  readonly markPrice?: number;
  /** The spot index the contract tracks. */
  readonly indexPrice?: number;
  /** Perpetuals: the funding rate of the current period, as a fraction (0.0001 = 0.01 %). */
  readonly fundingRate?: number;
  /** When that funding is settled, ms. */
  readonly nextFundingTime?: number;
  /** Open interest in the base asset. */
  readonly openInterest?: number;
}

/** The contract figures a ticker may carry (see Ticker). */
export type DerivativeFields = Pick<Ticker, 'markPrice' | 'indexPrice' | 'fundingRate' | 'nextFundingTime' | 'openInterest'>;

export interface Candle extends MarketEventBase {
  readonly kind: 'candle';
  /** Exchange timeframe label normalized to ours, e.g. `1m`, `1H`, `1D`. */
  readonly timeframe: string;
  /** Candle open time, ms. */
  readonly openTime: number;
  readonly open: number;
  readonly openStr: string;
  readonly high: number;
  readonly highStr: string;
  readonly low: number;
  readonly lowStr: string;
  readonly close: number;
  readonly closeStr: string;
  readonly volume: number;
  readonly volumeStr: string;
  readonly quoteVolume?: number;
  /** True once the exchange has closed the candle; false while it is still forming. */
  readonly closed: boolean;
}

export type MarketEvent = Trade | BookSnapshot | BookUpdate | Ticker | Candle;
export type MarketEventKind = MarketEvent['kind'];

/** Which subscription data type produced an event. */
export function dataTypeOf(event: MarketEvent): DataType {
  switch (event.kind) {
    case 'trade':
      return 'trade';
    case 'book_snapshot':
    case 'book_update':
      return 'orderbook';
    case 'ticker':
      return 'ticker';
    case 'candle':
      return 'candles';
  }
}

/** A frame exactly as the exchange sent it, for recording and replay. */
export interface RawMessage {
  readonly exchange: string;
  /** Which connection of the exchange it came from (e.g. `public`, `business`). */
  readonly stream: string;
  readonly receivedAt: number;
  readonly payload: string;
}
