// Book frames arrive whole or as what changed since the version this page holds (see BookFrame
// and BookDelta in app/host/frames.ts), their levels flat (`[price, size, price, size, …]`). A
// delta is applied to that version only; a page whose book is at another version (it missed a
// frame, or never had the book) cannot apply it and asks for the whole book again. Tickers
// arrive whole, then as the fields that changed; trades as tuples timed against the frame.

import type {
  BookDelta,
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

function applySide(levels: readonly LevelTuple[], changes: WireLevels, bids: boolean): readonly LevelTuple[] {
  if (changes.length === 0) return levels;
  const byPrice = new Map<string, string>();
  for (const [price, size] of levels) byPrice.set(price, size);
  for (let i = 0; i + 1 < changes.length; i += 2) {
    const price = changes[i] as string;
    const size = changes[i + 1] as string;
    if (size === '0') byPrice.delete(price);
    else byPrice.set(price, size);
  }
  const out: [string, string, number][] = [];
  for (const [price, size] of byPrice) out.push([price, size, Number(price)]);
  out.sort(bids ? (a, b) => b[2] - a[2] : (a, b) => a[2] - b[2]);
  return out.map(([price, size]) => [price, size] as const);
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

/** The whole ticker after `frame`; undefined for changes to a ticker the page does not hold (a symbol it dropped). */
export function applyTickerFrame(held: TickerQuote | undefined, frame: TickerFrame | TickerChange): TickerQuote | undefined {
  if (!('changed' in frame)) return frame;
  if (held === undefined) return undefined;
  const { changed: _changed, ...fields } = frame;
  return { ...held, ...fields };
}

/** The whole status after `frame`; undefined for changes to a status the page does not hold. */
export function applyStatusFrame(held: CollectorStatus | undefined, frame: CollectorStatus | StatusChange): CollectorStatus | undefined {
  if (!('changed' in frame)) return frame;
  if (held === undefined) return undefined;
  const { changed: _changed, ...fields } = frame;
  return { ...held, ...fields };
}

/** The trades of a frame sent at host time `at`, as the page keeps them. */
export function tradePrints(trades: readonly WireTrade[], at: number): TradePrint[] {
  return trades.map(([tradeId, side, price, size, ago, fills]) => ({ tradeId, side, price, size, ts: at - ago, fills }));
}
