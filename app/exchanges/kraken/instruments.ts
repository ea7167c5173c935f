// Kraken's spot pairs from AssetPairs, in v2 names (BTC/USD), mapped to the normalized
// InstrumentInfo through the cached catalog: tick size `tick_size` (or 10^-pair_decimals), lot
// size 10^-lot_decimals.

import { CachedCatalog, type CachedCatalogOptions } from '../catalog.js';
import type { ExchangeRules, InstrumentInfo } from '../types.js';
import { KRAKEN } from './markets.js';
import { KrakenRestClient } from './rest.js';

function step(decimals: number): string {
  return decimals <= 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

export class KrakenInstruments extends CachedCatalog {
  constructor(rules: ExchangeRules, restUrl: string, options: CachedCatalogOptions = {}) {
    const rest = new KrakenRestClient(restUrl.replace(/\/+$/, ''));
    super(
      {
        displayName: KRAKEN.displayName,
        symbolPattern: rules.symbolPattern,
        symbolHint: rules.symbolHint,
        normalizeSymbol: (symbol) => rules.normalizeSymbol(symbol),
        fetch: async () =>
          (await rest.pairs()).map((p): InstrumentInfo => ({
            exchange: KRAKEN.id,
            symbol: p.symbol,
            base: p.base,
            quote: p.quote,
            kind: 'spot',
            tickSize: p.tickSize ?? step(p.priceDecimals),
            lotSize: step(p.lotDecimals),
            contractSize: undefined,
            contractUnit: undefined,
            live: p.online,
          })),
        dispose: () => rest.dispose(),
      },
      options,
    );
  }
}
