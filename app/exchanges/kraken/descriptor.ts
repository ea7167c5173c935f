// Kraken Spot (WebSocket v2): what the registry needs to know without loading the collector.

import { DATA_TYPES } from '../../core/types.js';
import type { ExchangeDescriptor } from '../types.js';
import { KRAKEN, KRAKEN_BOOK_DEPTHS, KRAKEN_DEFAULT_BOOK_DEPTH, KRAKEN_TIMEFRAMES, krakenPair } from './markets.js';

export const krakenDescriptor: ExchangeDescriptor = {
  id: KRAKEN.id,
  displayName: KRAKEN.displayName,
  defaultPairs: ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'DOGE/USD'],
  dataTypes: DATA_TYPES,
  rules: {
    symbolPattern: /^[A-Z0-9]{1,12}\/[A-Z0-9]{1,12}$/,
    symbolHint: 'Kraken pairs look like BTC/USD (XBT/USD and BTC-USD are read the same)',
    normalizeSymbol: krakenPair,
    candleTimeframes: KRAKEN_TIMEFRAMES,
    defaultCandleTimeframes: ['1m'],
    bookDepths: KRAKEN_BOOK_DEPTHS,
    defaultBookDepth: KRAKEN_DEFAULT_BOOK_DEPTH,
  },
  endpoints: { wsUrl: KRAKEN.wsUrl, restUrl: KRAKEN.restUrl },
  envPrefix: 'TICKER_DECK_KRAKEN',
  loadCollector: async () => (await import('./collector.js')).KrakenCollector,
  loadReplayer: async (symbol, dataTypes, sink) => (await import('./replayer.js')).krakenReplayer(symbol, dataTypes, sink),
  loadMarketHistory: async (restUrl) => new (await import('./history.js')).KrakenHistory(restUrl ?? KRAKEN.restUrl),
  loadInstrumentCatalog: async (restUrl) => {
    const { KrakenInstruments } = await import('./instruments.js');
    return new KrakenInstruments(krakenDescriptor.rules, restUrl ?? KRAKEN.restUrl);
  },
};
