// Recent Bybit candles over REST (`/v5/market/kline`), normalized like the kline stream, so a
// chart is full from the first moment. A bar is closed once its period has passed.

import { timeframeMs } from '../../core/timeframes.js';
import type { Candle } from '../../core/types.js';
import type { MarketHistory } from '../types.js';
import { intervalOf, type BybitMarket } from './markets.js';
import { BybitRestClient } from './rest.js';

export class BybitHistory implements MarketHistory {
  private readonly rest: BybitRestClient;

  constructor(
    private readonly market: BybitMarket,
    restUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.rest = new BybitRestClient(market, restUrl.replace(/\/+$/, ''));
  }

  async candles(symbol: string, timeframe: string, limit = 300): Promise<Candle[]> {
    const interval = intervalOf(timeframe);
    const span = timeframeMs(timeframe);
    if (interval === undefined || span === undefined) return [];
    const rows = await this.rest.klines(symbol, interval, limit);
    const receivedAt = this.now();
    return rows.map(([start, o, h, l, c, v, turnover]) => {
      const openTime = Number(start);
      return {
        kind: 'candle',
        exchange: this.market.id,
        symbol,
        exchangeTs: openTime,
        receivedAt,
        timeframe,
        openTime,
        open: Number(o),
        openStr: o,
        high: Number(h),
        highStr: h,
        low: Number(l),
        lowStr: l,
        close: Number(c),
        closeStr: c,
        volume: Number(v),
        volumeStr: v,
        quoteVolume: Number(turnover),
        // Months vary in length: a monthly bar is closed once a later one exists.
        closed: timeframe.endsWith('M') ? openTime !== Number(rows.at(-1)?.[0]) : openTime + span <= receivedAt,
      };
    });
  }

  dispose(): void {
    this.rest.dispose();
  }
}
