// The bench's combination of several processes' figures: medians, ratios taken within each
// process, and their range.

import { expect, it } from 'vitest';
import { combineForks, formatFigures, type StreamFigures } from '../../bench/book-compare.js';

it('takes each figure as the median over the processes and keeps the ratio range', () => {
  const fork = (ours: number, parse: number, ccxt?: number): StreamFigures[] => [
    { label: 'OKX generated', ours, parse, ccxt },
    { label: 'parse only', ours: ours / 2, parse, ccxt: undefined },
  ];
  const combined = combineForks([fork(60, 100, 20), fork(90, 120, 30), fork(70, 100, 35)]);
  expect(combined[0]).toMatchObject({ label: 'OKX generated', forks: 3, ours: 70, parse: 100, ccxt: 30 });
  // Ratios within each process: 0.6, 0.75, 0.7; ours/ccxt 3, 3, 2.
  expect(combined[0]?.oursPerParse).toEqual({ median: 0.7, min: 0.6, max: 0.75 });
  expect(combined[0]?.oursPerCcxt).toEqual({ median: 3, min: 2, max: 3 });
  expect(combined[1]?.ccxt).toBeUndefined();
  expect(combined[1]?.oursPerCcxt).toBeUndefined();
  const lines = formatFigures(combined);
  expect(lines[1]).toMatch(/OKX generated\s+70\s+30\s+100\s+3\.00\s+0\.70\s+0\.60–0\.75\s+0\.25/);
  expect(lines[2]).toMatch(/parse only .*—/);
});
