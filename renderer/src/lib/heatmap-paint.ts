// Painting the liquidity heatmap: resting size at each price through time as pixels (one pass
// over the visible columns into an RGBA buffer), the best bid and ask per pixel column, and the
// trades in view as bubbles. Works on plain arrays, free of the DOM, so that it is tested in
// Node; the component puts the pixels on a canvas and draws lines, bubbles and axes on top.

import { notionalValue, type SizeTerms } from '../../../main/contract.js';
import { GAP, LEVELS, type BookColumns, type TradeTrail } from './book-history.js';

/** What is in view: times in ms, prices low to high. */
export interface Viewport {
  readonly start: number;
  readonly end: number;
  readonly low: number;
  readonly high: number;
}

export interface Painted {
  /** Per pixel column: the best bid's and ask's y (NaN where there is no valid book). */
  readonly bidY: Float32Array;
  readonly askY: Float32Array;
  /** The size drawn at full colour (a high percentile of the sizes in view). */
  readonly scale: number;
}

export interface Bubble {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly buy: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** An opaque colour as one 32-bit pixel in canvas memory order (R, G, B, A bytes). */
function pixel32(r: number, g: number, b: number): number {
  return LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}
const BACKGROUND = pixel32(0x12, 0x16, 0x1b);
const GAP_DARK = pixel32(0x24, 0x24, 0x2a);
const GAP_LIGHT = pixel32(0x30, 0x30, 0x38);

/** 256 colours from the background through blue, cyan and yellow to white. */
export const PALETTE: Uint8Array = (() => {
  const stops: readonly (readonly [number, number, number, number])[] = [
    [0, 0x12, 0x16, 0x1b],
    [0.2, 0x1b, 0x3a, 0x8c],
    [0.45, 0x13, 0x9c, 0xc8],
    [0.7, 0xf0, 0xd0, 0x40],
    [1, 0xff, 0xff, 0xf2],
  ];
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i += 1) {
    const t = i / 255;
    let k = 1;
    while (k < stops.length - 1 && (stops[k]?.[0] ?? 1) < t) k += 1;
    const a = stops[k - 1] ?? stops[0];
    const b = stops[k] ?? a;
    if (a === undefined || b === undefined) continue;
    const f = b[0] === a[0] ? 0 : (t - a[0]) / (b[0] - a[0]);
    out[i * 3] = Math.round(a[1] + (b[1] - a[1]) * f);
    out[i * 3 + 1] = Math.round(a[2] + (b[2] - a[2]) * f);
    out[i * 3 + 2] = Math.round(a[3] + (b[3] - a[3]) * f);
  }
  return out;
})();
const PALETTE32 = Uint32Array.from({ length: 256 }, (_, i) => pixel32(PALETTE[i * 3] ?? 0, PALETTE[i * 3 + 1] ?? 0, PALETTE[i * 3 + 2] ?? 0));

/** Pixel column x's time (its centre). */
export function timeAt(view: Viewport, width: number, x: number): number {
  return view.start + ((x + 0.5) / width) * (view.end - view.start);
}

export function xOf(view: Viewport, width: number, time: number): number {
  return ((time - view.start) / (view.end - view.start)) * width;
}

export function yOf(view: Viewport, height: number, price: number): number {
  return ((view.high - price) / (view.high - view.low)) * height;
}

export function priceAt(view: Viewport, height: number, y: number): number {
  return view.high - (y / height) * (view.high - view.low);
}

/**
 * The column drawn at each pixel column: the newest at or before its time, carried forward no
 * further than `edge` (the book's present: now for a live feed, the newest record for a replay).
 */
function columnsInView(columns: BookColumns, view: Viewport, width: number, edge: number): Int32Array {
  const index = new Int32Array(width).fill(-1);
  for (let x = 0; x < width; x += 1) {
    const t = timeAt(view, width, x);
    if (t > edge) break;
    index[x] = columns.indexAt(t);
  }
  return index;
}

/** A high percentile of the sizes in view, from a sample of at most ~40 columns. */
function sizeScale(columns: BookColumns, index: Int32Array, view: Viewport): number {
  const sample: number[] = [];
  const every = Math.max(1, Math.floor(index.length / 40));
  for (let x = 0; x < index.length; x += every) {
    const i = index[x] ?? -1;
    if (i < 0) continue;
    const column = columns.column(i);
    const { ref, prices, sizes, base } = columns.raw(i);
    for (let side = 0; side < 2; side += 1) {
      const count = side === 0 ? column.bidCount : column.askCount;
      const offset = base + side * LEVELS;
      for (let l = 0; l < count; l += 1) {
        const price = ref + (prices[offset + l] ?? 0);
        if (price >= view.low && price <= view.high) sample.push(sizes[offset + l] ?? 0);
      }
    }
  }
  if (sample.length === 0) return 1;
  sample.sort((a, b) => a - b);
  return Math.max(sample[Math.floor((sample.length - 1) * 0.97)] ?? 1, Number.MIN_VALUE);
}

/**
 * Paints resting size into `pixels` (RGBA, width × height): each level a band one step tall
 * around its price, coloured by its size against the scale; gaps (a book that was not valid)
 * striped grey; no data, the background.
 */
