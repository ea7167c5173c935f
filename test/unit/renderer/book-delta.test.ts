import { describe, expect, it } from 'vitest';
import type { BookDelta, BookFrame, CollectorStatus, MarketFrame, ShownBook, TickerQuote, WireTrade } from '../../../main/contract.js';
import { applyBookFrame, applyTickerFrame, tradePrints } from '../../../renderer/src/lib/book-delta.js';
import { MAX_TRADES, emptyBatch, mergeFrame } from '../../../renderer/src/store/frame-batch.js';

const whole = (over: Partial<BookFrame>): BookFrame => ({
  id: 'okx:BTC-USDT',
  state: 'valid',
  version: 1,
  bids: [],
  asks: [],
  crossed: false,
  changedAgo: 1,
  recovery: null,
  grouping: null,
  ...over,
});

const shown = (over: Partial<ShownBook>): ShownBook => ({
  id: 'okx:BTC-USDT',
  state: 'valid',
  version: 1,
  bids: [],
  asks: [],
  crossed: false,
  lastChangeAt: 1,
  recovery: null,
  grouping: null,
  ...over,
});

const delta = (over: Partial<BookDelta> & { base: number; version: number }): BookDelta => ({
  id: 'okx:BTC-USDT',
  bids: [],
  asks: [],
  changedAgo: 2,
  ...over,
});

const frame = (books: (BookFrame | BookDelta)[], at = 1): MarketFrame => ({
  seq: 1,
  at,
  books,
  trades: [],
  tickers: [],
  candles: [],
  statuses: null,
  coalesced: 0,
});

