// Coinbase Advanced Trade (spot): what the registry needs to know without loading the collector.

import { DATA_TYPES } from '../../core/types.js';
import type { ExchangeDescriptor } from '../types.js';
import { COINBASE, COINBASE_TIMEFRAMES } from './markets.js';

export const coinbaseDescriptor: ExchangeDescriptor = {
  id: COINBASE.id,
  displayName: COINBASE.displayName,
  defaultPairs: ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD', 'DOGE-USD'],
  dataTypes: DATA_TYPES,
  rules: {
    symbolPattern: /^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/,
    symbolHint: 'Coinbase products look like BTC-USD (USDC products are served as their USD book)',
    // The venue's own id; BTC/USD and btc_usd read the same. Public channels serve -USDC as -USD.
    normalizeSymbol: (symbol) =>
      symbol
        .trim()
        .toUpperCase()
        .replace(/[/_\s]/g, '-')
        .replace(/-USDC$/, '-USD'),
    candleTimeframes: COINBASE_TIMEFRAMES,
    defaultCandleTimeframes: ['1m'],
    // level2 is the whole book.
    bookDepths: [],
    defaultBookDepth: 0,
  },
  // Heartbeats come every second on the connection, and quiet channels are closed by Coinbase
  // after 60–90 s: a book silent far beyond that while the connection lives is stale.
  streamGuarantees: { orderbook: { maxSilenceMs: 120_000 } },
  endpoints: { wsUrl: COINBASE.wsUrl, restUrl: COINBASE.restUrl },
  envPrefix: 'TICKER_DECK_COINBASE',
  loadCollector: async () => (await import('./collector.js')).CoinbaseCollector,
  loadReplayer: async (symbol, dataTypes, sink) => (await import('./replayer.js')).coinbaseReplayer(symbol, dataTypes, sink),
  loadMarketHistory: async (restUrl) => new (await import('./history.js')).CoinbaseHistory(restUrl ?? COINBASE.restUrl),
  loadInstrumentCatalog: async (restUrl) => {
    const { CoinbaseInstruments } = await import('./instruments.js');
    return new CoinbaseInstruments(coinbaseDescriptor.rules, restUrl ?? COINBASE.restUrl);
  },
};
