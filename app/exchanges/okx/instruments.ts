// OKX's instrument list (SPOT, SWAP, FUTURES) from `GET /api/v5/public/instruments`, mapped to
// the normalized InstrumentInfo, served through the cached catalog (app/exchanges/catalog.ts).
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments

import { getLogger } from '../../core/logger.js';
import { CachedCatalog, type CachedCatalogOptions } from '../catalog.js';
import type { InstrumentInfo } from '../types.js';
import { okxDescriptor } from './descriptor.js';
import { OkxRestClient } from './rest.js';

const log = getLogger('okx');
const INST_TYPES = ['SPOT', 'SWAP', 'FUTURES'] as const;
const KINDS = { SPOT: 'spot', SWAP: 'perpetual', FUTURES: 'future' } as const;

export interface OkxInstrumentsOptions extends CachedCatalogOptions {
  readonly restUrl?: string;
}

export class OkxInstruments extends CachedCatalog {
  constructor(options: OkxInstrumentsOptions = {}) {
    const rest = new OkxRestClient({ baseUrl: (options.restUrl ?? okxDescriptor.endpoints.restUrl).replace(/\/+$/, '') });
    super(
      {
        displayName: okxDescriptor.displayName,
        symbolPattern: okxDescriptor.rules.symbolPattern,
        symbolHint: okxDescriptor.rules.symbolHint,
        normalizeSymbol: (symbol) => okxDescriptor.rules.normalizeSymbol(symbol),
        fetch: async () => {
          const list: InstrumentInfo[] = [];
          let skipped = 0;
          for (const instType of INST_TYPES) {
            const result = await rest.instruments(instType);
            skipped += result.skipped;
            for (const row of result.rows) {
              if (row.instType !== 'SPOT' && row.instType !== 'SWAP' && row.instType !== 'FUTURES') continue;
              const [base = '', quote = ''] = row.instId.split('-');
              const contract = row.ctVal === undefined || row.ctVal === '' ? undefined : row.ctVal;
              list.push({
                exchange: okxDescriptor.id,
                symbol: row.instId,
                base: row.baseCcy !== undefined && row.baseCcy !== '' ? row.baseCcy : base,
                quote: row.quoteCcy !== undefined && row.quoteCcy !== '' ? row.quoteCcy : quote,
                kind: KINDS[row.instType],
                tickSize: row.tickSz,
                lotSize: row.lotSz,
                contractSize: contract,
                contractUnit: contract === undefined || row.ctValCcy === undefined || row.ctValCcy === '' ? undefined : row.ctValCcy,
                live: row.state === 'live',
              });
            }
          }
          if (skipped > 0) log.warn({ skipped }, 'OKX instrument rows skipped as malformed');
          return list;
        },
        dispose: () => rest.dispose(),
      },
      options,
    );
  }
}
