// ClientStream: the frame pump for one UI client. At most `maxFps` times a second it builds a
// frame of what changed since this client's last frame (book changes, new trades, latest ticker
// and candles, statuses once a second). A book goes out whole the first time, after a change of
// depth or grouping, when it has no levels to show, and when the client asks (`resync`);
// otherwise as the levels that changed since the book this client was last sent. When the
// client is busy the frame is skipped and counted; the next one carries the changes since the
// last frame it took, so nothing queues up.

import {
  MAX_BOOK_DEPTH,
  type BookDelta,
  type BookFrame,
  type CandleFrame,
  type LevelTuple,
  type MarketFrame,
  type TickerChange,
  type TickerFrame,
  type TradesFrame,
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
  readonly now?: () => number;
}

interface Seen {
  book: number;
  /** What this client's version of the book says (see BookDelta). */
  said: Pick<BookFrame, 'state' | 'crossed' | 'recovery' | 'grouping'> | undefined;
  /** The ticker this client was last sent. */
  lastTicker: Ticker | undefined;
  /** The book as this client has it (what it was last sent), and its version there. */
  bids: readonly LevelTuple[];
  asks: readonly LevelTuple[];
  bookVersion: number;
  /** The next book frame goes out whole. */
  full: boolean;
  ticker: number;
  tradeSeq: number;
  readonly candles: Map<string, number>;
}

export const MAX_FPS = 60;
/** Candles per changed series in a frame (the forming one and the two before it). */
const RECENT_CANDLES = 3;

export class ClientStream {
  private readonly seen = new Map<string, Seen>();
  /** Per symbol, the price step its book is grouped by. */
  private readonly groupings = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly statusIntervalMs: number;
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

  /** The client lost track of a book (its version did not match a delta's base): send it whole. */
  resync(id: string): void {
    const seen = this.seen.get(id);
    if (seen === undefined) return;
    seen.book = -1;
    seen.full = true;
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
          ticker: 0,
          tradeSeq: Math.max(0, feed.tradeSeq - this.maxTrades),
          candles: new Map(),
        };
        this.seen.set(feed.id, seen);
      }
      if (seen.book !== feed.bookVersion) {
        seen.book = feed.bookVersion;
        const book = this.bookFrame(feed, seen);
        if (book !== undefined) books.push(book);
      }
      if (feed.tradeSeq > seen.tradeSeq) {
        const fresh = feed.tradesAfter(seen.tradeSeq, this.maxTrades);
        seen.tradeSeq = feed.tradeSeq;
        trades.push({ id: feed.id, ...fresh });
      }
      if (feed.ticker !== undefined && seen.ticker !== feed.tickerVersion) {
        seen.ticker = feed.tickerVersion;
        tickers.push(tickerChange(feed.id, seen.lastTicker, feed.ticker));
        seen.lastTicker = feed.ticker;
      }
      for (const [timeframe, version] of feed.candleVersions()) {
        if (seen.candles.get(timeframe) === version) continue;
        seen.candles.set(timeframe, version);
        // The newest candles, not only the last: the one just closed by its successor (or by a
        // late final row from the exchange) changes too, and a chart must not miss it.
        for (const candle of feed.recentCandles(timeframe, RECENT_CANDLES)) candles.push({ ...candle, id: feed.id });
      }
    }
    for (const id of this.seen.keys()) if (!present.has(id)) this.seen.delete(id);
    const now = this.now();
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
      statuses: statusesDue ? this.source.statuses() : null,
      coalesced: this.coalesced,
    };
  }

  private bookFrame(feed: SymbolFeed, seen: Seen): BookFrame | BookDelta | undefined {
    const status = feed.collector.getBookStatus();
    if (status === null) return undefined;
    const grouping = this.groupings.get(feed.id) ?? null;
    // Levels go out for a valid book and, to be shown greyed and labelled, for a stale one and
    // for the last state of a finished replay (a stopped live feed has no levels left to show).
    const book = status.state === 'valid' || status.state === 'stale' || status.state === 'stopped' ? feed.collector.getDisplayBook() : undefined;
    let state = status.state;
    let bids: LevelTuple[] = [];
    let asks: LevelTuple[] = [];
    let crossed = false;
    if (book === undefined) {
      if (state === 'valid') state = 'syncing';
    } else if (grouping !== null) {
      // Every level of the book counts, not only the top N that would otherwise be sent.
      bids = groupSide(book.bids, grouping, this.depth);
      asks = groupSide(book.asks, grouping, this.depth);
      crossed = book.isCrossed();
    } else {
      const top = book.top(this.depth);
      bids = top.bids.map(tuple);
      asks = top.asks.map(tuple);
      crossed = book.isCrossed();
    }
    const { seqId, lastChangeAt, recovery } = status;
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
          kind: 'delta',
          version,
          base: previous,
          bids: bidChanges,
          asks: askChanges,
          seqId,
          lastChangeAt,
        };
        if (said.state !== state) delta.state = state;
        if (said.crossed !== crossed) delta.crossed = crossed;
        if (!sameRecovery(said.recovery, recovery)) delta.recovery = recovery;
        if (said.grouping !== grouping) delta.grouping = grouping;
        frame = delta;
      }
    }
    frame ??= { id: feed.id, state, kind: 'full', version, base: null, bids, asks, seqId, crossed, lastChangeAt, recovery, grouping };
    seen.said = { state, crossed, recovery, grouping };
    seen.bids = bids;
    seen.asks = asks;
    seen.full = false;
    return frame;
  }
}

function sameRecovery(a: BookFrame['recovery'], b: BookFrame['recovery']): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** A ticker whole the first time (or when a field went away), then the fields that changed. */
function tickerChange(id: string, last: Ticker | undefined, ticker: Ticker): TickerFrame | TickerChange {
  if (last === undefined) return { ...ticker, id };
  const now = ticker as unknown as Record<string, unknown>;
  const before = last as unknown as Record<string, unknown>;
  for (const key of Object.keys(before)) if (!(key in now)) return { ...ticker, id };
  const changed: Record<string, unknown> = { id, changed: true };
  for (const key of Object.keys(now)) if (now[key] !== before[key]) changed[key] = now[key];
  return changed as TickerChange;
}

/**
 * The levels to send to turn `before` into `after` (both as shown, best first): new or resized
 * levels with their size, and `"0"` for those gone. Matched by price spelling.
 */
function changes(before: readonly LevelTuple[], after: readonly LevelTuple[]): LevelTuple[] {
  const out: LevelTuple[] = [];
  const had = new Map<string, string>();
  for (const [price, size] of before) had.set(price, size);
  for (const level of after) {
    const size = had.get(level[0]);
    if (size !== level[1]) out.push(level);
    had.delete(level[0]);
  }
  for (const price of had.keys()) out.push([price, '0']);
  return out;
}

function tuple(level: PriceLevel): LevelTuple {
  return [level.priceStr, level.sizeStr];
}

function clampDepth(depth: number): number {
  return Math.min(MAX_BOOK_DEPTH, Math.max(1, Math.floor(depth)));
}
