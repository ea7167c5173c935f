import { describe, expect, it } from 'vitest';
import { CandleSeries, type CandleLike } from '../../../renderer/src/lib/candle-series.js';

const m = (minute: number, close = 100, closed = false): CandleLike => ({
  openTime: minute * 60_000,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  closed,
});

describe('CandleSeries (the chart’s complete series)', () => {
  it('merges every live candle, so minutes that pass while the chart is open stay on it', () => {
    const series = new CandleSeries('1m');
    series.reset([m(40, 1, true), m(41, 1, true), m(42, 1)]);
    // 17:43 and 17:44 arrive in frames between redraws, then 17:45.
    series.merge([m(42, 2), m(43, 3)]);
    series.merge([m(43, 4), m(44, 5)]);
    series.merge([m(45, 6)]);
    expect(series.candles.map((c) => c.openTime / 60_000)).toEqual([40, 41, 42, 43, 44, 45]);
    expect(series.gaps()).toBe(0);
    expect(series.forming()).toBe(1);
    expect(series.candles.at(-1)?.close).toBe(6);
  });

  it('counts the holes so they can be fetched, and fills them when history arrives', () => {
    const series = new CandleSeries('1m');
    series.reset([m(1, 1, true), m(2, 1)]);
    series.merge([m(6, 1)]);
    expect(series.gaps()).toBe(3);
    series.reset([m(1), m(2), m(3), m(4), m(5)]);
    expect(series.candles.map((c) => c.openTime / 60_000)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(series.gaps()).toBe(0);
    expect(series.forming()).toBe(1);
  });

  it('takes a late final row of an older candle, which stays closed', () => {
    const series = new CandleSeries('1m');
    series.reset([m(1, 1), m(2, 2)]);
    expect(series.merge([m(1, 9, true)])).toEqual({ kind: 'tail', from: 0 });
    expect(series.candles.map((c) => [c.close, c.closed])).toEqual([
      [9, true],
      [2, false],
    ]);
    expect(series.merge([m(1, 9, true)])).toEqual({ kind: 'none' });
  });

  it('stays bounded', () => {
    const series = new CandleSeries('1m', 100);
    series.reset(Array.from({ length: 150 }, (_, i) => m(i)));
    expect(series.candles).toHaveLength(100);
    expect(series.candles[0]?.openTime).toBe(50 * 60_000);
    expect(series.forming()).toBe(1);
  });
});
