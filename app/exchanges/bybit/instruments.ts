// Bybit's instrument list from `/v5/market/instruments-info` (linear perpetuals, or spot),
// mapped to the normalized InstrumentInfo through the cached catalog: tick size from
// priceFilter, lot size from lotSizeFilter (linear `qtyStep`, spot `basePrecision`). Linear
// contracts are one unit of the base coin.

import { CachedCatalog, type CachedCatalogOptions } from '../catalog.js';
import type { ExchangeRules, InstrumentInfo } from '../types.js';
import type { BybitMarket } from './markets.js';
import { BybitRestClient } from './rest.js';

export class BybitInstruments extends CachedCatalog {
  constructor(market: BybitMarket, rules: ExchangeRules, restUrl: string, options: CachedCatalogOptions = {}) {
    const rest = new BybitRestClient(market, restUrl.replace(/\/+$/, ''));
    super(
      {
        displayName: market.displayName,
        symbolPattern: rules.symbolPattern,
        symbolHint: rules.symbolHint,
        normalizeSymbol: (symbol) => rules.normalizeSymbol(symbol),
        fetch: async () => {
          const list: InstrumentInfo[] = [];
          for (const row of await rest.instruments()) {
            // Linear: perpetuals only (dated USDT futures are another kind).
            if (market.kind === 'perpetual' && row.contractType !== undefined && row.contractType !== 'LinearPerpetual') continue;
            const lot = market.kind === 'spot' ? row.lotSizeFilter.basePrecision : row.lotSizeFilter.qtyStep;
            list.push({
              exchange: market.id,
              symbol: row.symbol,
              base: row.baseCoin,
              quote: row.quoteCoin,
              kind: market.kind,
              tickSize: row.priceFilter.tickSize ?? '0.01',
              lotSize: lot ?? '0.001',
              contractSize: market.kind === 'spot' ? undefined : '1',
              contractUnit: market.kind === 'spot' ? undefined : row.baseCoin,
              live: row.status === 'Trading',
            });
          }
          return list;
        },
        dispose: () => rest.dispose(),
      },
      options,
    );
  }
}
