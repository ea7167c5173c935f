import { describe, expect, it } from 'vitest';
import type { BookDelta, BookFrame, MarketFrame, TickerFrame } from '../../../main/contract.js';
import { applyBookFrame, applyTickerFrame } from '../../../renderer/src/lib/book-delta.js';
import { emptyBatch, mergeFrame } from '../../../renderer/src/store/frame-batch.js';

const book = (over: Partial<BookFrame>): BookFrame => ({
  id: 'okx:BTC-USDT',
  state: 'valid',
  kind: 'full',
  version: 1,
  base: null,
  bids: [],
  asks: [],
  seqId: 1,
  crossed: false,
  lastChangeAt: 1,
  recovery: null,
  grouping: null,
  ...over,
});

const delta = (over: Partial<BookDelta> & { base: number; version: number }): BookDelta => ({
  id: 'okx:BTC-USDT',
  kind: 'delta',
  bids: [],
  asks: [],
  seqId: 2,
  lastChangeAt: 2,
  ...over,
});

const frame = (books: (BookFrame | BookDelta)[]): MarketFrame => ({ seq: 1, at: 1, books, trades: [], tickers: [], candles: [], statuses: null, coalesced: 0 });

describe('book deltas in the page', () => {
  it('applies a delta to the version it was made for: resized, removed and new levels, kept in price order', () => {
    const held = book({
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
      delta({
        version: 2,
        base: 1,
        bids: [
          ['99.5', '0'],
          ['100.5', '4'],
          ['9', '5'],
          ['10', '1'],
        ],
        asks: [['101', '0']],
      }),
    );
    expect(next).toMatchObject({ kind: 'full', version: 2, base: null, state: 'valid', seqId: 2, lastChangeAt: 2 });
    expect(next?.bids).toEqual([
      ['100.5', '4'],
      ['100', '1'],
      ['10', '1'],
      ['9', '5'],
    ]);
    expect(next?.asks).toEqual([['102', '2']]);
  });

  it('refuses a delta made for another version, or for a book the page does not hold', () => {
    const change = delta({ version: 5, base: 4, bids: [['1', '1']] });
    expect(applyBookFrame(book({ version: 3 }), change)).toBeUndefined();
    expect(applyBookFrame(undefined, change)).toBeUndefined();
    expect(applyBookFrame(undefined, book({ version: 9, bids: [['2', '1']] }))?.bids).toEqual([['2', '1']]);
  });

  it('merges frames in order within one batch, and asks for the book once the chain breaks', () => {
    const lost: string[] = [];
    const batch = emptyBatch();
    const keeping = { held: () => undefined, heldTicker: () => undefined, lost: (id: string) => lost.push(id) };
    mergeFrame(batch, frame([book({ version: 1, bids: [['100', '1']] })]), keeping);
    mergeFrame(batch, frame([delta({ version: 2, base: 1, bids: [['100', '2']] })]), keeping);
    expect(batch.books.get('okx:BTC-USDT')).toMatchObject({ version: 2, bids: [['100', '2']] });
    // Version 3 never arrived.
    mergeFrame(batch, frame([delta({ version: 4, base: 3, bids: [['100', '9']] })]), keeping);
    expect(lost).toEqual(['okx:BTC-USDT']);
    expect(batch.books.get('okx:BTC-USDT')).toMatchObject({ version: 2, bids: [['100', '2']] });
  });

  it('keeps what a delta leaves out, and takes what it says changed', () => {
    const held = book({ state: 'valid', crossed: false, recovery: null, grouping: '10', bids: [['100', '1']] });
    expect(applyBookFrame(held, delta({ version: 2, base: 1 }))).toMatchObject({ state: 'valid', crossed: false, recovery: null, grouping: '10' });
    expect(applyBookFrame(held, delta({ version: 2, base: 1, state: 'stale', crossed: true, grouping: null }))).toMatchObject({
      state: 'stale',
      crossed: true,
      grouping: null,
    });
  });

  it('applies the changed fields of a ticker to the one the page holds', () => {
    const held = {
      id: 'okx:BTC-USDT',
      kind: 'ticker',
      exchange: 'okx',
      symbol: 'BTC-USDT',
      exchangeTs: 1,
      receivedAt: 1,
      last: 100,
      lastStr: '100',
      bid: 99,
      bidStr: '99',
    } as TickerFrame;
    expect(applyTickerFrame(held, { id: 'okx:BTC-USDT', changed: true, last: 101, lastStr: '101', exchangeTs: 2 })).toEqual({
      ...held,
      last: 101,
      lastStr: '101',
      exchangeTs: 2,
    });
    expect(applyTickerFrame(undefined, { id: 'okx:BTC-USDT', changed: true, last: 101 })).toBeUndefined();
    expect(applyTickerFrame(undefined, held)).toBe(held);
  });
});
