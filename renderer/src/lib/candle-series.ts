// One chart's candle series, kept complete: REST history and every live candle are merged by
// open time (the newest data wins), a candle followed by a later one is closed, only the newest
// may be forming, and the holes (periods with no candle) are counted so the chart can fetch
// them. Pure: unit-tested in Node; the chart only draws what this holds.

import { missingPeriods } from '../../../main/contract.js';

export interface CandleLike {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly closed: boolean;
}

/** What changed, so the chart can update cheaply: nothing, the newest bar(s), or everything. */
export type SeriesChange = { readonly kind: 'none' } | { readonly kind: 'tail'; readonly from: number } | { readonly kind: 'all' };

export class CandleSeries<C extends CandleLike = CandleLike> {
  private readonly byTime = new Map<number, C>();
  private ordered: C[] = [];

  constructor(
    readonly timeframe: string,
    private readonly max = 5000,
  ) {}

  /** Candles oldest first; every one but the newest is closed. */
  get candles(): readonly C[] {
    return this.ordered;
  }

  /** Replaces everything (e.g. a fresh history), keeping live candles newer than it. */
  reset(candles: readonly C[]): SeriesChange {
    const live = this.ordered.filter((c) => c.openTime > (candles.at(-1)?.openTime ?? -Infinity));
    this.byTime.clear();
    for (const candle of [...candles, ...live]) this.byTime.set(candle.openTime, candle);
    this.rebuild();
    return { kind: 'all' };
  }

  /** Merges candles (any order). Returns the index from which bars changed. */
  merge(candles: readonly C[]): SeriesChange {
    let from = Infinity;
    for (const candle of candles) {
      const existing = this.byTime.get(candle.openTime);
      if (existing !== undefined && sameCandle(existing, candle)) continue;
      // An older candle can still get the exchange's final values, never reopen.
      this.byTime.set(candle.openTime, candle);
      from = Math.min(from, candle.openTime);
    }
    if (from === Infinity) return { kind: 'none' };
    const before = this.ordered.length;
    this.rebuild();
    const index = this.ordered.findIndex((c) => c.openTime >= from);
    // A candle inserted before the end shifts the rest: the chart redraws all of it.
    if (this.ordered.length > before && index < before - 1) return { kind: 'all' };
    return { kind: 'tail', from: Math.max(0, index - 1) };
  }

  /** Periods missing between the first and the last candle. */
  gaps(): number {
    return missingPeriods(
      this.ordered.map((c) => c.openTime),
      this.timeframe,
    );
  }

  /** Candles still forming (0 or 1). */
  forming(): number {
    return this.ordered.filter((c) => !c.closed).length;
  }

  private rebuild(): void {
    const sorted = [...this.byTime.values()].sort((a, b) => a.openTime - b.openTime);
    const kept = sorted.slice(-this.max);
    if (kept.length < sorted.length) for (const dropped of sorted.slice(0, sorted.length - kept.length)) this.byTime.delete(dropped.openTime);
    const last = kept.length - 1;
    this.ordered = kept.map((c, i) => (i < last && !c.closed ? { ...c, closed: true } : c));
  }
}

function sameCandle(a: CandleLike, b: CandleLike): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume && a.closed === b.closed;
}
