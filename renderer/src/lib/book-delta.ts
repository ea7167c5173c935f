// Book frames arrive whole or as what changed since the version this page holds (see BookFrame
// and BookDelta in app/host/frames.ts), their levels flat (`[price, size, price, size, …]`). A
// delta is applied to that version only; a page whose book is at another version (it missed a
// frame, or never had the book) cannot apply it and asks for the whole book again. Tickers
// arrive whole, then as the fields that changed; trades as tuples timed against the frame.

import type {
  BookDelta,
  Changes,
  BookFrame,
  CollectorStatus,
  LevelTuple,
  ShownBook,
  StatusChange,
  TickerChange,
  TickerFrame,
  TickerQuote,
  TradePrint,
  WireLevels,
  WireTrade,
} from '../../../main/contract.js';

function pairs(levels: WireLevels): LevelTuple[] {
  const out: LevelTuple[] = [];
  for (let i = 0; i + 1 < levels.length; i += 2) out.push([levels[i] as string, levels[i + 1] as string]);
  return out;
}

/** Where `price` is, or would go, in `levels` (best first; bids descending, asks ascending). */
function rankOf(levels: readonly LevelTuple[], price: number, bids: boolean): number {
  let lo = 0;
  let hi = levels.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = Number((levels[mid] as LevelTuple)[0]);
    if (bids ? at > price : at < price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The side after its changes: each placed by binary search into one copy (a delta changes a few levels of many). */
function applySide(levels: readonly LevelTuple[], changes: WireLevels, bids: boolean): readonly LevelTuple[] {
  if (changes.length === 0) return levels;
  const out = levels.slice();
  for (let i = 0; i + 1 < changes.length; i += 2) {
    const priceText = changes[i] as string;
    const size = changes[i + 1] as string;
    const price = Number(priceText);
    const rank = rankOf(out, price, bids);
    const there = out[rank];
    const same = there !== undefined && Number(there[0]) === price;
    if (size === '0') {
      if (same) out.splice(rank, 1);
    } else if (same) out[rank] = [priceText, size];
    else out.splice(rank, 0, [priceText, size]);
  }
  return out;
}

/**
 * The whole book after `frame` (sent at host time `at`), or undefined when `frame` is a delta
 * to a version `held` is not.
 */
export function applyBookFrame(held: ShownBook | undefined, frame: BookFrame | BookDelta, at: number): ShownBook | undefined {
  const lastChangeAt = frame.changedAgo === null ? null : at - frame.changedAgo;
  if (!('base' in frame)) {
    const { id, state, version, crossed, recovery, grouping } = frame;
    return { id, state, version, bids: pairs(frame.bids), asks: pairs(frame.asks), crossed, lastChangeAt, recovery, grouping };
  }
  if (held?.version !== frame.base) return undefined;
  return {
    id: frame.id,
    state: frame.state ?? held.state,
    version: frame.version,
    bids: applySide(held.bids, frame.bids, true),
    asks: applySide(held.asks, frame.asks, false),
    crossed: frame.crossed ?? held.crossed,
    lastChangeAt,
    recovery: frame.recovery === undefined ? held.recovery : frame.recovery,
    grouping: frame.grouping === undefined ? held.grouping : frame.grouping,
  };
}

/**
 * A record whole after `frame` (whole, or the fields that changed, marked `changed`); undefined
 * for changes to one the page does not hold (it asks for the symbol again).
 */
export function applyChanges<T extends { readonly id: string }>(held: T | undefined, frame: T | Changes<T>): T | undefined {
  if (!('changed' in frame)) return frame;
  if (held === undefined) return undefined;
  const { changed: _changed, ...fields } = frame;
  return { ...held, ...fields };
}

/** The whole ticker after `frame` (see applyChanges). */
export const applyTickerFrame = (held: TickerQuote | undefined, frame: TickerFrame | TickerChange): TickerQuote | undefined =>
  applyChanges<TickerQuote>(held, frame);

/** The whole status after `frame` (see applyChanges). */
export const applyStatusFrame = (held: CollectorStatus | undefined, frame: CollectorStatus | StatusChange): CollectorStatus | undefined =>
  applyChanges<CollectorStatus>(held, frame);

/** The trades of a frame sent at host time `at`, as the page keeps them. */
export function tradePrints(trades: readonly WireTrade[], at: number): TradePrint[] {
  return trades.map(([tradeId, side, price, size, ago, fills]) => ({ tradeId, side, price, size, ts: at - ago, fills }));
}
