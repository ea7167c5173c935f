// One asset across venues: the aggregated tape's rows (every venue's prints of, say, BTC, newest
// first, each tagged with its venue and valued in its quote currency) and rolling buy/sell
// volume. Free of the DOM and of React, so that it is tested in Node.

import { contractTerms, type TradePrint, type WatchlistItem } from '../../../main/contract.js';

/** What the notional of a print needs to know about its instrument. */
export type NotionalTerms = Pick<WatchlistItem, 'sizeUnit' | 'contractValue' | 'contractUnit' | 'quote'>;

/**
 * The value of `size` at `price` in the instrument's quote currency. Spot sizes are in the base
 * currency; a contract is worth `contractValue` of `contractUnit`: of the base (linear, so its
 * value moves with the price) or of the quote (inverse: a fixed amount of USD).
 */
export function notionalOf(terms: NotionalTerms, price: number, size: number): number {
  return valueOf(terms, size, price * size);
}

/** The instruments of the watchlist that trade `base` (spot and contracts, every quote). */
export function instrumentsOf(items: readonly WatchlistItem[], base: string): WatchlistItem[] {
  return items.filter((item) => item.base === base && item.replayOf === undefined);
}

export interface AssetPrint {
  /** Unique among the rows: the venue's id and its first trade's id. */
  readonly key: string;
  /** Watchlist id of the instrument. */
  readonly id: string;
  readonly venue: string;
  readonly exchange: string;
  readonly side: 'buy' | 'sell';
  /** The price as the venue wrote it. */
  readonly price: string;
  readonly notional: number;
  readonly quote: string;
  readonly ts: number;
  /** Prints of one taker order merged into the row (same venue, millisecond and side). */
  readonly prints: number;
}

export interface AssetSource {
  readonly item: WatchlistItem;
  readonly trades: readonly TradePrint[];
}

/**
 * The newest `limit` rows over every source whose notional reaches `minNotional`, newest
 * first. Prints of one venue in the same millisecond on the same side are one row (one taker
 * order filling several makers); prints of different venues never merge.
 */
export function assetTape(sources: readonly AssetSource[], minNotional: number, limit: number): AssetPrint[] {
  const rows: AssetPrint[] = [];
  for (const { item, trades } of sources) {
    let taken = 0;
    let open: AssetPrint | undefined;
    const close = (): void => {
      if (open !== undefined && open.notional >= minNotional) {
        rows.push(open);
        taken += 1;
      }
      open = undefined;
    };
    // Newest first; a source gives at most `limit` rows (no more can be among the newest overall).
    for (let i = trades.length - 1; i >= 0 && taken < limit; i -= 1) {
      const trade = trades[i];
      if (trade === undefined) continue;
      const notional = notionalOf(item, Number(trade.price), Number(trade.size));
      if (open !== undefined && open.ts === trade.ts && open.side === trade.side) {
        open = { ...open, notional: open.notional + notional, prints: open.prints + 1 };
        continue;
      }
      close();
      open = {
        key: `${item.id}|${trade.tradeId}`,
        id: item.id,
        venue: item.venue,
        exchange: item.exchange,
        side: trade.side,
        price: trade.price,
        notional,
        quote: item.quote ?? '',
        ts: trade.ts,
        prints: 1,
      };
    }
    if (taken < limit) close();
  }
  // Newest first; prints of one millisecond keep a fixed order (by venue, then trade).
  rows.sort((a, b) => b.ts - a.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.length > limit ? rows.slice(0, limit) : rows;
}

/** Seconds of history the rolling volume keeps (its longest window). */
export const FLOW_SECONDS = 300;

/**
 * Buy and sell volume of one instrument in one-second buckets over the last five minutes, fed
 * with every trade as it arrives (the tape's history is bounded; this is not). Sizes and
 * price × size are summed apart, so that the notional of linear and inverse contracts alike is
 * found when it is read (see `notionalOf`). Bounded: 300 buckets.
 */
export class FlowWindow {
  /** Per bucket: second, buy size, buy price × size, sell size, sell price × size, and trades not seen. */
  private readonly seconds = new Float64Array(FLOW_SECONDS).fill(-1);
  private readonly sums = new Float64Array(FLOW_SECONDS * 4);
  private readonly missed = new Uint32Array(FLOW_SECONDS);

  add(ts: number, side: 'buy' | 'sell', price: number, size: number): void {
    if (!Number.isFinite(price) || !Number.isFinite(size)) return;
    const slot = this.slotOf(ts);
    if (slot < 0) return;
    const at = slot * 4 + (side === 'buy' ? 0 : 2);
    this.sums[at] = (this.sums[at] ?? 0) + size;
    this.sums[at + 1] = (this.sums[at + 1] ?? 0) + price * size;
  }

  /**
   * Trades that happened about `ts` but never reached the page (the host left them out of a
   * busy frame, or a hidden page merged more than it keeps): the totals of their window are
   * then a lower bound, and say so.
   */
  addMissed(ts: number, count: number): void {
    const slot = this.slotOf(ts);
    if (slot >= 0 && count > 0) this.missed[slot] = (this.missed[slot] ?? 0) + count;
  }

  /**
   * Buy and sell notional over the `windowSeconds` up to `now` (ms), valued with `terms`;
   * `complete` is false when trades of the window never reached the page.
   */
  totals(now: number, windowSeconds: number, terms: NotionalTerms): { buy: number; sell: number; complete: boolean } {
    const last = Math.floor(now / 1000);
    const first = last - Math.min(FLOW_SECONDS, windowSeconds) + 1;
    let buySize = 0;
    let buyValue = 0;
    let sellSize = 0;
    let sellValue = 0;
    let missed = 0;
    for (let slot = 0; slot < FLOW_SECONDS; slot += 1) {
      const second = this.seconds[slot] ?? -1;
      if (second < first || second > last) continue;
      missed += this.missed[slot] ?? 0;
      buySize += this.sums[slot * 4] ?? 0;
      buyValue += this.sums[slot * 4 + 1] ?? 0;
      sellSize += this.sums[slot * 4 + 2] ?? 0;
      sellValue += this.sums[slot * 4 + 3] ?? 0;
    }
    return { buy: valueOf(terms, buySize, buyValue), sell: valueOf(terms, sellSize, sellValue), complete: missed === 0 };
  }

  /** The bucket of `ts`, emptied first if it held an older second; -1 when `ts` is older than the bucket's second. */
  private slotOf(ts: number): number {
    if (!Number.isFinite(ts)) return -1;
    const second = Math.floor(ts / 1000);
    const slot = ((second % FLOW_SECONDS) + FLOW_SECONDS) % FLOW_SECONDS;
    const held = this.seconds[slot] ?? -1;
    if (held === second) return slot;
    // A print older than the bucket's second is too late to count in it.
    if (held > second) return -1;
    this.seconds[slot] = second;
    this.sums.fill(0, slot * 4, slot * 4 + 4);
    this.missed[slot] = 0;
    return slot;
  }
}

/** See app/exchanges/info.ts: one rule for host and page. */
export const contractOf = contractTerms;

/** The notional of a size (or a sum of sizes) and its price × size (or their sum). */
function valueOf(terms: NotionalTerms, size: number, priceTimesSize: number): number {
  const contract = contractOf(terms);
  if (contract === undefined) return priceTimesSize;
  return contract.inverse ? size * contract.perContract : priceTimesSize * contract.perContract;
}
