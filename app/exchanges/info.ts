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

/** One tradable instrument as the UI and validation see it. */
export interface InstrumentInfo {
  readonly instId: string;
  readonly instType: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  /** Contract value for derivatives (sizes are in contracts); undefined for spot. */
  readonly contractValue: string | undefined;
  /** What a contract's value is counted in (e.g. `BTC`); undefined for spot. */
  readonly contractUnit: string | undefined;
  readonly live: boolean;
}

export type SymbolCheck =
  | { readonly ok: true; readonly instrument: InstrumentInfo | undefined }
  | { readonly ok: false; readonly reason: string };
