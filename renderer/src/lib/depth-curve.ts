// The depth chart's curves: cumulative bid and ask size sampled at evenly spaced prices, so that
// a chart whose horizontal axis places points by their index (Lightweight Charts) still draws
// price distances truly. Free of the DOM (unit-tested in Node).

import type { LevelTuple, ShownBook } from '../../../main/contract.js';

/** Samples across the price range shown (both sides together). */
export const DEPTH_SAMPLES = 400;

export interface DepthCurve {
  /** Sample prices, ascending. */
  readonly prices: readonly number[];
  /** Per sample: bid size at this price or better (higher), or undefined above the best bid. */
  readonly bids: readonly (number | undefined)[];
  /** Per sample: ask size at this price or better (lower), or undefined below the best ask. */
  readonly asks: readonly (number | undefined)[];
  /** Book levels the curves are made of. */
  readonly levels: number;
}

const EMPTY: DepthCurve = { prices: [], bids: [], asks: [], levels: 0 };

/** The curves of the best `levels` of each side of `book` (best first), over `samples` prices. */
export function depthCurve(book: Pick<ShownBook, 'bids' | 'asks'> | undefined, levels: number, samples = DEPTH_SAMPLES): DepthCurve {
  if (book === undefined) return EMPTY;
  const bids = parse(book.bids, levels);
  const asks = parse(book.asks, levels);
  if (bids.length + asks.length === 0) return EMPTY;
  const lo = bids.length > 0 ? (bids.at(-1) as Level).price : (asks[0] as Level).price;
  const hi = asks.length > 0 ? (asks.at(-1) as Level).price : (bids[0] as Level).price;
  const count = hi > lo ? Math.max(2, samples) : 1;
  const step = count > 1 ? (hi - lo) / (count - 1) : 0;
  const prices: number[] = [];
  const bidTotals: (number | undefined)[] = [];
  const askTotals: (number | undefined)[] = [];
  // Bids: walking the samples down from the top, every bid at or above the sample counts.
  let rank = 0;
  let total = 0;
  for (let i = count - 1; i >= 0; i -= 1) {
    const price = i === count - 1 ? hi : i === 0 ? lo : lo + step * i;
    prices[i] = price;
    while (rank < bids.length && (bids[rank] as Level).price >= price) {
      total += (bids[rank] as Level).size;
      rank += 1;
    }
    bidTotals[i] = rank === 0 ? undefined : total;
  }
  // Asks: walking up from the bottom, every ask at or below the sample counts.
  rank = 0;
  total = 0;
  for (let i = 0; i < count; i += 1) {
    const price = prices[i] as number;
    while (rank < asks.length && (asks[rank] as Level).price <= price) {
      total += (asks[rank] as Level).size;
      rank += 1;
    }
    askTotals[i] = rank === 0 ? undefined : total;
  }
  return { prices, bids: bidTotals, asks: askTotals, levels: bids.length + asks.length };
}

interface Level {
  readonly price: number;
  readonly size: number;
}

function parse(side: readonly LevelTuple[], levels: number): Level[] {
  const out: Level[] = [];
  for (const [price, size] of side.slice(0, levels)) {
    const p = Number(price);
    const s = Number(size);
    if (Number.isFinite(p) && Number.isFinite(s)) out.push({ price: p, size: s });
  }
  return out;
}
