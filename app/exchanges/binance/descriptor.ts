// Binance spot (`binance`) and USDⓈ-M perpetuals (`binance-futures`): what the registry needs
// to know without loading the collector.

import { DATA_TYPES } from '../../core/types.js';
import type { ExchangeDescriptor } from '../types.js';
import { BINANCE_MARKETS, BINANCE_TIMEFRAMES, type BinanceMarketId } from './markets.js';

function describe(id: BinanceMarketId): ExchangeDescriptor {
  const market = BINANCE_MARKETS[id];
  return {
    id,
    displayName: market.displayName,
    defaultPairs: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'],
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
      candleTimeframes: BINANCE_TIMEFRAMES,
      defaultCandleTimeframes: ['1m'],
      // The diff stream keeps the whole REST snapshot (up to 1000 levels a side).
      bookDepths: [1000],
      defaultBookDepth: 1000,
    },
    endpoints: { wsUrl: market.wsUrl, restUrl: market.restUrl },
    envPrefix: id === 'binance' ? 'TICKER_DECK_BINANCE' : 'TICKER_DECK_BINANCE_FUTURES',
    loadCollector: async () => (await import('./collector.js')).BinanceCollector,
    loadReplayer: async (symbol, dataTypes, sink) => (await import('./replayer.js')).binanceReplayer(id, symbol, dataTypes, sink),
    loadMarketHistory: async (restUrl) => new (await import('./history.js')).BinanceHistory(market, restUrl ?? market.restUrl),
    loadInstrumentCatalog: async (restUrl) => {
      const { BinanceInstruments } = await import('./instruments.js');
      return new BinanceInstruments(market, describe(id).rules, restUrl ?? market.restUrl);
    },
  };
}

export const binanceDescriptor = describe('binance');
export const binanceFuturesDescriptor = describe('binance-futures');
export const BINANCE_DESCRIPTORS = [binanceDescriptor, binanceFuturesDescriptor] as const;
