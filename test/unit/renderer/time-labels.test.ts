import { describe, expect, it } from 'vitest';
import { TICK, candleTime, tickLabel } from '../../../renderer/src/lib/time-labels.js';

// Local time: build the instants from local components so the test holds in any time zone.
const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;

describe('candle chart time labels', () => {
  it('shows dates at day, month and year boundaries and times within a day', () => {
    expect(tickLabel(at(2026, 11, 25), TICK.dayOfMonth)).toBe('25 Nov');
    expect(tickLabel(at(2026, 12, 1), TICK.month)).toBe('Dec 2026');
    expect(tickLabel(at(2027, 1, 1), TICK.year)).toBe('2027');
    expect(tickLabel(at(2026, 11, 25, 17, 42), TICK.time)).toBe('17:42');
    expect(tickLabel(at(2026, 11, 25, 17, 42, 9), TICK.timeWithSeconds)).toBe('17:42:09');
  });

  it('writes candle times with a date, and a clock time below a day', () => {
    expect(candleTime(at(2026, 11, 25, 17, 42) * 1000, '1m')).toBe('2026-11-25 17:42');
    expect(candleTime(at(2026, 11, 25, 16) * 1000, '4H')).toBe('2026-11-25 16:00');
    expect(candleTime(at(2026, 11, 25) * 1000, '1D')).toBe('2026-11-25');
    expect(candleTime(at(2026, 11, 1) * 1000, '1M')).toBe('2026-11-01');
  });
});
