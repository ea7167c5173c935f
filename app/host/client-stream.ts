// ClientStream: the frame pump for one UI client. At most `maxFps` times a second it builds a
// frame of what changed since this client's last frame (book changes, new trades, latest ticker
// and candles, statuses once a second). A book goes out whole the first time, after a change of
// depth or grouping, when it has no levels to show, and when the client asks (`resync`);
// otherwise as the levels that changed since the book this client was last sent. When the
// client is busy the frame is skipped and counted; the next one carries the changes since the
// last frame it took, so nothing queues up. A client that says which books it draws
// (`setFocus`) gets those at the frame rate and the others' changes at most every
// `backgroundBookMs` (a change of state at once), and their candles as often: the page draws
// one ladder and one chart, not twenty.

import {
  MAX_BOOK_DEPTH,
  type BookDelta,
  type BookFrame,
  type CandleFrame,
  type Changes,
  type MarketFrame,
  type StatusChange,
  type TickerChange,
  type TickerFrame,
  type TickerQuote,
  type TradesFrame,
  type WireLevels,
  type WireTrade,
} from './frames.js';
import type { SymbolFeed } from './symbol-feed.js';
import type { CollectorStatus } from '../core/collector-status.js';
import type { PriceLevel, Ticker } from '../core/types.js';
import { groupSide } from '../book/grouping.js';

export interface FrameSink {
  send(frame: MarketFrame): void;
  /** True while the transport still holds earlier frames (e.g. a WebSocket's unsent bytes). */
  busy(): boolean;
}

export interface FrameSource {
  feeds(): Iterable<SymbolFeed>;
  statuses(): CollectorStatus[];
}

export interface ClientStreamOptions {
  readonly maxFps?: number;
  /** Book levels per side in each frame. */
  readonly bookDepth?: number;
  /** Most trades per symbol in one frame (the newest are kept). */
  readonly maxTradesPerFrame?: number;
  readonly statusIntervalMs?: number;
  /** How often the book of a symbol outside the client's focus goes out when it changes. */
  readonly backgroundBookMs?: number;
  readonly now?: () => number;
}

interface Seen {
  book: number;
  /** What this client's version of the book says (see BookDelta). */
  said: Pick<BookFrame, 'state' | 'crossed' | 'recovery' | 'grouping'> | undefined;
  /** The ticker this client was last sent. */
  lastTicker: TickerQuote | undefined;
  /** The book as this client has it (what it was last sent), and its version there. */
  bids: WireLevels;
  asks: WireLevels;
  bookVersion: number;
  /** The next book frame goes out whole. */
  full: boolean;
  /** When this client was last sent the book, and candles. */
  bookSentAt: number;
  candlesSentAt: number;
  ticker: number;
  tradeSeq: number;
  readonly candles: Map<string, number>;
}

export const MAX_FPS = 60;
/** A book outside the client's focus goes out at most this often (ms) while its state holds. */
export const BACKGROUND_BOOK_MS = 500;
/** Candles per changed series in a frame (the forming one and the two before it). */
const RECENT_CANDLES = 3;

export class ClientStream {
  private readonly seen = new Map<string, Seen>();
  /** The status of each collector as this client was last sent it. */
  private readonly saidStatus = new Map<string, CollectorStatus>();
  /** Per symbol, the price step its book is grouped by. */
  private readonly groupings = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly statusIntervalMs: number;
  private readonly backgroundBookMs: number;
  /** The books the client draws; null: all of them (every book at the frame rate). */
  private focus: ReadonlySet<string> | null = null;
  private readonly maxTrades: number;
  private depth: number;
  private seq = 0;
  private coalesced = 0;
  private lastStatusAt = -Infinity;
  private closed = false;

