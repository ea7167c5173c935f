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

export type SymbolCheck = { readonly ok: true; readonly instrument: InstrumentInfo | undefined } | { readonly ok: false; readonly reason: string };
