// Binance's two markets as this app names them: `binance` (spot, stream.binance.com, REST
// api.binance.com /api/v3) and `binance-futures` (USDⓈ-M perpetuals, fstream.binance.com,
// REST fapi.binance.com /fapi/v1). Names of the venue stay in this folder.

import type { InstrumentKind } from '../info.js';

export type BinanceMarketId = 'binance' | 'binance-futures';

export interface BinanceMarket {
  readonly id: BinanceMarketId;
  readonly displayName: string;
  readonly kind: InstrumentKind;
  /** Combined-stream base; `/stream` is appended. */
  readonly wsUrl: string;
  readonly restUrl: string;
  readonly paths: { readonly depth: string; readonly exchangeInfo: string; readonly klines: string; readonly openInterest?: string };
  /** Futures chain each diff to the previous one (`pu`); spot diffs are ranged (`U`/`u`). */
  readonly chained: boolean;
  /** Levels asked of the REST snapshot. */
  readonly depthLimit: number;
}

export const BINANCE_MARKETS: Readonly<Record<BinanceMarketId, BinanceMarket>> = {
  binance: {
    id: 'binance',
    displayName: 'Binance',
    kind: 'spot',
    wsUrl: 'wss://stream.binance.com:9443',
    restUrl: 'https://api.binance.com',
    paths: { depth: '/api/v3/depth', exchangeInfo: '/api/v3/exchangeInfo', klines: '/api/v3/klines' },
    chained: false,
    depthLimit: 1000,
  },
  'binance-futures': {
    id: 'binance-futures',
    displayName: 'Binance Futures',
    kind: 'perpetual',
    wsUrl: 'wss://fstream.binance.com',
    restUrl: 'https://fapi.binance.com',
    paths: { depth: '/fapi/v1/depth', exchangeInfo: '/fapi/v1/exchangeInfo', klines: '/fapi/v1/klines', openInterest: '/fapi/v1/openInterest' },
    chained: true,
    depthLimit: 1000,
  },
};

export function binanceMarket(exchange: string): BinanceMarket {
  return exchange === 'binance-futures' ? BINANCE_MARKETS['binance-futures'] : BINANCE_MARKETS.binance;
}

/** Our timeframe labels and Binance's intervals. */
const INTERVALS: Readonly<Record<string, string>> = {
  '1m': '1m',
  '3m': '3m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1H': '1h',
  '2H': '2h',
  '4H': '4h',
  '6H': '6h',
  '8H': '8h',
  '12H': '12h',
  '1D': '1d',
  '3D': '3d',
  '1W': '1w',
  '1M': '1M',
};

export const BINANCE_TIMEFRAMES = Object.keys(INTERVALS);

export function intervalOf(timeframe: string): string | undefined {
  return INTERVALS[timeframe];
}

export function timeframeOfInterval(interval: string): string | undefined {
  return Object.entries(INTERVALS).find(([, i]) => i === interval)?.[0];
}
