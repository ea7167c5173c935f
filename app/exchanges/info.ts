// Plain facts about exchanges and instruments, as listings and the UI see them. No runtime
// dependencies: the renderer's types import this file.

import type { DataType } from '../core/types.js';

/** Public, serializable facts about an exchange (for listings and the UI). */
export interface ExchangeInfo {
  readonly id: string;
  readonly displayName: string;
  readonly defaultPairs: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly symbolHint: string;
  readonly candleTimeframes: readonly string[];
  readonly bookDepths: readonly number[];
}

/** What kind of market an instrument is, in words no venue owns. */
export type InstrumentKind = 'spot' | 'perpetual' | 'future';

/** One tradable instrument as the UI and validation see it, the same for every venue. */
export interface InstrumentInfo {
  /** Registry id of the venue (`okx`, `binance`, `binance-futures`). */
  readonly exchange: string;
  /** The venue's own id (`BTC-USDT-SWAP`, `BTCUSDT`). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  readonly tickSize: string;
  readonly lotSize: string;
  /** For contracts: what one contract is worth, in `contractUnit`; undefined for spot. */
  readonly contractSize: string | undefined;
  readonly contractUnit: string | undefined;
  readonly live: boolean;
}

/** `BTC/USDT · Binance`, `BTC/USDT perp · OKX`: how the UI names an instrument. */
export function instrumentLabel(info: Pick<InstrumentInfo, 'base' | 'quote' | 'kind'>, venue: string): string {
  const suffix = info.kind === 'perpetual' ? ' perp' : info.kind === 'future' ? ' future' : '';
  return `${info.base}/${info.quote}${suffix} · ${venue}`;
}

/** How an instrument's sizes are counted (as a watchlist item says it): the base, or contracts worth so much. */
export interface SizeTerms {
  /** `cont` for contracts; otherwise sizes are in the base asset. */
  readonly sizeUnit?: string | undefined;
  readonly contractValue?: string | undefined;
  readonly contractUnit?: string | undefined;
  readonly quote?: string | undefined;
}

/**
 * What one contract is worth (`perContract`) and whether in the quote currency (`inverse`, a
 * fixed amount of USD) rather than the base; undefined when sizes are in the base asset.
 */
export function contractTerms(terms: SizeTerms): { perContract: number; inverse: boolean } | undefined {
  if (terms.sizeUnit !== 'cont') return undefined;
  const value = Number(terms.contractValue);
  return { perContract: Number.isFinite(value) && value > 0 ? value : 1, inverse: terms.contractUnit !== undefined && terms.contractUnit === terms.quote };
}

/**
 * The value of `size` at `price` in the quote currency: spot sizes are in the base; a linear
 * contract is worth `contractValue` of the base (its value moves with the price), an inverse one
 * a fixed amount of the quote.
 */
export function notionalValue(terms: SizeTerms, price: number, size: number): number {
  const contract = contractTerms(terms);
  if (contract === undefined) return price * size;
  return contract.inverse ? size * contract.perContract : price * size * contract.perContract;
}

export type SymbolCheck = { readonly ok: true; readonly instrument: InstrumentInfo | undefined } | { readonly ok: false; readonly reason: string };
