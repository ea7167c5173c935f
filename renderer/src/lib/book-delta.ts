// Book frames arrive whole or as what changed since the version this page holds (see BookFrame
// and BookDelta in app/host/frames.ts). A delta is applied to that version only; a page whose
// book is at another version (it missed a frame, or never had the book) cannot apply it and
// asks for the whole book again. Tickers arrive whole, then as the fields that changed.

import type { BookDelta, BookFrame, LevelTuple, TickerChange, TickerFrame } from '../../../main/contract.js';

function applySide(levels: readonly LevelTuple[], changes: readonly LevelTuple[], bids: boolean): readonly LevelTuple[] {
  if (changes.length === 0) return levels;
  const byPrice = new Map<string, string>();
  for (const [price, size] of levels) byPrice.set(price, size);
  for (const [price, size] of changes) {
    if (size === '0') byPrice.delete(price);
    else byPrice.set(price, size);
  }
  const out: [string, string, number][] = [];
  for (const [price, size] of byPrice) out.push([price, size, Number(price)]);
  out.sort(bids ? (a, b) => b[2] - a[2] : (a, b) => a[2] - b[2]);
  return out.map(([price, size]) => [price, size] as const);
}

/** The whole book after `frame`, or undefined when `frame` is a delta to a version `held` is not. */
export function applyBookFrame(held: BookFrame | undefined, frame: BookFrame | BookDelta): BookFrame | undefined {
  if (frame.kind === 'full') return frame;
  if (held?.version !== frame.base) return undefined;
  return {
    id: frame.id,
    state: frame.state ?? held.state,
    kind: 'full',
    version: frame.version,
    base: null,
    bids: applySide(held.bids, frame.bids, true),
    asks: applySide(held.asks, frame.asks, false),
    seqId: frame.seqId,
    crossed: frame.crossed ?? held.crossed,
    lastChangeAt: frame.lastChangeAt,
    recovery: frame.recovery === undefined ? held.recovery : frame.recovery,
    grouping: frame.grouping === undefined ? held.grouping : frame.grouping,
  };
}

/** The whole ticker after `frame`; undefined for changes to a ticker the page does not hold (a symbol it dropped). */
export function applyTickerFrame(held: TickerFrame | undefined, frame: TickerFrame | TickerChange): TickerFrame | undefined {
  if (!('changed' in frame)) return frame;
  if (held === undefined) return undefined;
  const { changed: _changed, ...fields } = frame;
  return { ...held, ...fields };
}
