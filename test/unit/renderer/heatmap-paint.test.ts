// Painting the heatmap: resting size where the book had it, stripes where it was not valid,
// nothing past the present, the best bid and ask per pixel column, and trades as bubbles.

import { describe, expect, it } from 'vitest';
import type { ShownBook, TradePrint } from '../../../main/contract.js';
import { BookColumns, TradeTrail } from '../../../renderer/src/lib/book-history.js';
import { PALETTE, bubblesInView, paintHeatmap, priceTicks, timeTicks, type Viewport } from '../../../renderer/src/lib/heatmap-paint.js';

const book = (levels: { bids: [number, number][]; asks: [number, number][] }, state: ShownBook['state'] = 'valid'): ShownBook => ({
  id: 'x',
  state,
  version: 1,
  bids: levels.bids.map(([p, s]) => [String(p), String(s)] as const),
  asks: levels.asks.map(([p, s]) => [String(p), String(s)] as const),
  crossed: false,
  lastChangeAt: 0,
  recovery: null,
  grouping: null,
});

const W = 10;
const H = 20;
/** Prices 90 to 110 over 20 rows: one row per unit, row y holds price 110 - y - 0.5. */
const view: Viewport = { start: 0, end: 1_000, low: 90, high: 110 };

function pixel(pixels: Uint8ClampedArray, x: number, y: number): [number, number, number] {
  const p = (y * W + x) * 4;
  return [pixels[p] ?? -1, pixels[p + 1] ?? -1, pixels[p + 2] ?? -1];
}
const colour = (c: number): [number, number, number] => [PALETTE[c * 3] ?? 0, PALETTE[c * 3 + 1] ?? 0, PALETTE[c * 3 + 2] ?? 0];
const BACKGROUND: [number, number, number] = [0x12, 0x16, 0x1b];

describe('paintHeatmap', () => {
  it('colours each level by its size against the scale, at its price, and draws the best bid and ask', () => {
    const columns = new BookColumns();
    // A wall of 100 at 95.5 on the bid, 1 at 104.5 on the ask; the rest empty.
    columns.record(
      0,
      book({
        bids: [
          [99.5, 1],
          [95.5, 100],
        ],
        asks: [
          [100.5, 1],
          [104.5, 1],
        ],
      }),
      1,
    );
    const pixels = new Uint8ClampedArray(W * H * 4);
    const painted = paintHeatmap(columns, view, W, H, 1_000, pixels);
    expect(painted.scale).toBe(100);
    // Row of price 95.5 is y = 14; the wall in full colour, a size of 1 at a tenth (sqrt curve).
    expect(pixel(pixels, 3, 14)).toEqual(colour(255));
    expect(pixel(pixels, 3, 5)).toEqual(colour(Math.round(Math.sqrt(1 / 100) * 255)));
    // No level: the palette's zero (the background).
    expect(pixel(pixels, 3, 0)).toEqual(colour(0));
    expect(painted.bidY[3]).toBeCloseTo(10.5);
    expect(painted.askY[3]).toBeCloseTo(9.5);
  });

  it('draws a book that was not valid as stripes, never as the last valid book carried on', () => {
    const columns = new BookColumns();
    columns.record(0, book({ bids: [[99.5, 5]], asks: [[100.5, 5]] }), 1);
    columns.record(500, book({ bids: [[99.5, 5]], asks: [[100.5, 5]] }, 'stale'), 1);
    const pixels = new Uint8ClampedArray(W * H * 4);
    const painted = paintHeatmap(columns, view, W, H, 1_000, pixels);
    // Columns 0–4 show the valid book; 5–9 (from 500 ms on) the gap.
    expect(pixel(pixels, 2, 10)).toEqual(colour(255));
    for (let x = 5; x < W; x += 1) {
      expect(Number.isNaN(painted.bidY[x])).toBe(true);
      for (let y = 0; y < H; y += 1) expect([0x24, 0x30]).toContain(pixel(pixels, x, y)[0]);
    }
  });

  it('draws nothing before the first column or past the present', () => {
    const columns = new BookColumns();
    columns.record(300, book({ bids: [[99.5, 5]], asks: [[100.5, 5]] }), 1);
    const pixels = new Uint8ClampedArray(W * H * 4);
    paintHeatmap(columns, view, W, H, 700, pixels);
    expect(pixel(pixels, 1, 10)).toEqual(BACKGROUND);
    expect(pixel(pixels, 5, 10)).toEqual(colour(255));
    expect(pixel(pixels, 8, 10)).toEqual(BACKGROUND);
  });

  it('draws a grouped level as a band as tall as its step', () => {
    const columns = new BookColumns();
    columns.record(0, book({ bids: [[95, 5]], asks: [[105, 5]] }), 4);
    const pixels = new Uint8ClampedArray(W * H * 4);
    paintHeatmap(columns, view, W, H, 1_000, pixels);
    // 95 ± 2 covers rows 13 to 16.
    for (const y of [13, 14, 15, 16]) expect(pixel(pixels, 0, y)).toEqual(colour(255));
    expect(pixel(pixels, 0, 12)).toEqual(colour(0));
    expect(pixel(pixels, 0, 17)).toEqual(colour(0));
  });
});

