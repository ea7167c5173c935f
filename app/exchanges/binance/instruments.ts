// Binance's instrument list from `exchangeInfo` (spot: /api/v3, USDⓈ-M futures: /fapi/v1),
// mapped to the normalized InstrumentInfo (tick size from PRICE_FILTER, lot size from
// LOT_SIZE; USDⓈ-M contracts are one unit of the base asset), through the cached catalog.
// https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information

import { CachedCatalog, type CachedCatalogOptions } from '../catalog.js';
import type { ExchangeRules, InstrumentInfo } from '../types.js';
import type { BinanceMarket } from './markets.js';
import { BinanceRestClient } from './rest.js';

export class BinanceInstruments extends CachedCatalog {
  constructor(market: BinanceMarket, rules: ExchangeRules, restUrl: string, options: CachedCatalogOptions = {}) {
    const rest = new BinanceRestClient(market, restUrl.replace(/\/+$/, ''));
    super(
      {
        displayName: market.displayName,
        symbolPattern: rules.symbolPattern,
        symbolHint: rules.symbolHint,
        normalizeSymbol: (symbol) => rules.normalizeSymbol(symbol),
        fetch: async () => {
          const list: InstrumentInfo[] = [];
          for (const s of await rest.symbols()) {
            // USDⓈ-M: only perpetuals here (quarterlies are futures of another kind).
            if (market.kind === 'perpetual' && s.contractType !== undefined && s.contractType !== 'PERPETUAL') continue;
            const price = s.filters.find((f) => f.filterType === 'PRICE_FILTER');
            const lot = s.filters.find((f) => f.filterType === 'LOT_SIZE');
            list.push({
              exchange: market.id,
              symbol: s.symbol,
              base: s.baseAsset,
              quote: s.quoteAsset,
              kind: market.kind,
              tickSize: trimZeros(price?.tickSize ?? '0.01'),
              lotSize: trimZeros(lot?.stepSize ?? '0.00000001'),
              contractSize: market.kind === 'spot' ? undefined : '1',
              contractUnit: market.kind === 'spot' ? undefined : s.baseAsset,
              live: s.status === 'TRADING',
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

/** Binance writes `0.01000000`; the tick is `0.01`. */
function trimZeros(step: string): string {
  return step.includes('.') ? step.replace(/0+$/, '').replace(/\.$/, '') : step;
}