export function paintHeatmap(columns: BookColumns, view: Viewport, width: number, height: number, edge: number, pixels: Uint8ClampedArray): Painted {
  const index = columnsInView(columns, view, width, edge);
  const scale = sizeScale(columns, index, view);
  const bidY = new Float32Array(width).fill(Number.NaN);
  const askY = new Float32Array(width).fill(Number.NaN);
  // One value per pixel row of the current column: the largest size drawn there.
  const rowSize = new Float32Array(height);
  const pxPerPrice = height / (view.high - view.low);
  // One 32-bit write per pixel (RGBA in memory order, whatever the platform's byte order).
  const out = new Uint32Array(pixels.buffer, pixels.byteOffset, width * height);
  for (let x = 0; x < width; x += 1) {
    const i = index[x] ?? -1;
    if (x > 0 && i >= 0 && i === index[x - 1] && columns.column(i).state !== GAP) {
      // Zoomed in, one column spans several pixels: copy the one just drawn.
      for (let y = 0, p = x; y < height; y += 1, p += width) out[p] = out[p - 1] ?? 0;
      bidY[x] = bidY[x - 1] ?? Number.NaN;
      askY[x] = askY[x - 1] ?? Number.NaN;
      continue;
    }
    const column = i < 0 ? undefined : columns.column(i);
    if (column === undefined || column.state === GAP) {
      for (let y = 0, p = x; y < height; y += 1, p += width) out[p] = column === undefined ? BACKGROUND : (x + y) % 8 < 4 ? GAP_DARK : GAP_LIGHT;
      continue;
    }
    rowSize.fill(0);
    const { ref, prices, sizes, base } = columns.raw(i);
    const half = Math.max(0.5, (column.step * pxPerPrice) / 2);
    for (let side = 0; side < 2; side += 1) {
      const count = side === 0 ? column.bidCount : column.askCount;
      const offset = base + side * LEVELS;
      for (let l = 0; l < count; l += 1) {
        const price = ref + (prices[offset + l] ?? 0);
        const size = sizes[offset + l] ?? 0;
        const centre = (view.high - price) * pxPerPrice;
        if (l === 0) (side === 0 ? bidY : askY)[x] = centre;
        const top = Math.max(0, Math.floor(centre - half));
        const bottom = Math.min(height - 1, Math.ceil(centre + half) - 1);
        for (let y = top; y <= bottom; y += 1) if (size > (rowSize[y] ?? 0)) rowSize[y] = size;
      }
    }
    const inverse = 1 / scale;
    for (let y = 0, p = x; y < height; y += 1, p += width) {
      const size = rowSize[y] ?? 0;
      // A square-root curve: thin levels stay visible next to the walls.
      out[p] = size <= 0 ? (PALETTE32[0] ?? 0) : (PALETTE32[Math.min(255, Math.round(Math.sqrt(Math.min(1, size * inverse)) * 255))] ?? 0);
    }
  }
  return { bidY, askY, scale };
}

/**
 * The trades in view as bubbles: area proportional to notional (in the quote currency, by the
 * instrument's size terms) against the largest in view, at most `limit` (the newest), from
 * `minRadius` to `maxRadius` px.
 */
export function bubblesInView(
  trades: TradeTrail,
  terms: SizeTerms,
  view: Viewport,
  width: number,
  height: number,
  limit = 3000,
  minRadius = 1.5,
  maxRadius = 14,
): Bubble[] {
  const from = trades.firstFrom(view.start);
  const to = trades.firstFrom(view.end + 1);
  const first = Math.max(from, to - limit);
  let largest = 0;
  for (let i = first; i < to; i += 1) {
    const t = trades.trade(i);
    largest = Math.max(largest, notionalValue(terms, t.price, t.size));
  }
  const out: Bubble[] = [];
  for (let i = first; i < to; i += 1) {
    const t = trades.trade(i);
    if (t.price < view.low || t.price > view.high) continue;
    const share = largest > 0 ? notionalValue(terms, t.price, t.size) / largest : 0;
    out.push({ x: xOf(view, width, t.time), y: yOf(view, height, t.price), r: minRadius + Math.sqrt(share) * (maxRadius - minRadius), buy: t.buy });
  }
  return out;
}

/** Round prices between `low` and `high`, at least `gap` px apart over `height` px. */
export function priceTicks(low: number, high: number, height: number, gap = 40): number[] {
  const range = high - low;
  if (!(range > 0) || height <= 0) return [];
  const raw = (range * gap) / height;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  // Indexes, not a running sum: no drift, and a bound that sits on a tick keeps it.
  const first = Math.ceil(low / step - 1e-9);
  for (let k = first; k * step <= high + step * 1e-9 && out.length < 100; k += 1) out.push(Number((k * step).toPrecision(12)));
  return out;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800].map((s) => s * 1000);

/** Round times between `start` and `end`, at least `gap` px apart over `width` px. */
export function timeTicks(start: number, end: number, width: number, gap = 90): number[] {
  const span = end - start;
  if (!(span > 0) || width <= 0) return [];
  const raw = (span * gap) / width;
  const step = TIME_STEPS.find((s) => s >= raw) ?? 3_600_000;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end && out.length < 100; t += step) out.push(t);
  return out;
}
