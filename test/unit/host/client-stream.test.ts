import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrderBook } from '../../../app/book/order-book.js';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import type { BookStatus, CollectorStatus } from '../../../app/core/collector-status.js';
import type { MarketEvent, Trade } from '../../../app/core/types.js';
import { ClientStream } from '../../../app/host/client-stream.js';
import type { MarketFrame } from '../../../app/host/frames.js';
import { SymbolFeed, TRADE_HISTORY } from '../../../app/host/symbol-feed.js';

class FakeCollector extends EventEmitter {
  readonly book = new OrderBook();
  bookState: BookStatus['state'] = 'valid';
  recovery: BookStatus['recovery'] = null;
  constructor(readonly id: string) {
    super();
    this.book.loadSnapshot(
      [
        { priceStr: '100', sizeStr: '1' },
        { priceStr: '99', sizeStr: '2' },
      ],
      [{ priceStr: '101', sizeStr: '3' }],
    );
  }
  getBook(): OrderBook | undefined {
    return this.bookState === 'valid' ? this.book : undefined;
  }
  /** A replay keeps its last book after it stops; a live feed drops it. */
  keepsBookWhenStopped = false;
  getDisplayBook(): OrderBook | undefined {
    return this.bookState === 'valid' || this.bookState === 'stale' || (this.bookState === 'stopped' && this.keepsBookWhenStopped) ? this.book : undefined;
  }
  getBookStatus(): BookStatus {
    return {
      state: this.bookState,
      seqId: 7,
      bids: this.book.bids.size,
      asks: this.book.asks.size,
      crossed: false,
      sequenceResets: 0,
      lastChangeAt: 5,
      recovery: this.recovery,
    };
  }
  getStatus(): CollectorStatus {
    return { id: this.id } as CollectorStatus;
  }
  push(event: MarketEvent): void {
    this.emit('data', event);
  }
}

function trade(i: number): Trade {
  return {
    kind: 'trade',
    exchange: 'okx',
    symbol: 'BTC-USDT',
    exchangeTs: i,
    receivedAt: i,
    tradeId: String(i),
    side: 'buy',
    price: 1,
    priceStr: '1',
    size: 1,
    sizeStr: '1',
    fills: 1,
  };
}

let collector: FakeCollector;
let feed: SymbolFeed;
let frames: MarketFrame[];
let busy: boolean;
let stream: ClientStream | undefined;

function open(options = {}): ClientStream {
  stream = new ClientStream({ feeds: () => [feed], statuses: () => [collector.getStatus()] }, { send: (f) => frames.push(f), busy: () => busy }, options);
  return stream;
}

beforeEach(() => {
  vi.useFakeTimers();
  collector = new FakeCollector('okx:BTC-USDT');
  feed = new SymbolFeed(collector as unknown as BaseDataCollector);
  frames = [];
  busy = false;
});

afterEach(() => {
  stream?.close();
  vi.useRealTimers();
});

