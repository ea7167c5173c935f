// Coinbase's spot products from the public products list, mapped to the normalized
// InstrumentInfo through the cached catalog (tick size `price_increment`/`quote_increment`,
// lot size `base_increment`). USDC products are served as their USD book on the public
// channels, so the catalog lists the USD ones only.

import { CachedCatalog, type CachedCatalogOptions } from '../catalog.js';
import type { ExchangeRules, InstrumentInfo } from '../types.js';
import { COINBASE } from './markets.js';
import { CoinbaseRestClient } from './rest.js';

export class CoinbaseInstruments extends CachedCatalog {
  constructor(rules: ExchangeRules, restUrl: string, options: CachedCatalogOptions = {}) {
    const rest = new CoinbaseRestClient(restUrl.replace(/\/+$/, ''));
    super(
      {
        displayName: COINBASE.displayName,
        symbolPattern: rules.symbolPattern,
        symbolHint: rules.symbolHint,
        normalizeSymbol: (symbol) => rules.normalizeSymbol(symbol),
        fetch: async () => {
          const list: InstrumentInfo[] = [];
          for (const p of await rest.products()) {
            if (p.quote_currency_id === 'USDC' || (p.product_type !== undefined && p.product_type !== 'SPOT')) continue;
            list.push({
              exchange: COINBASE.id,
              symbol: p.product_id,
              base: p.base_currency_id,
              quote: p.quote_currency_id,
              kind: 'spot',
              tickSize: p.price_increment ?? p.quote_increment,
              lotSize: p.base_increment,
              contractSize: undefined,
              contractUnit: undefined,
              live: p.status === 'online' && p.trading_disabled !== true,
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
