// The heatmap's memory: one column per 100 ms slot, gaps for books that were not valid, trades
// in time order, and bounds that hold however long it runs.

import { describe, expect, it } from 'vitest';
import type { ShownBook, TradePrint } from '../../../main/contract.js';
import { BookColumns, BookHistories, GAP, HISTORY_MS, LEVELS, SLOT_MS, TradeTrail, VALID } from '../../../renderer/src/lib/book-history.js';

const book = (bid: number, ask: number, over: Partial<ShownBook> = {}, depth = 3): ShownBook => ({
  id: 'okx:BTC-USDT',
  state: 'valid',
  version: 1,
  bids: Array.from({ length: depth }, (_, i) => [String(bid - i), String(1 + i)] as const),
  asks: Array.from({ length: depth }, (_, i) => [String(ask + i), String(2 + i)] as const),
  crossed: false,
  lastChangeAt: 0,
  recovery: null,
  grouping: null,
  ...over,
});

const trade = (ts: number, price: number, size: number, side: 'buy' | 'sell' = 'buy'): TradePrint => ({
  tradeId: String(ts),
  side,
  price: String(price),
  size: String(size),
  ts,
  fills: 1,
});

describe('BookColumns', () => {
  it('keeps one column per 100 ms slot, the newest book of a slot winning', () => {
    const columns = new BookColumns();
    columns.record(1_000, book(100, 101), 1);
    columns.record(1_050, book(99, 100), 1);
    columns.record(1_100, book(98, 99), 1);
    expect(columns.length).toBe(2);
    expect(columns.timeOf(0)).toBe(1_000);
    expect(columns.level(0, 'bid', 0)).toEqual([99, 1]);
    expect(columns.level(1, 'ask', 2)).toEqual([101, 4]);
    expect(columns.column(1)).toMatchObject({ time: 1_100, state: VALID, step: 1, bidCount: 3, askCount: 3 });
  });

  it('finds the column drawn at a time: the newest at or before it', () => {
    const columns = new BookColumns();
    for (const t of [1_000, 1_300, 2_000]) columns.record(t, book(100, 101), 1);
    expect(columns.indexAt(999)).toBe(-1);
    expect(columns.indexAt(1_000)).toBe(0);
    expect(columns.indexAt(1_299)).toBe(0);
    expect(columns.indexAt(1_950)).toBe(1);
    expect(columns.indexAt(99_999)).toBe(2);
  });

  it('marks a book that is not valid, or crossed, as a gap without levels', () => {
    const columns = new BookColumns();
    columns.record(1_000, book(100, 101, { state: 'stale' }), 1);
    columns.record(1_100, book(100, 99, { crossed: true }), 1);
    expect(columns.column(0)).toMatchObject({ state: GAP, bidCount: 0, askCount: 0 });
    expect(columns.column(1)).toMatchObject({ state: GAP, bidCount: 0, askCount: 0 });
  });

  it(`keeps at most ${LEVELS} levels a side`, () => {
    const columns = new BookColumns();
    columns.record(0, book(1000, 1001, {}, LEVELS + 20), 1);
    expect(columns.column(0)).toMatchObject({ bidCount: LEVELS, askCount: LEVELS });
  });

  it('forgets columns older than the history and stays within its bound over hours', () => {
    const columns = new BookColumns();
    for (let t = 0; t <= 3 * HISTORY_MS; t += SLOT_MS) columns.record(t, book(100, 101), 1);
    expect(columns.length).toBe(HISTORY_MS / SLOT_MS);
    expect(columns.timeOf(0)).toBe(2 * HISTORY_MS + SLOT_MS);
    const bytes = columns.bytes;
    for (let t = 3 * HISTORY_MS; t <= 4 * HISTORY_MS; t += SLOT_MS) columns.record(t, book(100, 101), 1);
    expect(columns.bytes).toBe(bytes);
    // Order survives the ring's wrap.
    for (let i = 1; i < columns.length; i += 1) expect(columns.timeOf(i)).toBeGreaterThan(columns.timeOf(i - 1));
  });

  it('grows with use: a book seen twice a second costs a fraction of one drawn every slot', () => {
    const sparse = new BookColumns();
    const dense = new BookColumns();
    for (let t = 0; t < HISTORY_MS; t += 500) sparse.record(t, book(100, 101), 1);
    for (let t = 0; t < HISTORY_MS; t += SLOT_MS) dense.record(t, book(100, 101), 1);
    expect(sparse.bytes).toBeLessThan(dense.bytes / 3);
  });

  it('starts afresh when time goes back (a replay of older data)', () => {
    const columns = new BookColumns();
    columns.record(10_000, book(100, 101), 1);
    columns.record(10_100, book(100, 101), 1);
    columns.record(5_000, book(90, 91), 1);
    expect(columns.length).toBe(1);
    expect(columns.level(0, 'bid', 0)).toEqual([90, 1]);
  });
});

describe('TradeTrail', () => {
  it('keeps trades in time order and finds the first at or after a time', () => {
    const trail = new TradeTrail();
    trail.add([trade(1_000, 100, 1), trade(1_500, 101, 2, 'sell'), trade(2_000, 102, 3)]);
    expect(trail.length).toBe(3);
    expect(trail.firstFrom(1_200)).toBe(1);
    expect(trail.firstFrom(5_000)).toBe(3);
    expect(trail.trade(1)).toEqual({ time: 1_500, price: 101, size: 2, buy: false });
  });

  it('holds at most its bound, the oldest going first, and nothing older than the history', () => {
    const trail = new TradeTrail(1_000);
    trail.add(Array.from({ length: 5_000 }, (_, i) => trade(i, 100, 1)));
    expect(trail.length).toBe(1_000);
    expect(trail.timeOf(0)).toBe(4_000);
    trail.add([trade(5_000 + HISTORY_MS, 100, 1)]);
    expect(trail.length).toBe(1);
  });
});

describe('BookHistories', () => {
  it('places a valid book at its last change and a book that is not valid at the frame, after the last column', () => {
    const histories = new BookHistories();
    histories.addBook(book(100, 101, { lastChangeAt: 5_000 }), 9_000, 1);
    histories.addBook(book(100, 101, { state: 'stopped', lastChangeAt: 5_000 }), 5_020, 1);
    const columns = histories.get('okx:BTC-USDT')?.columns;
    expect(columns?.length).toBe(2);
    expect(columns?.timeOf(1)).toBe(5_100);
    expect(columns?.column(1).state).toBe(GAP);
  });

  it('keeps only the symbols it is told to', () => {
    const histories = new BookHistories();
    histories.addBook(book(100, 101, { id: 'a', lastChangeAt: 0 }), 0, 1);
    histories.addTrades('b', [trade(0, 1, 1)]);
    const before = histories.version;
    histories.keep(new Set(['b']));
    expect(histories.get('a')).toBeUndefined();
    expect(histories.get('b')?.trades.length).toBe(1);
    histories.addTrades('b', []);
    expect(histories.version).toBe(before);
  });
});
