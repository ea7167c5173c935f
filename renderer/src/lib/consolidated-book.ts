// The consolidated book: one asset's books on every venue merged into one ladder, grouped by a
// price step, each level's size split by venue and counted in the base asset (a contract is
// converted by its value). Only valid books count; the others are left out and named, as are
// instruments priced in another quote currency unless the trader merges quotes. A level deeper
// than some venue's book reaches says so (that venue's size there is unknown). Free of the DOM
// and of React, so that it is tested in Node.

import type { ShownBook, WatchlistItem } from '../../../main/contract.js';
import { contractOf } from './asset-flow.js';
import { describeBook } from './format.js';

export interface VenueBook {
  readonly item: WatchlistItem;
  readonly book: ShownBook | undefined;
}

export interface VenueShare {
  readonly id: string;
  readonly exchange: string;
  readonly venue: string;
  /** In the base asset. */
  readonly size: number;
}

export interface ConsolidatedRow {
  /** The bucket's price: its lower edge for bids, its upper edge for asks. */
  readonly price: number;
  /** In the base asset, all venues together. */
  readonly size: number;
  /** Running total from the best row. */
  readonly total: number;
  /** Each venue's part of `size`, in the order of the sources. */
  readonly parts: readonly VenueShare[];
  /** Venues whose book (as sent) does not reach this level: their size here is unknown. */
  readonly beyond: readonly string[];
}

export interface Consolidated {
  readonly bids: readonly ConsolidatedRow[];
  readonly asks: readonly ConsolidatedRow[];
  /** The instruments whose books are merged. */
  readonly included: readonly WatchlistItem[];
  /** The others, and why. */
  readonly left: readonly { readonly item: WatchlistItem; readonly reason: string }[];
}

/** A size of the instrument at `price`, in its base asset. */
export function baseSize(item: WatchlistItem, price: number, size: number): number {
  const contract = contractOf(item);
  if (contract === undefined) return size;
  // Inverse contracts are worth a fixed amount of the quote currency.
  if (contract.inverse) return price > 0 ? (size * contract.perContract) / price : 0;
  return size * contract.perContract;
}

/**
 * Merges the valid books among `sources` priced in `quote` (`null`: every quote together) into
 * buckets of `step`, at most `rows` a side, best first. A bucket beyond where a venue's book
 * (as sent) stops names that venue in `beyond`: its size there is unknown, not zero.
 */
export function consolidate(sources: readonly VenueBook[], quote: string | null, step: number, rows: number, now: number): Consolidated {
  const included: VenueBook[] = [];
  const left: { item: WatchlistItem; reason: string }[] = [];
  for (const source of sources) {
    const { item, book } = source;
    if (quote !== null && item.quote !== quote) left.push({ item, reason: `priced in ${item.quote ?? 'an unknown currency'}` });
    else if (book === undefined || book.state !== 'valid') left.push({ item, reason: describeBook(book, now).label });
    else if (book.crossed) left.push({ item, reason: 'crossed book' });
    else included.push(source);
  }
  const side = (which: 'bids' | 'asks'): ConsolidatedRow[] => {
    const bid = which === 'bids';
    const buckets = new Map<number, number[]>();
    // How far each venue's book reaches: its last level's price.
    const reach = included.map(() => (bid ? -Infinity : Infinity));
    included.forEach(({ item, book }, venue) => {
      const levels = book?.[which] ?? [];
      for (const [priceText, sizeText] of levels) {
        const price = Number(priceText);
        const size = baseSize(item, price, Number(sizeText));
        if (!Number.isFinite(price) || !Number.isFinite(size)) continue;
        const key = bucketOf(price, step, bid);
        let sizes = buckets.get(key);
        if (sizes === undefined) {
          sizes = new Array<number>(included.length).fill(0);
          buckets.set(key, sizes);
        }
        sizes[venue] = (sizes[venue] ?? 0) + size;
      }
      const last = levels.at(-1);
      if (last !== undefined) reach[venue] = Number(last[0]);
    });
    const keys = [...buckets.keys()].sort((a, b) => (bid ? b - a : a - b));
    const out: ConsolidatedRow[] = [];
    let total = 0;
    for (const key of keys) {
      if (out.length === rows) break;
      const sizes = buckets.get(key) ?? [];
      const size = sizes.reduce((a, b) => a + b, 0);
      total += size;
      out.push({
        price: key,
        size,
        total,
        parts: included.map(({ item }, venue) => ({ id: item.id, exchange: item.exchange, venue: item.venue, size: sizes[venue] ?? 0 })),
        // A bid bucket holds [key, key + step): whole for a venue whose book reaches down to key.
        beyond: included
          .filter((_, venue) => (bid ? key < (reach[venue] ?? 0) - 1e-9 * step : key > (reach[venue] ?? 0) + 1e-9 * step))
          .map((s) => s.item.venue),
      });
    }
    return out;
  };
  return { bids: side('bids'), asks: side('asks'), included: included.map((s) => s.item), left };
}

/** The bucket of `price`: bids round down to the step, asks up (float noise tolerated). */
function bucketOf(price: number, step: number, bid: boolean): number {
  const ratio = price / step;
  const bucket = bid ? Math.floor(ratio + 1e-9) : Math.ceil(ratio - 1e-9);
  return Number((bucket * step).toFixed(10));
}
