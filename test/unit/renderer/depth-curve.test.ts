import { describe, expect, it } from 'vitest';
import { depthCurve } from '../../../renderer/src/lib/depth-curve.js';

describe('depth curve', () => {
  it('samples cumulative sizes at evenly spaced prices, so distances on the chart are true', () => {
    // Bids 100, 99, 90; asks 101, 110. Range 90..110 in 21 samples: one per unit of price.
    const curve = depthCurve(
      {
        bids: [
          ['100', '1'],
          ['99', '2'],
          ['90', '4'],
        ],
        asks: [
          ['101', '3'],
          ['110', '5'],
        ],
      },
      50,
      21,
    );
    expect(curve.levels).toBe(5);
    expect(curve.prices).toEqual(Array.from({ length: 21 }, (_, i) => 90 + i));
    const at = (price: number): [number | undefined, number | undefined] => [curve.bids[price - 90], curve.asks[price - 90]];
    expect(at(90)).toEqual([7, undefined]);
    expect(at(95)).toEqual([3, undefined]); // the gap between 99 and 90 is drawn as wide as it is
    expect(at(99)).toEqual([3, undefined]);
    expect(at(100)).toEqual([1, undefined]);
    expect(at(101)).toEqual([undefined, 3]); // the spread: neither side
    expect(at(109)).toEqual([undefined, 3]);
    expect(at(110)).toEqual([undefined, 8]);
  });

  it('takes only the best levels asked for, draws one side alone, and nothing for no book', () => {
    const book = {
      bids: [
        ['10', '1'],
        ['9', '1'],
        ['1', '100'],
      ] as const,
      asks: [] as const,
    };
    const curve = depthCurve(book, 2, 3);
    expect(curve.prices).toEqual([9, 9.5, 10]);
    expect(curve.bids).toEqual([2, 1, 1]);
    expect(curve.asks).toEqual([undefined, undefined, undefined]);
    expect(depthCurve(undefined, 50).levels).toBe(0);
    expect(depthCurve({ bids: [], asks: [] }, 50).prices).toEqual([]);
  });
});
