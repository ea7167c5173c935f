// CVD: taker buys minus sells in the base asset per period, cumulated per venue from when it
// was counted, summed over venues from when all were, partial where a feed was not live.

import { describe, expect, it } from 'vitest';
import type { FlowBucket, FlowSeries } from '../../../main/contract.js';
import { MAX_PERIODS, aggregateCvd, bucketDelta, cvdLine, mergeFlow } from '../../../renderer/src/lib/cvd.js';

const M = 60_000;
const spot = { sizeUnit: 'BTC', quote: 'USDT' };
const linear = { sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC', quote: 'USDT' };
const inverse = { sizeUnit: 'cont', contractValue: '100', contractUnit: 'USD', quote: 'USD' };
const bucket = (open: number, buy: number, sell: number, buyOverPrice = 0, sellOverPrice = 0): FlowBucket => [open, buy, sell, buyOverPrice, sellOverPrice, 1];
const series = (buckets: FlowBucket[], since: number | null = buckets[0]?.[0] ?? null, holes: FlowSeries['holes'] = []): FlowSeries => ({
  since,
  buckets,
  holes,
});

describe('bucketDelta', () => {
  it('counts spot in the base, linear contracts by their base value, inverse ones by value over price', () => {
    expect(bucketDelta(spot, bucket(0, 3, 1))).toBe(2);
    expect(bucketDelta(linear, bucket(0, 300, 100))).toBeCloseTo(2);
    // 100 USD contracts: 10 bought at 50,000 (0.0002 each side) = 0.02 BTC, none sold.
    expect(bucketDelta(inverse, bucket(0, 10, 0, 10 / 50_000, 0))).toBeCloseTo(0.02);
  });
});

describe('cvdLine', () => {
  it('cumulates from the first counted period, marking periods that meet a hole', () => {
    const line = cvdLine(series([bucket(0, 1, 0), bucket(M, 0, 3), bucket(2 * M, 5, 1)], 0, [[M + 10, 2 * M - 1]]), spot, M);
    expect(line).toEqual([
      { time: 0, value: 1, partial: false },
      { time: M, value: -2, partial: true },
      { time: 2 * M, value: 2, partial: false },
    ]);
  });

  it('treats an open hole as lasting until now, and a feed never counted as no line', () => {
    expect(cvdLine(series([bucket(0, 1, 0), bucket(M, 1, 0)], 0, [[M + 1, null]]), spot, M).map((p) => p.partial)).toEqual([false, true]);
    expect(cvdLine(series([], null), spot, M)).toEqual([]);
  });
});

describe('aggregateCvd', () => {
  it('sums the venues from the first period every one was counted, each carried through quiet periods', () => {
    const early = [
      { time: 0, value: 5, partial: false },
      { time: M, value: 6, partial: false },
      { time: 3 * M, value: 10, partial: false },
    ];
    const late = [
      { time: M, value: -1, partial: false },
      { time: 2 * M, value: -3, partial: true },
    ];
    expect(aggregateCvd([early, late, []])).toEqual([
      // Early's value before the common start (5) is its zero; late starts at its first period.
      { time: M, value: 1 + -1, partial: false },
      { time: 2 * M, value: 1 + -3, partial: true },
      { time: 3 * M, value: 5 + -3, partial: false },
    ]);
  });

  it('is empty when no venue was counted', () => {
    expect(aggregateCvd([[], []])).toEqual([]);
  });
});

describe('mergeFlow', () => {
  it('replaces the periods from `from` on and keeps the rest, bounded', () => {
    const held = series([bucket(0, 1, 0), bucket(M, 1, 0)]);
    const fresh = series([bucket(M, 2, 0), bucket(2 * M, 1, 1)], 0, [[5, null]]);
    expect(mergeFlow(held, fresh, M)).toEqual({ since: 0, holes: [[5, null]], buckets: [bucket(0, 1, 0), bucket(M, 2, 0), bucket(2 * M, 1, 1)] });
    expect(mergeFlow(undefined, fresh, M)).toBe(fresh);
    const long = series(Array.from({ length: MAX_PERIODS }, (_, i) => bucket(i * M, 1, 0)));
    expect(mergeFlow(long, series([bucket(MAX_PERIODS * M, 1, 0)]), MAX_PERIODS * M).buckets).toHaveLength(MAX_PERIODS);
  });
});