  constructor(
    private readonly source: FrameSource,
    private readonly sink: FrameSink,
    options: ClientStreamOptions = {},
  ) {
    const fps = Math.min(MAX_FPS, Math.max(1, options.maxFps ?? MAX_FPS));
    this.depth = clampDepth(options.bookDepth ?? 50);
    this.maxTrades = options.maxTradesPerFrame ?? 200;
    this.statusIntervalMs = options.statusIntervalMs ?? 1000;
    this.backgroundBookMs = options.backgroundBookMs ?? BACKGROUND_BOOK_MS;
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.pump(), Math.ceil(1000 / fps));
  }

  get framesSent(): number {
    return this.seq;
  }

  get framesCoalesced(): number {
    return this.coalesced;
  }

  /**
   * Groups one symbol's book into buckets of `step` (a decimal string) over all its levels, or
   * stops grouping it (null). The next frame carries the book grouped.
   */
  setBookGrouping(id: string, step: string | null): void {
    if (step === null) this.groupings.delete(id);
    else this.groupings.set(id, step);
    const seen = this.seen.get(id);
    if (seen !== undefined) {
      seen.book = -1;
      seen.full = true;
    }
  }

  /**
   * The books the client draws (its ladder, depth chart), which go out at the frame rate; the
   * others go out at most every `backgroundBookMs` while their state holds, enough for what a
   * list shows and for a ladder that opens on one. Null: every book at the frame rate.
   */
  setFocus(ids: readonly string[] | null): void {
    this.focus = ids === null ? null : new Set(ids);
  }

  /**
   * The client lost track of a symbol (a book delta did not match its version, or a change came
   * for a ticker or status it does not hold, as after a reload): send its book, ticker and
   * status whole.
   */
  resync(id: string): void {
    this.saidStatus.delete(id);
    const seen = this.seen.get(id);
    if (seen === undefined) return;
    seen.book = -1;
    seen.full = true;
    seen.ticker = -1;
    seen.lastTicker = undefined;
  }

  setBookDepth(depth: number): void {
    this.depth = clampDepth(depth);
    // Every book must be resent at the new depth.
    for (const seen of this.seen.values()) {
      seen.book = -1;
      seen.full = true;
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.seen.clear();
    this.saidStatus.clear();
  }

  /** Builds and sends one frame if there is anything new; public for tests and benchmarks. */
  pump(): void {
    if (this.closed) return;
    if (this.sink.busy()) {
      this.coalesced += 1;
      return;
    }
    const frame = this.build();
    if (frame !== undefined) this.sink.send(frame);
  }

  private build(): MarketFrame | undefined {
    const now = this.now();
    const books: (BookFrame | BookDelta)[] = [];
    const trades: TradesFrame[] = [];
    const tickers: (TickerFrame | TickerChange)[] = [];
    const candles: CandleFrame[] = [];
    const present = new Set<string>();
    for (const feed of this.source.feeds()) {
      present.add(feed.id);
      let seen = this.seen.get(feed.id);
      if (seen === undefined) {
        seen = {
          book: -1,
          said: undefined,
          lastTicker: undefined,
          bids: [],
          asks: [],
          bookVersion: 0,
          full: true,
          bookSentAt: -Infinity,
          candlesSentAt: -Infinity,
          ticker: 0,
          tradeSeq: Math.max(0, feed.tradeSeq - this.maxTrades),
          candles: new Map(),
        };
        this.seen.set(feed.id, seen);
      }
      if (seen.book !== feed.bookVersion && this.bookDue(feed, seen, now)) {
        seen.book = feed.bookVersion;
        seen.bookSentAt = now;
        const book = this.bookFrame(feed, seen, now);
        if (book !== undefined) books.push(book);
      }
      if (feed.tradeSeq > seen.tradeSeq) {
        const fresh = feed.tradesAfter(seen.tradeSeq, this.maxTrades);
        seen.tradeSeq = feed.tradeSeq;
        const wire: WireTrade[] = [];
        for (const t of fresh.trades) wire.push([t.tradeId, t.side, t.price, t.size, now - t.ts, t.fills]);
        trades.push({ id: feed.id, trades: wire, skipped: fresh.skipped });
      }
      if (feed.ticker !== undefined && seen.ticker !== feed.tickerVersion) {
        seen.ticker = feed.tickerVersion;
        const quote = quoteOf(feed.id, feed.ticker);
        // Nothing the page shows changed (a size, a time): nothing goes out.
        const change = fieldChanges(seen.lastTicker, quote);
        if (change !== undefined) tickers.push(change);
        seen.lastTicker = quote;
      }
      // Candles outside the focus as the books: at most every `backgroundBookMs` (the chart draws one symbol).
      const candlesDue = this.focus === null || this.focus.has(feed.id) || now - seen.candlesSentAt >= this.backgroundBookMs;
      for (const [timeframe, version] of candlesDue ? feed.candleVersions() : []) {
        if (seen.candles.get(timeframe) === version) continue;
        seen.candlesSentAt = now;
        seen.candles.set(timeframe, version);
        // The newest candles, not only the last: the one just closed by its successor (or by a
        // late final row from the exchange) changes too, and a chart must not miss it.
        for (const candle of feed.recentCandles(timeframe, RECENT_CANDLES)) candles.push({ ...candle, id: feed.id });
      }
    }
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id);
    const statusesDue = now - this.lastStatusAt >= this.statusIntervalMs;
    if (!statusesDue && books.length + trades.length + tickers.length + candles.length === 0) return undefined;
    if (statusesDue) this.lastStatusAt = now;
    this.seq += 1;
    return {
      seq: this.seq,
      at: now,
      books,
      trades,
      tickers,
      candles,
      statuses: statusesDue ? this.statusChanges() : null,
      coalesced: this.coalesced,
    };
  }

  /** Every collector's status: whole the first time, then what changed. */
  private statusChanges(): (CollectorStatus | StatusChange)[] {
    const out: (CollectorStatus | StatusChange)[] = [];
    const present = new Set<string>();
    for (const status of this.source.statuses()) {
      present.add(status.id);
      // Every collector is listed, changed or not: one left out is gone.
      out.push(fieldChanges(this.saidStatus.get(status.id), status) ?? { id: status.id, changed: true });
      this.saidStatus.set(status.id, status);
    }
    for (const id of this.saidStatus.keys()) if (!present.has(id)) this.saidStatus.delete(id);
    return out;
  }

  /** Whether a changed book goes out in this frame (see `setFocus`). */
  private bookDue(feed: SymbolFeed, seen: Seen, now: number): boolean {
    if (this.focus === null || this.focus.has(feed.id) || seen.full || now - seen.bookSentAt >= this.backgroundBookMs) return true;
    // A change of state (stale, resyncing, crossed…) is never held back.
    const status = feed.collector.getBookStatus();
    return status === null || seen.said === undefined || status.state !== seen.said.state || !sameValue(status.recovery, seen.said.recovery);
  }

  private bookFrame(feed: SymbolFeed, seen: Seen, now: number): BookFrame | BookDelta | undefined {
    const status = feed.collector.getBookStatus();
    if (status === null) return undefined;
    const grouping = this.groupings.get(feed.id) ?? null;
    // Levels go out for a valid book and, to be shown greyed and labelled, for a stale one and
    // for the last state of a finished replay (a stopped live feed has no levels left to show).
    const book = status.state === 'valid' || status.state === 'stale' || status.state === 'stopped' ? feed.collector.getDisplayBook() : undefined;
    let state = status.state;
    let bids: string[] = [];
    let asks: string[] = [];
    let crossed = false;
    if (book === undefined) {
      if (state === 'valid') state = 'syncing';
    } else if (grouping !== null) {
      // Every level of the book counts, not only the top N that would otherwise be sent.
      bids = groupSide(book.bids, grouping, this.depth).flat();
      asks = groupSide(book.asks, grouping, this.depth).flat();
      crossed = book.isCrossed();
    } else {
      const top = book.top(this.depth);
      bids = flatLevels(top.bids);
      asks = flatLevels(top.asks);
      crossed = book.isCrossed();
    }
    const { lastChangeAt, recovery } = status;
    const changedAgo = lastChangeAt === null ? null : now - lastChangeAt;
    const previous = seen.bookVersion;
    seen.bookVersion += 1;
    const version = seen.bookVersion;
    const said = seen.said;
    let frame: BookFrame | BookDelta | undefined;
    if (!seen.full && said !== undefined && bids.length + asks.length > 0 && seen.bids.length + seen.asks.length > 0) {
      const bidChanges = changes(seen.bids, bids);
      const askChanges = changes(seen.asks, asks);
      // A delta only when it is smaller than the book itself.
      if (bidChanges.length + askChanges.length < bids.length + asks.length) {
        const delta: { -readonly [K in keyof BookDelta]: BookDelta[K] } = {
          id: feed.id,
          version,
          base: previous,
          bids: bidChanges,
          asks: askChanges,
          changedAgo,
        };
        if (said.state !== state) delta.state = state;
        if (said.crossed !== crossed) delta.crossed = crossed;
        if (!sameValue(said.recovery, recovery)) delta.recovery = recovery;
        if (said.grouping !== grouping) delta.grouping = grouping;
        frame = delta;
      }
    }
    frame ??= { id: feed.id, state, version, bids, asks, crossed, changedAgo, recovery, grouping };
    seen.said = { state, crossed, recovery, grouping };
    seen.bids = bids;
    seen.asks = asks;
    seen.full = false;
    return frame;
  }
}

