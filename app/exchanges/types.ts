// What every exchange folder provides to the registry: a static descriptor (cheap to import:
// names, rules, endpoints) and a lazily loaded collector class.

import type { BaseDataCollector, CollectorOptions } from '../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../core/config.js';
import type { DataType } from '../core/types.js';

export type CollectorConstructor = new (config: ExchangeCollectorConfig, options?: CollectorOptions) => BaseDataCollector;

export interface ExchangeRules {
  /** Instrument ids this exchange accepts, after normalization. */
  readonly symbolPattern: RegExp;
  /** Shown to the trader when a symbol does not match. */
  readonly symbolHint: string;
  /** Canonical spelling of a symbol the user typed (e.g. upper case). */
  normalizeSymbol(symbol: string): string;
  /** Candle timeframes in our labels (`1m`, `1H`, `1D` …). */
  readonly candleTimeframes: readonly string[];
  readonly defaultCandleTimeframes: readonly string[];
  /** Order-book depths (levels per side) the exchange can stream. */
  readonly bookDepths: readonly number[];
  readonly defaultBookDepth: number;
}

export interface ExchangeDescriptor {
  /** Registry id, lower case. */
  readonly id: string;
  readonly displayName: string;
  /** Pairs offered by default (favourites) in the UI. */
  readonly defaultPairs: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly rules: ExchangeRules;
  /** Production endpoints; `customParams.wsUrl` / `restUrl` replace them. */
  readonly endpoints: { readonly wsUrl: string; readonly restUrl: string };
  loadCollector(): Promise<CollectorConstructor>;
}

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
