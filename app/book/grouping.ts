// Price grouping of a whole book side into buckets of `step` (a multiple of the tick size), as
// exchange UIs do: every level counts, not just the top N. Bids round down and asks round up,
// so a bucket never claims a better price than its orders. Sizes are summed and written with
// the decimals their inputs had.

import type { BookSideReader } from '../core/types.js';

/** `[price, size]` strings, best bucket first. */
export type GroupedLevel = readonly [price: string, size: string];

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The top `maxBuckets` buckets of `side` grouped by `step` (a positive decimal string). */
export function groupSide(side: BookSideReader, step: string, maxBuckets: number): GroupedLevel[] {
  const stepValue = Number(step);
  if (!(stepValue > 0) || maxBuckets <= 0) return [];
  const priceDecimals = decimalsOf(step);
  const bid = side.side === 'bid';
  const out: GroupedLevel[] = [];
  let bucket = Number.NaN;
  let size = 0;
  let sizeDecimals = 0;
  const flush = (): void => {
    if (Number.isNaN(bucket)) return;
    out.push([(bucket * stepValue).toFixed(priceDecimals), size.toFixed(Math.min(12, sizeDecimals))]);
  };
  side.forEach((level) => {
    const ratio = level.price / stepValue;
    // Tolerate float noise so 100.1 / 0.1 lands on bucket 1001, not 1000.99999.
    const index = bid ? Math.floor(ratio + 1e-9) : Math.ceil(ratio - 1e-9);
    if (index !== bucket) {
      flush();
      if (out.length >= maxBuckets) return false;
      bucket = index;
      size = 0;
    }
    size += level.size;
    sizeDecimals = Math.max(sizeDecimals, decimalsOf(level.sizeStr));
    return true;
  });
  if (out.length < maxBuckets) flush();
  return out;
}