describe('ClientStream', () => {
  it('sends at most 60 frames a second however fast data comes', () => {
    open({ maxFps: 1000 });
    for (let ms = 0; ms < 1000; ms += 1) {
      collector.push(trade(ms));
      vi.advanceTimersByTime(1);
    }
    expect(frames.length).toBeGreaterThan(50);
    expect(frames.length).toBeLessThanOrEqual(60);
    // Every trade still arrives exactly once, in order.
    const ids = frames.flatMap((f) => f.trades.flatMap((t) => t.trades.map((p) => Number(p[0]))));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));
  });

  it('sends the first frame with the book top-N, then only what changed', () => {
    open({ bookDepth: 1 });
    vi.advanceTimersByTime(20);
    expect(frames[0]?.books).toEqual([
      {
        id: 'okx:BTC-USDT',
        state: 'valid',
        version: 1,
        bids: ['100', '1'],
        asks: ['101', '3'],
        crossed: false,
        changedAgo: frames[0]!.at - 5,
        recovery: null,
        grouping: null,
      },
    ]);
    expect(frames[0]?.statuses).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(frames).toHaveLength(1); // nothing changed, no status due: no frame
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1, last: 100.5, lastStr: '100.5' });
    vi.advanceTimersByTime(20);
    expect(frames[1]?.books).toEqual([]);
    expect(frames[1]?.tickers.map((t) => t.last)).toEqual(['100.5']);
  });

  it('coalesces while the client is busy: no backlog, the next frame has the latest state', () => {
    open();
    vi.advanceTimersByTime(20);
    busy = true;
    for (let i = 0; i < 50; i += 1) {
      collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: i, receivedAt: i, last: i, lastStr: String(i) });
      vi.advanceTimersByTime(17);
    }
    const sentWhileBusy = frames.length;
    expect(sentWhileBusy).toBe(1);
    expect(stream?.framesCoalesced).toBeGreaterThan(40);
    busy = false;
    vi.advanceTimersByTime(17);
    expect(frames).toHaveLength(2);
    expect(frames[1]?.tickers.map((t) => t.last)).toEqual(['49']);
    expect(frames[1]?.coalesced).toBe(stream?.framesCoalesced);
  });

  it('bounds the trades in one frame and says how many it left out', () => {
    open({ maxTradesPerFrame: 10 });
    vi.advanceTimersByTime(20);
    for (let i = 0; i < 25; i += 1) collector.push(trade(i));
    vi.advanceTimersByTime(20);
    const last = frames.at(-1)?.trades[0];
    expect(last?.trades.map((t) => t[0])).toEqual(['15', '16', '17', '18', '19', '20', '21', '22', '23', '24']);
    expect(last?.skipped).toBe(15);
    // On the wire each trade is a tuple, timed against the frame.
    const at = frames.at(-1)?.at ?? 0;
    expect(last?.trades[0]).toEqual(['15', 'buy', '1', '1', at - 15, 1]);
  });

  it('keeps a bounded trade history', () => {
    for (let i = 0; i < TRADE_HISTORY * 3; i += 1) collector.push(trade(i));
    const { trades, skipped } = feed.tradesAfter(0, 10_000);
    expect(trades).toHaveLength(TRADE_HISTORY);
    expect(skipped).toBe(TRADE_HISTORY * 2);
  });

  it('never sends the levels of a book that is invalid, syncing, or stopped with nothing to show', () => {
    for (const state of ['invalid', 'syncing', 'stopped'] as const) {
      collector.bookState = state;
      frames = [];
      const s = open();
      vi.advanceTimersByTime(20);
      expect(frames[0]?.books).toEqual([
        {
          id: 'okx:BTC-USDT',
          state,
          version: 1,
          bids: [],
          asks: [],
          crossed: false,
          changedAgo: frames[0]!.at - 5,
          recovery: null,
          grouping: null,
        },
      ]);
      s.close();
    }
  });

  it('groups a symbol’s whole book by the chosen step when asked, and stops when told', () => {
    collector.book.loadSnapshot(
      Array.from({ length: 300 }, (_, i) => ({ priceStr: String(100 - i), sizeStr: '1' })),
      Array.from({ length: 300 }, (_, i) => ({ priceStr: String(101 + i), sizeStr: '2' })),
    );
    const s = open({ bookDepth: 3 });
    s.setBookGrouping('okx:BTC-USDT', '100');
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.books[0]).toMatchObject({
      grouping: '100',
      bids: ['100', '1', '0', '100'],
      asks: ['200', '200', '300', '200', '400', '200'],
    });
    s.setBookGrouping('okx:BTC-USDT', null);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.books[0]).toMatchObject({
      grouping: null,
      bids: ['100', '1', '99', '1', '98', '1'],
    });
  });

  it('sends the last levels of a finished replay, labelled stopped', () => {
    collector.bookState = 'stopped';
    collector.keepsBookWhenStopped = true;
    open();
    vi.advanceTimersByTime(20);
    expect(frames[0]?.books[0]).toMatchObject({
      state: 'stopped',
      bids: ['100', '1', '99', '2'],
    });
  });

  it('sends a stale book with its levels, labelled stale with the time of its last change', () => {
    collector.bookState = 'stale';
    open();
    vi.advanceTimersByTime(20);
    expect(frames[0]?.books).toEqual([
      {
        id: 'okx:BTC-USDT',
        state: 'stale',
        version: 1,
        bids: ['100', '1', '99', '2'],
        asks: ['101', '3'],
        crossed: false,
        changedAgo: frames[0]!.at - 5,
        recovery: null,
        grouping: null,
      },
    ]);
  });

  it('sends statuses about once a second', () => {
    open();
    for (let i = 0; i < 300; i += 1) {
      collector.push(trade(i));
      vi.advanceTimersByTime(10);
    }
    const withStatuses = frames.filter((f) => f.statuses !== null).length;
    expect(withStatuses).toBeGreaterThanOrEqual(3);
    expect(withStatuses).toBeLessThanOrEqual(4);
  });

  it('sends each status whole first, then only its fields that changed, listing every collector each time', () => {
    let status = { id: 'okx:BTC-USDT', status: 'running', messagesReceived: 1, errors: [{ at: 1, message: 'x' }], streams: { trade: { count: 1 } } };
    const statuses = (): CollectorStatus[] => [status as unknown as CollectorStatus];
    stream = new ClientStream({ feeds: () => [feed], statuses }, { send: (f) => frames.push(f), busy: () => busy });
    const latest = (): MarketFrame['statuses'] | undefined => frames.filter((f) => f.statuses !== null).at(-1)?.statuses;
    vi.advanceTimersByTime(20);
    expect(latest()).toEqual([status]);
    status = { ...status, messagesReceived: 2, errors: [{ at: 1, message: 'x' }], streams: { trade: { count: 2 } } };
    vi.advanceTimersByTime(1100);
    expect(latest()).toEqual([{ id: 'okx:BTC-USDT', changed: true, messagesReceived: 2, streams: { trade: { count: 2 } } }]);
    vi.advanceTimersByTime(1100);
    expect(latest()).toEqual([{ id: 'okx:BTC-USDT', changed: true }]);
    // The page lost track of the symbol (say, it reloaded): everything about it goes out whole.
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1, last: 100, lastStr: '100' });
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', last: '100' }]);
    stream.resync('okx:BTC-USDT');
    vi.advanceTimersByTime(1100);
    expect(latest()).toEqual([status]);
    expect(frames.flatMap((f) => f.tickers).at(-1)).toEqual({ id: 'okx:BTC-USDT', last: '100' });
    expect(frames.flatMap((f) => f.books).at(-1)).not.toHaveProperty('base');
  });

  it('stops its timer when closed', () => {
    const s = open();
    expect(vi.getTimerCount()).toBe(1);
    s.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends a book whole once, then only the levels that changed, and applies to the same book', () => {
    collector.book.loadSnapshot(
      Array.from({ length: 60 }, (_, i) => ({ priceStr: String(1000 - i), sizeStr: '1' })),
      Array.from({ length: 60 }, (_, i) => ({ priceStr: String(1001 + i), sizeStr: '2' })),
    );
    const s = open({ bookDepth: 50 });
    vi.advanceTimersByTime(20);
    const first = frames[0]?.books[0];
    expect(first).toMatchObject({ version: 1 });
    expect(first).not.toHaveProperty('base');
    expect(first?.bids).toHaveLength(100);
    // A resize, a removal at the touch (level 50 enters the window) and a new best ask.
    collector.book.applyUpdate(
      [
        { priceStr: '998', sizeStr: '7' },
        { priceStr: '1000', sizeStr: '0' },
      ],
      [{ priceStr: '1000.5', sizeStr: '4' }],
    );
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 2, receivedAt: 2, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    const delta = frames[1]?.books[0];
    expect(delta).toMatchObject({ version: 2, base: 1 });
    const pairs = (levels: readonly string[] | undefined): Set<string> =>
      new Set((levels ?? []).flatMap((p, i, all) => (i % 2 === 0 ? [`${p}:${all[i + 1]}`] : [])));
    expect(pairs(delta?.bids)).toEqual(new Set(['998:7', '1000:0', '950:1']));
    expect(pairs(delta?.asks)).toEqual(new Set(['1000.5:4', '1050:0']));
    // Asked again (the page lost track): the book goes out whole.
    s.resync('okx:BTC-USDT');
    vi.advanceTimersByTime(20);
    expect(frames[2]?.books[0]).toMatchObject({ version: 3 });
    expect(frames[2]?.books[0]).not.toHaveProperty('base');
    expect(frames[2]?.books[0]?.bids.slice(0, 2)).toEqual(['999', '1']);
  });

  it('a client that skipped frames while busy gets the changes since the last frame it took', () => {
    const s = open({ bookDepth: 10 });
    vi.advanceTimersByTime(20);
    busy = true;
    for (let i = 0; i < 5; i += 1) {
      collector.book.applyUpdate([{ priceStr: '100', sizeStr: String(10 + i) }], []);
      collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: i, receivedAt: i, bids: [], asks: [] });
      vi.advanceTimersByTime(20);
    }
    busy = false;
    vi.advanceTimersByTime(20);
    expect(frames).toHaveLength(2);
    expect(frames[1]?.books[0]).toMatchObject({ base: 1, version: 2, bids: ['100', '14'], asks: [] });
    s.close();
  });

  it('sends the book whole when it comes back after a resync, and when a delta would not be smaller', () => {
    const s = open({ bookDepth: 10 });
    vi.advanceTimersByTime(20);
    collector.bookState = 'syncing';
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    expect(frames[1]?.books[0]).toMatchObject({ state: 'syncing', bids: [], asks: [] });
    expect(frames[1]?.books[0]).not.toHaveProperty('base');
    collector.bookState = 'valid';
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 2, receivedAt: 2, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    expect(frames[2]?.books[0]).toMatchObject({ state: 'valid', bids: ['100', '1', '99', '2'] });
    expect(frames[2]?.books[0]).not.toHaveProperty('base');
    // Every level changes: the whole book is no larger than the delta.
    collector.book.loadSnapshot([{ priceStr: '90', sizeStr: '1' }], [{ priceStr: '91', sizeStr: '1' }]);
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 3, receivedAt: 3, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    expect(frames[3]?.books[0]).toMatchObject({ bids: ['90', '1'], asks: ['91', '1'] });
    expect(frames[3]?.books[0]).not.toHaveProperty('base');
    s.close();
  });

  it('sends a ticker whole first, then only its fields that changed', () => {
    const s = open();
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1, last: 100, lastStr: '100', high24h: 120 });
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', last: '100', high24h: 120 }]);
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 2, receivedAt: 2, last: 101, lastStr: '101', high24h: 120 });
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', changed: true, last: '101' }]);
    // Nothing the page shows changed (only a size and the times): no ticker goes out.
    const sent = frames.length;
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 3, receivedAt: 3, last: 101, lastStr: '101', lastSize: 2, high24h: 120 });
    vi.advanceTimersByTime(20);
    expect(frames.slice(sent).flatMap((f) => f.tickers)).toEqual([]);
    // A field gone: whole again.
    collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 4, receivedAt: 4, last: 101, lastStr: '101', bid: 100, bidStr: '100.0' });
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', last: '101', bid: '100.0' }]);
    s.close();
  });

  it('sends the 24 h volume to three significant digits: a trade that moves it less sends nothing', () => {
    const s = open();
    const ticker = (volume24h: number, at: number): void =>
      collector.push({ kind: 'ticker', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: at, receivedAt: at, last: 100, lastStr: '100', volume24h });
    ticker(12_345.678, 1);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', last: '100', volume24h: 12_300 }]);
    const sent = frames.length;
    ticker(12_349.1, 2);
    vi.advanceTimersByTime(20);
    expect(frames.slice(sent).flatMap((f) => f.tickers)).toEqual([]);
    ticker(12_361, 3);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', changed: true, volume24h: 12_400 }]);
    s.close();
  });

  it('sends a contract’s mark, index, funding and open interest (three significant digits), only what changed after the first', () => {
    const s = open();
    const ticker = (mark: number, openInterest: number, at: number): void =>
      collector.push({
        kind: 'ticker',
        exchange: 'okx',
        symbol: 'BTC-USDT',
        exchangeTs: at,
        receivedAt: at,
        last: 100,
        lastStr: '100',
        markPrice: mark,
        indexPrice: 99.9,
        fundingRate: -0.0000412,
        nextFundingTime: 28_800_000,
        openInterest,
      });
    ticker(100.05, 12_345.6, 1);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([
      { id: 'okx:BTC-USDT', last: '100', mark: 100.05, index: 99.9, funding: -0.0000412, nextFunding: 28_800_000, openInterest: 12_300 },
    ]);
    ticker(100.07, 12_349, 2);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.tickers).toEqual([{ id: 'okx:BTC-USDT', changed: true, mark: 100.07 }]);
    s.close();
  });

  it('leaves out of a book delta what did not change, and says what did', () => {
    const s = open({ bookDepth: 10 });
    vi.advanceTimersByTime(20);
    collector.book.applyUpdate([{ priceStr: '100', sizeStr: '5' }], []);
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 1, receivedAt: 1, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    expect(frames[1]?.books[0]).toEqual({ id: 'okx:BTC-USDT', version: 2, base: 1, bids: ['100', '5'], asks: [], changedAgo: frames[1]!.at - 5 });
    collector.bookState = 'stale';
    collector.book.applyUpdate([{ priceStr: '100', sizeStr: '6' }], []);
    collector.push({ kind: 'book_update', exchange: 'okx', symbol: 'BTC-USDT', exchangeTs: 2, receivedAt: 2, bids: [], asks: [] });
    vi.advanceTimersByTime(20);
    expect(frames[2]?.books[0]).toMatchObject({ base: 2, state: 'stale', bids: ['100', '6'] });
    expect(frames[2]?.books[0]).not.toHaveProperty('grouping');
    s.close();
  });

  it('sends the books in focus at the frame rate and the others at most twice a second, their changes of state at once', () => {
    const other = new FakeCollector('okx:ETH-USDT');
    const otherFeed = new SymbolFeed(other as unknown as BaseDataCollector);
    stream = new ClientStream(
      { feeds: () => [feed, otherFeed], statuses: () => [collector.getStatus(), other.getStatus()] },
      { send: (f) => frames.push(f), busy: () => false },
      { bookDepth: 10 },
    );
    stream.setFocus(['okx:BTC-USDT']);
    const sentOf = (id: string): MarketFrame[] => frames.filter((f) => f.books.some((b) => b.id === id));
    // Both books change every 20 ms for two seconds.
    const change = (c: FakeCollector, i: number): void => {
      c.book.applyUpdate([{ priceStr: '100', sizeStr: String(1 + i) }], []);
      c.push({ kind: 'book_update', exchange: 'okx', symbol: c.id.slice(4), exchangeTs: i, receivedAt: i, bids: [], asks: [] });
    };
    for (let i = 0; i < 100; i += 1) {
      change(collector, i);
      change(other, i);
      vi.advanceTimersByTime(20);
    }
    expect(sentOf('okx:BTC-USDT').length).toBeGreaterThan(90);
    const background = sentOf('okx:ETH-USDT');
    // Whole at first, then every 500 ms: 0, 500, …, 1500 (and 2000 at the edge).
    expect(background.length).toBeGreaterThanOrEqual(4);
    expect(background.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < background.length; i += 1) expect(background[i]!.at - background[i - 1]!.at).toBeGreaterThanOrEqual(500);
    // What it was last sent is the book as it is then (the changes add up, none is lost).
    const last = background.at(-1)!.books.find((b) => b.id === 'okx:ETH-USDT');
    expect(last).toMatchObject({ bids: ['100', expect.any(String)] });
    // A change of state goes out in the next frame, whatever the last send.
    let before = frames.length;
    other.bookState = 'stale';
    change(other, 100);
    vi.advanceTimersByTime(20);
    expect(
      frames
        .slice(before)
        .flatMap((f) => f.books)
        .filter((b) => b.id === 'okx:ETH-USDT'),
    ).toEqual([expect.objectContaining({ state: 'stale' })]);
    // So does a recovery that moves on while the state holds.
    other.bookState = 'syncing';
    other.recovery = { step: 'resync', escalations: 0, since: 1, deadline: 5000, reason: 'gap' };
    change(other, 100);
    vi.advanceTimersByTime(20);
    expect(frames.at(-1)?.books.find((b) => b.id === 'okx:ETH-USDT')).toMatchObject({ state: 'syncing' });
    before = frames.length;
    other.recovery = { step: 'resubscribe', escalations: 1, since: 1, deadline: 9000, reason: 'gap' };
    change(other, 101);
    vi.advanceTimersByTime(20);
    expect(
      frames
        .slice(before)
        .flatMap((f) => f.books)
        .filter((b) => b.id === 'okx:ETH-USDT'),
    ).toMatchObject([{ recovery: { step: 'resubscribe' } }]);
    other.bookState = 'valid';
    other.recovery = null;
    change(other, 102);
    vi.advanceTimersByTime(20);
    // The focus moves: the newly drawn book goes out in the next frame, then at the frame rate.
    vi.advanceTimersByTime(100);
    before = frames.length;
    stream.setFocus(['okx:ETH-USDT']);
    for (let i = 0; i < 10; i += 1) {
      change(collector, 200 + i);
      change(other, 200 + i);
      vi.advanceTimersByTime(20);
    }
    const after = frames.slice(before);
    expect(after[0]?.books.map((b) => b.id)).toContain('okx:ETH-USDT');
    expect(after.filter((f) => f.books.some((b) => b.id === 'okx:ETH-USDT')).length).toBeGreaterThanOrEqual(9);
    expect(after.filter((f) => f.books.some((b) => b.id === 'okx:BTC-USDT')).length).toBeLessThanOrEqual(1);
    // No focus: every book at the frame rate again.
    stream.setFocus(null);
    before = frames.length;
    for (let i = 0; i < 10; i += 1) {
      change(collector, 300 + i);
      change(other, 300 + i);
      vi.advanceTimersByTime(20);
    }
    expect(frames.slice(before).filter((f) => f.books.length === 2).length).toBeGreaterThanOrEqual(9);
  });

  it('sends the candles of symbols outside the focus at most twice a second, and none is lost', () => {
    const other = new FakeCollector('okx:ETH-USDT');
    const otherFeed = new SymbolFeed(other as unknown as BaseDataCollector);
    stream = new ClientStream(
      { feeds: () => [feed, otherFeed], statuses: () => [collector.getStatus(), other.getStatus()] },
      { send: (f) => frames.push(f), busy: () => false },
      {},
    );
    stream.setFocus(['okx:BTC-USDT']);
    const candle = (c: FakeCollector, openTime: number, close: number): void =>
      c.push({
        kind: 'candle',
        exchange: 'okx',
        symbol: c.id.slice(4),
        exchangeTs: openTime,
        receivedAt: openTime,
        timeframe: '1s',
        openTime,
        open: 1,
        openStr: '1',
        high: close,
        highStr: String(close),
        low: 1,
        lowStr: '1',
        close,
        closeStr: String(close),
        volume: 1,
        volumeStr: '1',
        closed: false,
      });
    // A new 1 s candle every second, its close moving every 20 ms, for both symbols.
    for (let i = 0; i < 100; i += 1) {
      const openTime = Math.floor(i / 50) * 1000;
      candle(collector, openTime, 1 + i);
      candle(other, openTime, 1 + i);
      vi.advanceTimersByTime(20);
    }
    const sent = (id: string): MarketFrame[] => frames.filter((f) => f.candles.some((c) => c.id === id));
    expect(sent('okx:BTC-USDT').length).toBeGreaterThan(90);
    const background = sent('okx:ETH-USDT');
    expect(background.length).toBeGreaterThanOrEqual(4);
    expect(background.length).toBeLessThanOrEqual(5);
    // Both candles arrive, each with its last close sent before the next began.
    const got = background.flatMap((f) => f.candles.filter((c) => c.id === 'okx:ETH-USDT'));
    expect(new Set(got.map((c) => c.openTime))).toEqual(new Set([0, 1000]));
    expect(got.filter((c) => c.openTime === 0).at(-1)?.close).toBe(50);
  });
});
