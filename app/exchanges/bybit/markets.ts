// Bybit's two public v5 markets as this app names them: `bybit` (USDT linear perpetuals,
// `/v5/public/linear`, REST category `linear`) and `bybit-spot` (`/v5/public/spot`, category
// `spot`). Names of the venue stay in this folder.
// https://bybit-exchange.github.io/docs/v5/ws/connect

import type { InstrumentKind } from '../info.js';

export type BybitMarketId = 'bybit' | 'bybit-spot';

export interface BybitMarket {
  readonly id: BybitMarketId;
  readonly displayName: string;
  readonly kind: InstrumentKind;
  /** REST `category` and WebSocket path (`/v5/public/<category>`). */
  readonly category: 'linear' | 'spot';
  /** Public WebSocket base; `/v5/public/<category>` is appended. */
  readonly wsUrl: string;
  readonly restUrl: string;
  /** Topics in one subscribe request (spot takes at most 10). */
  readonly maxArgsPerRequest: number;
  /** Book depths and how often Bybit pushes each (ms). */
  readonly bookPushMs: Readonly<Record<number, number>>;
}

export const BYBIT_MARKETS: Readonly<Record<BybitMarketId, BybitMarket>> = {
  bybit: {
    id: 'bybit',
    displayName: 'Bybit',
    kind: 'perpetual',
    category: 'linear',
    wsUrl: 'wss://stream.bybit.com',
    restUrl: 'https://api.bybit.com',
    maxArgsPerRequest: 10,
    bookPushMs: { 50: 20, 200: 100, 1000: 200 },
  },
  'bybit-spot': {
    id: 'bybit-spot',
    displayName: 'Bybit Spot',
    kind: 'spot',
    category: 'spot',
    wsUrl: 'wss://stream.bybit.com',
    restUrl: 'https://api.bybit.com',
    maxArgsPerRequest: 10,
    bookPushMs: { 50: 20, 200: 200, 1000: 200 },
  },
};

export function bybitMarket(exchange: string): BybitMarket {
  return exchange === 'bybit-spot' ? BYBIT_MARKETS['bybit-spot'] : BYBIT_MARKETS.bybit;
}

export const BYBIT_BOOK_DEPTHS = [50, 200, 1000] as const;
export const BYBIT_DEFAULT_BOOK_DEPTH = 200;

/** Our timeframe labels and Bybit's kline intervals. */
const INTERVALS: Readonly<Record<string, string>> = {
  '1m': '1',
  '3m': '3',
  '5m': '5',
  '15m': '15',
  '30m': '30',
  '1H': '60',
  '2H': '120',
  '4H': '240',
  '6H': '360',
  '12H': '720',
  '1D': 'D',
  '1W': 'W',
  '1M': 'M',
};

export const BYBIT_TIMEFRAMES = Object.keys(INTERVALS);

export function intervalOf(timeframe: string): string | undefined {
  return INTERVALS[timeframe];
}

export function timeframeOfInterval(interval: string): string | undefined {
  return Object.entries(INTERVALS).find(([, i]) => i === interval)?.[0];
}