describe('book deltas in the page', () => {
  it('reads a whole book from flat levels, and its last change from the frame time', () => {
    const book = applyBookFrame(undefined, whole({ version: 9, bids: ['100', '1', '99', '2'], asks: ['101', '3'], changedAgo: 40 }), 1000);
    expect(book).toEqual(
      shown({
        version: 9,
        bids: [
          ['100', '1'],
          ['99', '2'],
        ],
        asks: [['101', '3']],
        lastChangeAt: 960,
      }),
    );
    expect(applyBookFrame(undefined, whole({ changedAgo: null }), 1000)?.lastChangeAt).toBeNull();
  });

  it('applies a delta to the version it was made for: resized, removed and new levels, kept in price order', () => {
    const held = shown({
      bids: [
        ['100', '1'],
        ['99.5', '2'],
        ['9', '3'],
      ],
      asks: [
        ['101', '1'],
        ['102', '2'],
      ],
    });
    const next = applyBookFrame(
      held,
      delta({ version: 2, base: 1, bids: ['99.5', '0', '100.5', '4', '9', '5', '10', '1'], asks: ['101', '0'], changedAgo: 5 }),
      100,
    );
    expect(next).toMatchObject({ version: 2, state: 'valid', lastChangeAt: 95 });
    expect(next?.bids).toEqual([
      ['100.5', '4'],
      ['100', '1'],
      ['10', '1'],
      ['9', '5'],
    ]);
    expect(next?.asks).toEqual([['102', '2']]);
  });

  it('refuses a delta made for another version, or for a book the page does not hold', () => {
    const change = delta({ version: 5, base: 4, bids: ['1', '1'] });
    expect(applyBookFrame(shown({ version: 3 }), change, 1)).toBeUndefined();
    expect(applyBookFrame(undefined, change, 1)).toBeUndefined();
    expect(applyBookFrame(undefined, whole({ version: 9, bids: ['2', '1'] }), 1)?.bids).toEqual([['2', '1']]);
  });

  it('merges frames in order within one batch, and asks for the book once the chain breaks', () => {
    const lost: string[] = [];
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, heldStatus: () => undefined, lost: (id: string) => lost.push(id) };
    mergeFrame(batch, frame([whole({ version: 1, bids: ['100', '1'] })]), keeping);
    mergeFrame(batch, frame([delta({ version: 2, base: 1, bids: ['100', '2'] })]), keeping);
    expect(batch.books.get('okx:BTC-USDT')).toMatchObject({ version: 2, bids: [['100', '2']] });
    // Version 3 never arrived.
    mergeFrame(batch, frame([delta({ version: 4, base: 3, bids: ['100', '9'] })]), keeping);
    expect(lost).toEqual(['okx:BTC-USDT']);
    expect(batch.books.get('okx:BTC-USDT')).toMatchObject({ version: 2, bids: [['100', '2']] });
  });

  it('keeps what a delta leaves out, and takes what it says changed', () => {
    const held = shown({ state: 'valid', crossed: false, recovery: null, grouping: '10', bids: [['100', '1']] });
    expect(applyBookFrame(held, delta({ version: 2, base: 1 }), 1)).toMatchObject({ state: 'valid', crossed: false, recovery: null, grouping: '10' });
    expect(applyBookFrame(held, delta({ version: 2, base: 1, state: 'stale', crossed: true, grouping: null }), 1)).toMatchObject({
      state: 'stale',
      crossed: true,
      grouping: null,
    });
  });

  it('applies the changed fields of a ticker to the one the page holds', () => {
    const held: TickerQuote = { id: 'okx:BTC-USDT', last: '100', bid: '99', open24h: 90 };
    expect(applyTickerFrame(held, { id: 'okx:BTC-USDT', changed: true, last: '101' })).toEqual({ ...held, last: '101' });
    expect(applyTickerFrame(undefined, { id: 'okx:BTC-USDT', changed: true, last: '101' })).toBeUndefined();
    expect(applyTickerFrame(undefined, held)).toBe(held);
  });

  it('times the trades of a frame from the frame time, and keeps them in the batch as prints', () => {
    expect(tradePrints([['7', 'sell', '100.5', '0.25', 12, 3]], 1000)).toEqual([
      { tradeId: '7', side: 'sell', price: '100.5', size: '0.25', ts: 988, fills: 3 },
    ]);
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, heldStatus: () => undefined, lost: () => undefined };
    mergeFrame(batch, { ...frame([], 500), trades: [{ id: 'okx:BTC-USDT', trades: [['1', 'buy', '1', '2', -3, 1]], skipped: 0 }] }, keeping);
    expect(batch.trades.get('okx:BTC-USDT')).toEqual([{ tradeId: '1', side: 'buy', price: '1', size: '2', ts: 503, fills: 1 }]);
  });

  it('counts the trades a batch will never show: left out by the host, or beyond what it keeps', () => {
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, heldStatus: () => undefined, lost: () => undefined };
    const many = (n: number, from: number): WireTrade[] => Array.from({ length: n }, (_, i) => [String(from + i), 'buy', '1', '1', 0, 1]);
    mergeFrame(batch, { ...frame([], 500), trades: [{ id: 'okx:BTC-USDT', trades: many(10, 0), skipped: 4 }] }, keeping);
    expect(batch.missed.get('okx:BTC-USDT')).toEqual({ at: 500, count: 4 });
    mergeFrame(batch, { ...frame([], 600), trades: [{ id: 'okx:BTC-USDT', trades: many(MAX_TRADES, 10), skipped: 0 }] }, keeping);
    expect(batch.trades.get('okx:BTC-USDT')).toHaveLength(MAX_TRADES);
    expect(batch.missed.get('okx:BTC-USDT')).toEqual({ at: 600, count: 14 });
    mergeFrame(batch, { ...frame([], 700), trades: [{ id: 'okx:ETH-USDT', trades: many(3, 0), skipped: 0 }] }, keeping);
    expect(batch.missed.has('okx:ETH-USDT')).toBe(false);
  });

  it('asks for a symbol whole when a ticker or status change comes for one the page does not hold (as after a reload)', () => {
    const lost: string[] = [];
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, heldStatus: () => undefined, lost: (id: string) => lost.push(id) };
    mergeFrame(batch, { ...frame([]), tickers: [{ id: 'okx:ETH-USDT', changed: true, last: '2' }] }, keeping);
    mergeFrame(batch, { ...frame([]), statuses: [{ id: 'okx:SOL-USDT', changed: true, messagesReceived: 3 }] }, keeping);
    expect(lost).toEqual(['okx:ETH-USDT', 'okx:SOL-USDT']);
    expect(batch.tickers.size).toBe(0);
    expect(batch.statuses?.size).toBe(0);
  });

  it('applies status changes to the statuses the page holds, and drops the collectors a status frame no longer lists', () => {
    const held = (id: string, messagesReceived: number): CollectorStatus => ({ id, status: 'running', messagesReceived }) as CollectorStatus;
    const page = new Map([
      ['a', held('a', 1)],
      ['b', held('b', 1)],
    ]);
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, heldStatus: (id: string) => page.get(id), lost: () => undefined };
    mergeFrame(
      batch,
      {
        ...frame([]),
        statuses: [
          { id: 'a', changed: true, messagesReceived: 5 },
          { id: 'b', changed: true },
        ],
      },
      keeping,
    );
    expect([...(batch.statuses?.values() ?? [])]).toEqual([held('a', 5), held('b', 1)]);
    // Two status frames in one batch: the second applies to the first; `b` is gone.
    mergeFrame(batch, { ...frame([]), statuses: [{ id: 'a', changed: true, status: 'stale' }] }, keeping);
    expect([...(batch.statuses?.values() ?? [])]).toEqual([{ ...held('a', 5), status: 'stale' }]);
  });

  it('places random deltas exactly as a book rebuilt from scratch would hold them', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    const truth = { bids: new Map<string, string>(), asks: new Map<string, string>() };
    let held = applyBookFrame(undefined, whole({ version: 1 }), 1);
    for (let version = 2; version < 2000; version += 1) {
      const bids: string[] = [];
      const asks: string[] = [];
      for (let n = Math.floor(random() * 6); n > 0; n -= 1) {
        const bid = random() < 0.5;
        // Bids below 100, asks above, in quarter ticks.
        const ticks = Math.floor(random() * 40);
        const price = bid ? 99 - ticks / 4 : 101 + ticks / 4;
        const text = String(price);
        const size = random() < 0.3 ? '0' : String(1 + Math.floor(random() * 9));
        (bid ? bids : asks).push(text, size);
        const side = bid ? truth.bids : truth.asks;
        if (size === '0') side.delete(text);
        else side.set(text, size);
      }
      held = applyBookFrame(held, delta({ version, base: version - 1, bids, asks }), 1);
      const expected = (side: Map<string, string>, descending: boolean): [string, string][] =>
        [...side].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
      expect(held?.bids).toEqual(expected(truth.bids, true));
      expect(held?.asks).toEqual(expected(truth.asks, false));
    }
  });
});
