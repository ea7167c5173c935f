// What the host streams to a UI client: one coalesced MarketFrame at most 60 times a second,
// holding only what changed since that client's previous frame. Plain JSON.

import type { BookRecoveryInfo, CollectorStatus } from '../core/collector-status.js';
import type { Candle, DataType, Side, Ticker } from '../core/types.js';

/** Levels per side a book frame carries at most: a budget of the UI stream, whatever the venue's depth. */
export const MAX_BOOK_DEPTH = 400;

/** One watched symbol. */
export interface WatchlistEntry {
  readonly exchange: string;
  readonly symbol: string;
  readonly dataTypes: readonly DataType[];
}

export interface WatchlistItem extends WatchlistEntry {
  /** Collector id, `exchange:symbol`. */
  readonly id: string;
  /** The venue's display name (`OKX`, `Binance`). */
  readonly venue: string;
  /** How the UI names it: `BTC/USDT · Binance`, `BTC/USDT perp · OKX` (the venue's id until its list is known). */
  readonly label: string;
  /** Set for the feeds of a replayed session: the session's name. */
  readonly replayOf?: string;
  /** Price and size increments, once the exchange's instrument list is known. */
  readonly tickSize?: string;
  readonly lotSize?: string;
  /** What sizes are counted in: the base currency (`BTC`) for spot, `cont` for contracts. */
  readonly sizeUnit?: string;
  /** For contracts: one contract is worth `contractValue` `contractUnit` (e.g. 0.01 BTC). */
  readonly contractValue?: string;
  readonly contractUnit?: string;
}

/** Something the trader must know that belongs to no single command (a full disk, a damaged file). */
export interface HostNotice {
  readonly id: number;
  readonly at: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** `[price, size]` as the exchange wrote them. */
export type LevelTuple = readonly [price: string, size: string];

export type BookState = 'valid' | 'stale' | 'syncing' | 'invalid' | 'stopped' | 'none';

/** A book whole: what the page holds and draws. */
export interface BookFrame {
  readonly id: string;
  /**
   * Only `valid` is live. A `stale` book carries its (old) levels to be shown greyed with its
   * age, and so may a `stopped` replay (its last replayed state); every other state carries
   * none. Anything but `valid` must be shown as not live.
   */
  readonly state: BookState;
  readonly kind: 'full';
  /** This client's version of the book (counts the book frames sent to it). */
  readonly version: number;
  readonly base: null;
  /** Best first. */
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  readonly seqId: number | null;
  readonly crossed: boolean;
  /** Host time of the book's last change (with the frame's `at`, the page shows its age). */
  readonly lastChangeAt: number | null;
  /** What the book's recovery is doing while it is not valid. */
  readonly recovery: BookRecoveryInfo | null;
  /** The price step the levels are grouped by (over the whole book), or null for raw levels. */
  readonly grouping: string | null;
}

/**
 * What changed in a book since this client's version `base`: the levels that changed (size
 * `"0"`: gone; a new or resized level with its size; in no particular order), and `state`,
 * `crossed`, `recovery` and `grouping` only when they differ from what that version said. A
 * page whose book is not at `base` cannot apply it and asks for the whole book (`resyncBook`).
 */
export interface BookDelta {
  readonly id: string;
  readonly kind: 'delta';
  readonly version: number;
  readonly base: number;
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  readonly seqId: number | null;
  readonly lastChangeAt: number | null;
  readonly state?: BookState;
  readonly crossed?: boolean;
  readonly recovery?: BookRecoveryInfo | null;
  readonly grouping?: string | null;
}

export interface TradePrint {
  readonly tradeId: string;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
  readonly ts: number;
  readonly fills: number;
}

export interface TradesFrame {
  readonly id: string;
  /** Oldest first. */
  readonly trades: readonly TradePrint[];
  /** Trades that happened since the last frame but did not fit in this one. */
  readonly skipped: number;
}

/** A symbol's ticker, whole (the first one a client gets, or when a field went away). */
export type TickerFrame = Ticker & { readonly id: string };
/** The fields of a symbol's ticker that changed since the one this client was last sent. */
export type TickerChange = Partial<Ticker> & { readonly id: string; readonly changed: true };
export type CandleFrame = Candle & { readonly id: string };

export interface MarketFrame {
  /** Frame number for this client. */
  readonly seq: number;
  /** Host time the frame was built. */
  readonly at: number;
  /** A book whole the first time, after a change of depth or grouping, when asked, and when it has no levels; otherwise what changed. */
  readonly books: readonly (BookFrame | BookDelta)[];
  readonly trades: readonly TradesFrame[];
  readonly tickers: readonly (TickerFrame | TickerChange)[];
  readonly candles: readonly CandleFrame[];
  /** Every collector's status, about once a second; null in between. */
  readonly statuses: readonly CollectorStatus[] | null;
  /** Frames this client could not take (it was busy) and got merged into later ones. */
  readonly coalesced: number;
}
