// Cumulative volume delta: taker buys minus taker sells, in the base asset, period by period
// from when the host began counting each venue (see app/host/trade-flow.ts), and the sum over
// an asset's venues from the first period every one of them was counted. A period that
// overlaps a time the feed was not live is partial: its trades may be missing. Free of the DOM
// and of React, so that it is tested in Node.

import type { FlowBucket, FlowSeries } from '../../../main/contract.js';
import { contractOf, type NotionalTerms } from './asset-flow.js';

export interface CvdPoint {
  /** Period open time, ms. */
  readonly time: number;
  readonly value: number;
  /** Trades of the period may be missing (the feed was not live during part of it). */
  readonly partial: boolean;
}

/** Buy minus sell of one period, in the base asset. */
export function bucketDelta(terms: NotionalTerms, bucket: FlowBucket): number {
  const contract = contractOf(terms);
  if (contract === undefined) return bucket[1] - bucket[2];
  // Inverse contracts are worth a fixed amount of the quote: in base, value ÷ price, trade by trade.
  if (contract.inverse) return (bucket[3] - bucket[4]) * contract.perContract;
  return (bucket[1] - bucket[2]) * contract.perContract;
}

/** Whether [open, open + period) meets a hole (an open hole lasts until now). */
function inHole(series: FlowSeries, open: number, period: number): boolean {
  return series.holes.some(([from, to]) => from < open + period && (to === null || to > open));
}

/** One venue's CVD, period by period from its first counted period. */
export function cvdLine(series: FlowSeries, terms: NotionalTerms, period: number): CvdPoint[] {
  if (series.since === null) return [];
  const first = Math.floor(series.since / period) * period;
  const out: CvdPoint[] = [];
  let total = 0;
  for (const bucket of series.buckets) {
    if (bucket[0] < first) continue;
    total += bucketDelta(terms, bucket);
    out.push({ time: bucket[0], value: total, partial: inHole(series, bucket[0], period) });
  }
  return out;
}

/**
 * The venues' CVD summed, from the first period all of them were counted (a venue added later
 * would otherwise make the sum jump); each venue's line carried through periods without trades.
 */
export function aggregateCvd(lines: readonly (readonly CvdPoint[])[]): CvdPoint[] {
  const counted = lines.filter((l) => l.length > 0);
  if (counted.length === 0) return [];
  const start = Math.max(...counted.map((l) => l[0]?.time ?? 0));
  const times = [...new Set(counted.flatMap((l) => l.map((p) => p.time)))].filter((t) => t >= start).sort((a, b) => a - b);
  // Each venue's value just before the common start: the sum starts at zero there.
  const bases = counted.map((line) => {
    let base = 0;
    for (const p of line) if (p.time < start) base = p.value;
    return base;
  });
  const cursors = counted.map(() => 0);
  return times.map((time) => {
    let value = 0;
    let partial = false;
    counted.forEach((line, v) => {
      let i = cursors[v] ?? 0;
      while (i + 1 < line.length && (line[i + 1]?.time ?? Infinity) <= time) i += 1;
      cursors[v] = i;
      const point = line[i];
      if (point === undefined || point.time > time) return;
      value += point.value - (bases[v] ?? 0);
      if (point.time === time && point.partial) partial = true;
    });
    return { time, value, partial };
  });
}

/** Periods a page keeps per feed: as many as the host keeps minutes (two days). */
export const MAX_PERIODS = 2 * 24 * 60;

/** A copy kept current: periods from `from` on replaced by a fresh answer, the rest kept (bounded). */
export function mergeFlow(held: FlowSeries | undefined, fresh: FlowSeries, from: number | undefined): FlowSeries {
  if (held === undefined || from === undefined) return fresh;
  const buckets = [...held.buckets.filter((b) => b[0] < from), ...fresh.buckets];
  return { since: fresh.since, holes: fresh.holes, buckets: buckets.length > MAX_PERIODS ? buckets.slice(buckets.length - MAX_PERIODS) : buckets };
}
