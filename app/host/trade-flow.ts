// TradeFlow: the taker buy and sell volume of one feed per minute since the host began
// counting it, for cumulative volume delta (CVD) under the price chart. Every trade the
// collector publishes is counted (the host sees them all, whatever a client is sent), in the
// instrument's own size unit, with size ÷ price beside it so the page can value inverse
// contracts in the base asset. Periods when the feed was not live are kept as holes: CVD
// across them is a lower bound, not the truth. Bounded: two days of minutes, 200 holes.

import { timeframeMs } from '../core/timeframes.js';

const MINUTE_MS = 60_000;
/** Minutes kept. */
export const FLOW_MINUTES = 2 * 24 * 60;
const MAX_HOLES = 200;

/** One period: `[openTime, buy size, sell size, buy Σ size/price, sell Σ size/price, trades]`. */
export type FlowBucket = readonly [openTime: number, buy: number, sell: number, buyOverPrice: number, sellOverPrice: number, trades: number];

/** A period when trades may have been missed: `[from, to]`, `to` null while it lasts. */
export type FlowHole = readonly [from: number, to: number | null];

export interface FlowSeries {
  /** When counting began (the first minute CVD starts from); null before anything was counted. */
  readonly since: number | null;
  /** Oldest first. */
  readonly buckets: FlowBucket[];
  readonly holes: FlowHole[];
}

export class TradeFlow {
  /** Per minute, oldest first; the ring's arrays are parallel. */
  private readonly minutes: number[] = [];
  private readonly sums: [number, number, number, number, number][] = [];
  private readonly holes: [number, number | null][] = [];
  private since: number | null = null;
  /** Holes are counted from the first time the feed was live. */
  private started = false;

  add(ts: number, side: 'buy' | 'sell', size: number, price: number): void {
    if (!Number.isFinite(size) || !Number.isFinite(price) || price <= 0 || size < 0) return;
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    if (this.since === null || minute < this.since) this.since = minute;
    let i = this.minutes.length - 1;
    // Trades come in time order; a late one lands in its own minute if that is still kept.
    while (i >= 0 && (this.minutes[i] ?? 0) > minute) i -= 1;
    let sums: [number, number, number, number, number] | undefined;
    if (i >= 0 && this.minutes[i] === minute) sums = this.sums[i];
    else {
      sums = [0, 0, 0, 0, 0];
      this.minutes.splice(i + 1, 0, minute);
      this.sums.splice(i + 1, 0, sums);
      if (this.minutes.length > FLOW_MINUTES) {
        this.minutes.shift();
        this.sums.shift();
      }
    }
    if (sums === undefined) return;
    if (side === 'buy') {
      sums[0] += size;
      sums[2] += size / price;
    } else {
      sums[1] += size;
      sums[3] += size / price;
    }
    sums[4] += 1;
  }

  /** The feed stopped being live at `at` (stopped, reconnecting, its trade stream stale). */
  pause(at: number): void {
    if (!this.started) return;
    const last = this.holes.at(-1);
    if (last !== undefined && last[1] === null) return;
    this.holes.push([at, null]);
    if (this.holes.length > MAX_HOLES) this.holes.shift();
  }

  /** Live (again) at `at`; the first time, counting begins. */
  resume(at: number): void {
    if (!this.started) {
      this.started = true;
      if (this.since === null || at < this.since) this.since = at;
      return;
    }
    const last = this.holes.at(-1);
    if (last !== undefined && last[1] === null) last[1] = at;
  }

  /**
   * The flow in periods of `timeframe` (1m … 1D), those opening at or after `from` only when
   * given (a client keeping its copy current asks for the last one or two).
   */
  series(timeframe: string, from?: number): FlowSeries {
    const span = Math.max(MINUTE_MS, timeframeMs(timeframe) ?? MINUTE_MS);
    const buckets: [number, number, number, number, number, number][] = [];
    for (let i = 0; i < this.minutes.length; i += 1) {
      const minute = this.minutes[i] ?? 0;
      const sums = this.sums[i];
      if (sums === undefined) continue;
      const open = Math.floor(minute / span) * span;
      if (from !== undefined && open < from) continue;
      let last = buckets.at(-1);
      if (last?.[0] !== open) {
        last = [open, 0, 0, 0, 0, 0];
        buckets.push(last);
      }
      for (let k = 0; k < 5; k += 1) last[k + 1] = (last[k + 1] ?? 0) + (sums[k] ?? 0);
    }
    const oldest = this.minutes[0];
    // Once the oldest minutes are gone, CVD starts at the oldest kept.
    const since = this.since === null ? null : oldest !== undefined && this.minutes.length >= FLOW_MINUTES ? Math.max(this.since, oldest) : this.since;
    return { since, buckets, holes: this.holes.map(([a, b]) => [a, b] as const) };
  }
}