/** Equal as sent: the same primitive, or objects that serialize alike. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** What the page shows of a ticker (see TickerQuote). */
function quoteOf(id: string, ticker: Ticker): TickerQuote {
  const quote: { -readonly [K in keyof TickerQuote]: TickerQuote[K] } = { id, last: ticker.lastStr };
  if (ticker.bidStr !== undefined) quote.bid = ticker.bidStr;
  if (ticker.askStr !== undefined) quote.ask = ticker.askStr;
  if (ticker.open24h !== undefined) quote.open24h = ticker.open24h;
  if (ticker.high24h !== undefined) quote.high24h = ticker.high24h;
  if (ticker.low24h !== undefined) quote.low24h = ticker.low24h;
  if (ticker.volume24h !== undefined && Number.isFinite(ticker.volume24h)) quote.volume24h = Number(ticker.volume24h.toPrecision(3));
  if (ticker.markPrice !== undefined && Number.isFinite(ticker.markPrice)) quote.mark = ticker.markPrice;
  if (ticker.indexPrice !== undefined && Number.isFinite(ticker.indexPrice)) quote.index = ticker.indexPrice;
  if (ticker.fundingRate !== undefined && Number.isFinite(ticker.fundingRate)) quote.funding = ticker.fundingRate;
  if (ticker.nextFundingTime !== undefined && Number.isFinite(ticker.nextFundingTime)) quote.nextFunding = ticker.nextFundingTime;
  if (ticker.openInterest !== undefined && Number.isFinite(ticker.openInterest)) quote.openInterest = Number(ticker.openInterest.toPrecision(3));
  return quote;
}

