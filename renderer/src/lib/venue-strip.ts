// The venue strip: for every venue of one asset, its mid, spread, 24 h volume and basis to a
// reference venue, each judged live or not on its own. Free of the DOM and of React, so that
// it is tested in Node.

import type { CollectorStatus, ShownBook, TickerQuote, WatchlistItem } from '../../../main/contract.js';
import { baseSize } from './consolidated-book.js';
import { describeBook, streamFreshness } from './format.js';

export interface VenueRow {
  readonly item: WatchlistItem;
  /** Best bid and ask: from the valid book, else from the ticker. */
  readonly bid: number | undefined;
  readonly ask: number | undefined;
  readonly mid: number | undefined;
  readonly spreadBp: number | undefined;
  /** 24 h volume in the base asset (contracts converted at the mid). */
  readonly volume24h: number | undefined;
  /** Mid against the reference venue's, in basis points; undefined for the reference itself or when either is not live. */
  readonly basisBp: number | undefined;
  readonly live: boolean;
  /** Why it is not live, in words. */
  readonly label: string | undefined;
  /** Contracts: what the venue publishes of them (undefined for spot, or before any arrived). */
  readonly contract: ContractFigures | undefined;
}

export interface ContractFigures {
  readonly mark: number | undefined;
  readonly index: number | undefined;
  /** Mark against index, in basis points. */
  readonly premiumBp: number | undefined;
  /** Funding rate of the current period, as a fraction, and when it is settled. */
  readonly funding: number | undefined;
  readonly nextFunding: number | undefined;
  /** In the base asset. */
  readonly openInterest: number | undefined;
}

/** A ticker's contract figures, when it has any. */
export function contractFigures(ticker: TickerQuote | undefined): ContractFigures | undefined {
  if (ticker === undefined) return undefined;
  const { mark, index, funding, nextFunding, openInterest } = ticker;
  if ([mark, index, funding, nextFunding, openInterest].every((v) => v === undefined)) return undefined;
  const premiumBp = mark !== undefined && index !== undefined && index > 0 ? ((mark - index) / index) * 10_000 : undefined;
  return { mark, index, premiumBp, funding, nextFunding, openInterest };
}

export interface VenueInputs {
  readonly book: ShownBook | undefined;
  readonly ticker: TickerQuote | undefined;
  readonly status: CollectorStatus | undefined;
}

export function venueRows(items: readonly WatchlistItem[], inputs: (id: string) => VenueInputs, referenceId: string | undefined, now: number): VenueRow[] {
  const rows = items.map((item): Omit<VenueRow, 'basisBp' | 'contract'> & { contract: ContractFigures | undefined } => {
    const { book, ticker, status } = inputs(item.id);
    let bid: number | undefined;
    let ask: number | undefined;
    let live: boolean;
    let label: string | undefined;
    if (book !== undefined && book.state === 'valid') {
      bid = toNumber(book.bids[0]?.[0]);
      ask = toNumber(book.asks[0]?.[0]);
      live = true;
    } else {
      // No valid book (not collected, or resyncing): the ticker's quote, judged by its own stream.
      bid = toNumber(ticker?.bid);
      ask = toNumber(ticker?.ask);
      const fresh = streamFreshness(status, 'ticker', now);
      live = fresh.live && bid !== undefined && ask !== undefined;
      label = live ? undefined : book !== undefined ? describeBook(book, now).label : (fresh.label ?? 'no quote yet');
    }
    const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
    const spreadBp = mid !== undefined && bid !== undefined && ask !== undefined && mid > 0 ? ((ask - bid) / mid) * 10_000 : undefined;
    const price = mid ?? toNumber(ticker?.last);
    const volume24h = ticker?.volume24h === undefined || price === undefined ? undefined : baseSize(item, price, ticker.volume24h);
    return { item, bid, ask, mid, spreadBp, volume24h, live, label, contract: contractFigures(ticker) };
  });
  const reference = rows.find((r) => r.item.id === referenceId);
  return rows.map((row) => ({
    ...row,
    basisBp:
      reference === undefined || row === reference || !row.live || !reference.live || row.mid === undefined || reference.mid === undefined || reference.mid <= 0
        ? undefined
        : ((row.mid - reference.mid) / reference.mid) * 10_000,
  }));
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