describe('bubblesInView', () => {
  const spot = { sizeUnit: 'BTC', quote: 'USDT' };
  const trade = (ts: number, price: number, size: number, side: 'buy' | 'sell'): TradePrint => ({
    tradeId: String(ts),
    side,
    price: String(price),
    size: String(size),
    ts,
    fills: 1,
  });

  it('places trades in view by time and price, their area by notional, the largest at the biggest radius', () => {
    const trail = new TradeTrail();
    trail.add([trade(-10, 100, 1, 'buy'), trade(250, 100, 1, 'buy'), trade(500, 105, 4, 'sell'), trade(600, 200, 9, 'buy')]);
    const bubbles = bubblesInView(trail, spot, view, W, H, 100, 1, 11);
    expect(bubbles).toHaveLength(2);
    expect(bubbles[0]).toMatchObject({ x: 2.5, y: 10, buy: true });
    expect(bubbles[1]).toMatchObject({ x: 5, y: 5, buy: false });
    // Notional 100 against 420 (the largest in the time window, out of the price range).
    expect(bubbles[0]?.r).toBeCloseTo(1 + Math.sqrt(100 / 1800) * 10);
  });

  it('sizes inverse contracts by their fixed value, not by price × size', () => {
    const inverse = { sizeUnit: 'cont', contractValue: '100', contractUnit: 'USD', quote: 'USD' };
    const trail = new TradeTrail();
    // 10 contracts of 100 USD at 100 and at 109: the same notional, the same bubble.
    trail.add([trade(100, 100, 10, 'buy'), trade(200, 109, 10, 'sell')]);
    const [a, b] = bubblesInView(trail, inverse, view, W, H);
    expect(a?.r).toBeCloseTo(b?.r ?? 0);
  });

  it('draws at most the newest `limit`', () => {
    const trail = new TradeTrail();
    trail.add(Array.from({ length: 50 }, (_, i) => trade(i * 10, 100, 1, 'buy')));
    const bubbles = bubblesInView(trail, spot, view, W, H, 5);
    expect(bubbles).toHaveLength(5);
    expect(bubbles[0]?.x).toBeCloseTo(4.5);
  });
});

describe('axis ticks', () => {
  it('picks round prices and times far enough apart', () => {
    expect(priceTicks(63_993, 64_003, 400)).toEqual([63_993, 63_994, 63_995, 63_996, 63_997, 63_998, 63_999, 64_000, 64_001, 64_002, 64_003]);
    expect(priceTicks(0.00001, 0.00005, 200)).toEqual([0.00001, 0.00002, 0.00003, 0.00004, 0.00005]);
    expect(timeTicks(0, 60_000, 600)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(timeTicks(0, 1_800_000, 600)).toEqual([0, 300_000, 600_000, 900_000, 1_200_000, 1_500_000, 1_800_000]);
  });
});