/**
 * A record (a ticker quote, a status) whole the first time or when a field went away, otherwise
 * the fields that changed (compared as sent); undefined when none did.
 */
function fieldChanges<T extends { readonly id: string }>(last: T | undefined, now: T): T | Changes<T> | undefined {
  if (last === undefined) return now;
  const fields = now as unknown as Readonly<Record<string, unknown>>;
  const before = last as unknown as Readonly<Record<string, unknown>>;
  for (const key in before) if (!(key in fields)) return now;
  const changed: Record<string, unknown> = { id: now.id, changed: true };
  let any = false;
  for (const key in fields) {
    if (sameValue(fields[key], before[key])) continue;
    changed[key] = fields[key];
    any = true;
  }
  return any ? (changed as Changes<T>) : undefined;
}

/**
 * The levels to send to turn `before` into `after` (both flat and as shown, best first): new or
 * resized levels with their size, and `"0"` for those gone. Matched by price spelling.
 */
function changes(before: WireLevels, after: WireLevels): string[] {
  const out: string[] = [];
  const had = new Map<string, string>();
  for (let i = 0; i < before.length; i += 2) had.set(before[i] as string, before[i + 1] as string);
  for (let i = 0; i < after.length; i += 2) {
    const price = after[i] as string;
    const size = after[i + 1] as string;
    if (had.get(price) !== size) out.push(price, size);
    had.delete(price);
  }
  for (const price of had.keys()) out.push(price, '0');
  return out;
}

function flatLevels(levels: readonly PriceLevel[]): string[] {
  const out: string[] = [];
  for (const level of levels) out.push(level.priceStr, level.sizeStr);
  return out;
}

function clampDepth(depth: number): number {
  return Math.min(MAX_BOOK_DEPTH, Math.max(1, Math.floor(depth)));
}
