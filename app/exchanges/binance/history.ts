// Recent Binance candles over REST (`/api/v3/klines`, `/fapi/v1/klines`), normalized like the
// kline stream, so a chart is full from the first moment. A row is closed once its close
// time has passed.

import type { Candle } from '../../core/types.js';
import type { MarketHistory } from '../types.js';
import { intervalOf, type BinanceMarket } from './markets.js';
import { BinanceRestClient } from './rest.js';

export class BinanceHistory implements MarketHistory {
  private readonly rest: BinanceRestClient;

  constructor(
    private readonly market: BinanceMarket,
    restUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.rest = new BinanceRestClient(market, restUrl.replace(/\/+$/, ''));
  }

  async candles(symbol: string, timeframe: string, limit = 300): Promise<Candle[]> {
    const interval = intervalOf(timeframe);
    if (interval === undefined) return [];
    const rows = await this.rest.klines(symbol, interval, limit);
    const receivedAt = this.now();
    return rows.map(([openTime, o, h, l, c, v, closeTime, q]) => ({
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
      quoteVolume: Number(q),
      closed: closeTime < receivedAt,
    }));
  }

  dispose(): void {
    this.rest.dispose();
  }
}
