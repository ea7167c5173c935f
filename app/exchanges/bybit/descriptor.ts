// Bybit linear perpetuals (`bybit`) and spot (`bybit-spot`): what the registry needs to know
// without loading the collector.

import { DATA_TYPES } from '../../core/types.js';
import type { LivenessPolicy } from '../../core/stream-liveness.js';
import type { ExchangeDescriptor } from '../types.js';
import { BYBIT_BOOK_DEPTHS, BYBIT_DEFAULT_BOOK_DEPTH, BYBIT_MARKETS, BYBIT_TIMEFRAMES, type BybitMarket, type BybitMarketId } from './markets.js';

/**
 * How a Bybit book's silence is judged. Bybit pushes a book at most every 20–200 ms (by depth)
 * and only when it changed; it sends no keep-alive on depths of 50 and more, so there is no cap,
 * and the learned threshold never drops below 20 pushes of its fastest cadence (nor below 3 s).
 */
export function bookLiveness(market: BybitMarket, depth: number): Partial<LivenessPolicy> {
  const pushMs = market.bookPushMs[depth] ?? 100;
  return { minStaleMs: Math.max(3000, 20 * pushMs) };
}

function describe(id: BybitMarketId): ExchangeDescriptor {
  const market = BYBIT_MARKETS[id];
  return {
    id,
    displayName: market.displayName,
    defaultPairs: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT'],
    dataTypes: DATA_TYPES,
    rules: {
      symbolPattern: /^[A-Z0-9]{2,30}$/,
      symbolHint: `${market.displayName} symbols look like BTCUSDT (BTC/USDT and BTC-USDT are read the same)`,
      // The venue's own id: upper case, no separators.
      normalizeSymbol: (symbol) =>
        symbol
          .trim()
          .toUpperCase()
          .replace(/[-/_\s]/g, ''),
      candleTimeframes: BYBIT_TIMEFRAMES,
      defaultCandleTimeframes: ['1m'],
      bookDepths: BYBIT_BOOK_DEPTHS,
      defaultBookDepth: BYBIT_DEFAULT_BOOK_DEPTH,
    },
    // customParams.wsUrl replaces this base; `/v5/public/<category>` is appended.
    endpoints: { wsUrl: market.wsUrl, restUrl: market.restUrl },
    envPrefix: id === 'bybit' ? 'TICKER_DECK_BYBIT' : 'TICKER_DECK_BYBIT_SPOT',
    loadCollector: async () => (await import('./collector.js')).BybitCollector,
    loadReplayer: async (symbol, dataTypes, sink) => (await import('./replayer.js')).bybitReplayer(id, symbol, dataTypes, sink),
    loadMarketHistory: async (restUrl) => new (await import('./history.js')).BybitHistory(market, restUrl ?? market.restUrl),
    loadInstrumentCatalog: async (restUrl) => {
      const { BybitInstruments } = await import('./instruments.js');
      return new BybitInstruments(market, describe(id).rules, restUrl ?? market.restUrl);
    },
  };
}

export const bybitDescriptor = describe('bybit');
export const bybitSpotDescriptor = describe('bybit-spot');
export const BYBIT_DESCRIPTORS = [bybitDescriptor, bybitSpotDescriptor] as const;
