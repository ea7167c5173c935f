// OKX (v5 public API): what the registry needs to know without loading the collector.

import { DATA_TYPES } from '../../core/types.js';
import type { ExchangeDescriptor } from '../types.js';

/** Our timeframe labels, in OKX's own spelling (channel `candle<label>`). */
export const OKX_CANDLE_TIMEFRAMES = ['1s', '1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '12H', '1D', '2D', '3D', '1W', '1M', '3M'] as const;

export const okxDescriptor: ExchangeDescriptor = {
  id: 'okx',
  displayName: 'OKX',
  defaultPairs: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'DOGE-USDT', 'TON-USDT'],
  dataTypes: DATA_TYPES,
  rules: {
    // SPOT `BTC-USDT`, SWAP `BTC-USDT-SWAP`, FUTURES `BTC-USD-250328`.
    symbolPattern: /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}(-SWAP|-\d{6})?$/,
    symbolHint: 'OKX instrument ids look like BTC-USDT (spot), BTC-USDT-SWAP (perpetual) or BTC-USD-250328 (futures)',
    normalizeSymbol: (symbol) => symbol.trim().toUpperCase(),
    candleTimeframes: OKX_CANDLE_TIMEFRAMES,
    defaultCandleTimeframes: ['1m'],
    // `books5` (5-level snapshots) or `books` (400-level incremental).
    bookDepths: [5, 400],
    defaultBookDepth: 400,
  },
  // OKX sends a no-change keep-alive on `books` when the book has not changed for about 60 s
  // (and `books5` resends its snapshot): a book silent well beyond that is stale.
  // https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
  streamGuarantees: { orderbook: { maxSilenceMs: 90_000 } },
  // customParams.wsUrl replaces this base; `/public` and `/business` are appended.
  endpoints: { wsUrl: 'wss://ws.okx.com:8443/ws/v5', restUrl: 'https://www.okx.com' },
  envPrefix: 'TICKER_DECK_OKX',
  loadCollector: async () => (await import('./collector.js')).OkxCollector,
  loadReplayer: async (symbol, dataTypes, sink) => new (await import('./replayer.js')).OkxReplayer(symbol, dataTypes, sink),
  loadMarketHistory: async (restUrl) => new (await import('./history.js')).OkxHistory(restUrl),
  loadInstrumentCatalog: async (restUrl) => {
    const { OkxInstruments } = await import('./instruments.js');
    return new OkxInstruments(restUrl === undefined ? {} : { restUrl });
  },
};
