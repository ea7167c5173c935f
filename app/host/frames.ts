// What the host streams to a UI client: one coalesced MarketFrame at most 60 times a second,
// holding only what changed since that client's previous frame. Plain JSON.

import type { BookRecoveryInfo, CollectorStatus } from '../core/collector-status.js';
import type { Candle, DataType, Side } from '../core/types.js';
import type { InstrumentKind } from '../exchanges/info.js';

/** Levels per side a book frame carries at most: a budget of the UI stream, whatever the venue's depth. */
export const MAX_BOOK_DEPTH = 400;

/** One watched symbol. */
export interface WatchlistEntry {
  readonly exchange: string;
  readonly symbol: string;
  readonly dataTypes: readonly DataType[];
  /** `nats`: taken from the cluster's collector nodes instead of the exchange. */
  readonly source?: 'nats' | undefined;
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
  /**
   * The asset traded and what it is priced in (`BTC`, `USDT`), spot or which kind of contract,
   * once the exchange's instrument list is known: the cross-venue views group by `base`.
   */
  readonly base?: string;
  readonly quote?: string;
  readonly kind?: InstrumentKind;
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

/** `[price, size]` as the exchange wrote them: a level of the book the page holds. */
export type LevelTuple = readonly [price: string, size: string];

/**
 * Levels on the wire: `[price, size, price, size, …]` as the exchange wrote them, one flat
 * array per side (a third fewer bytes than pairs, and no array per level to parse).
 */
export type WireLevels = readonly string[];

export type BookState = 'valid' | 'stale' | 'syncing' | 'invalid' | 'stopped' | 'none';

/**
 * A book whole on the wire: sent the first time, after a change of depth or grouping, when it
 * has no levels, and when the page asks (`resyncSymbol`).
 */
export interface BookFrame {
  readonly id: string;
  /**
   * Only `valid` is live. A `stale` book carries its (old) levels to be shown greyed with its
   * age, and so may a `stopped` replay (its last replayed state); every other state carries
   * none. Anything but `valid` must be shown as not live.
   */
  readonly state: BookState;
  /** This client's version of the book (counts the book frames sent to it). */
  readonly version: number;
  /** Best first. */
  readonly bids: WireLevels;
  readonly asks: WireLevels;
  readonly crossed: boolean;
  /** How long before the frame's `at` the book last changed (host time), or null. */
  readonly changedAgo: number | null;
  /** What the book's recovery is doing while it is not valid. */
  readonly recovery: BookRecoveryInfo | null;
  /** The price step the levels are grouped by (over the whole book), or null for raw levels. */
  readonly grouping: string | null;
}

/**
 * What changed in a book since this client's version `base` (its presence tells a delta from a
 * whole book): the levels that changed (size `"0"`: gone; a new or resized level with its
 * size; in no particular order), and `state`, `crossed`, `recovery` and `grouping` only when
 * they differ from what that version said. A page whose book is not at `base` cannot apply it
 * and asks for the whole book (`resyncSymbol`).
 */
export interface BookDelta {
  readonly id: string;
  readonly version: number;
  readonly base: number;
  readonly bids: WireLevels;
  readonly asks: WireLevels;
  readonly changedAgo: number | null;
  readonly state?: BookState;
  readonly crossed?: boolean;
  readonly recovery?: BookRecoveryInfo | null;
  readonly grouping?: string | null;
}

/** A book as the page holds and draws it (whole frames and deltas applied, see renderer/src/lib/book-delta.ts). */
export interface ShownBook {
  readonly id: string;
  readonly state: BookState;
  readonly version: number;
  /** Best first. */
  readonly bids: readonly LevelTuple[];
  readonly asks: readonly LevelTuple[];
  readonly crossed: boolean;
  /** Host time of the book's last change (with the host's clock, the page shows its age). */
  readonly lastChangeAt: number | null;
  readonly recovery: BookRecoveryInfo | null;
  readonly grouping: string | null;
}

/** A trade as the page holds it. */
export interface TradePrint {
  readonly tradeId: string;
  readonly side: Side;
  readonly price: string;
  readonly size: string;
  /** Exchange time, ms. */
  readonly ts: number;
  readonly fills: number;
}

/** A trade on the wire; `ago` is how long before the frame's `at` it happened (exchange time against host time, so it may be negative). */
export type WireTrade = readonly [tradeId: string, side: Side, price: string, size: string, ago: number, fills: number];

export interface TradesFrame {
  readonly id: string;
  /** Oldest first. */
  readonly trades: readonly WireTrade[];
  /** Trades that happened since the last frame but did not fit in this one. */
  readonly skipped: number;
}

/**
 * What the page shows of a symbol's ticker: prices as the exchange wrote them, the 24 h range
 * as numbers. Sizes, volumes and times stay on the host (freshness is judged per stream in the
 * statuses), so that a ticker message that changed none of these sends nothing.
 */
export interface TickerQuote {
  readonly id: string;
  readonly last: string;
  readonly bid?: string;
  readonly ask?: string;
  readonly open24h?: number;
  readonly high24h?: number;
  readonly low24h?: number;
  /**
   * 24 h volume as the exchange counts it (the base asset, or contracts), to three significant
   * digits: the page shows it compact, and a ticker should not go out for every trade's change.
   */
  readonly volume24h?: number;
  /** Contracts, where the venue publishes them (see Ticker): mark and index price as numbers. */
  readonly mark?: number;
  readonly index?: number;
  /** Funding rate of the current period (a fraction), and when it is settled (ms). */
  readonly funding?: number;
  readonly nextFunding?: number;
  /** Open interest in the base asset, to three significant digits. */
  readonly openInterest?: number;
}

/** A symbol's ticker whole: the first one a client gets, or when a field went away. */
export type TickerFrame = TickerQuote;
/** The fields of a record (ticker, status) that changed since the one this client was last sent. */
export type Changes<T extends { readonly id: string }> = Partial<T> & { readonly id: string; readonly changed: true };
/** The fields of a symbol's ticker that changed since the one this client was last sent. */
export type TickerChange = Changes<TickerQuote>;
export type CandleFrame = Candle & { readonly id: string };
/** The fields of a collector's status that changed since the one this client was last sent (none: still there, unchanged). */
export type StatusChange = Changes<CollectorStatus>;

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
  /**
   * About once a second, every collector there is: its status whole the first time (and when
   * asked, or a field went away), otherwise the fields that changed; null in between.
   */
  readonly statuses: readonly (CollectorStatus | StatusChange)[] | null;
  /** Frames this client could not take (it was busy) and got merged into later ones. */
  readonly coalesced: number;
}
