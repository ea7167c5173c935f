// Recent Kraken candles over REST (OHLC, up to 720 rows), normalized like the `ohlc` stream.
// Kraken's last row is the bar still forming.

import type { Candle } from '../../core/types.js';
import type { MarketHistory } from '../types.js';
import { intervalOf, KRAKEN } from './markets.js';
import { KrakenRestClient } from './rest.js';

export class KrakenHistory implements MarketHistory {
  private readonly rest: KrakenRestClient;

  constructor(
    restUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.rest = new KrakenRestClient(restUrl.replace(/\/+$/, ''));
  }

  async candles(symbol: string, timeframe: string, limit = 300): Promise<Candle[]> {
    const interval = intervalOf(timeframe);
    if (interval === undefined) return [];
    const rows = (await this.rest.ohlc(symbol, interval)).slice(-limit);
    const receivedAt = this.now();
    return rows.map(([time, o, h, l, c, vwap, volume], i) => ({
      kind: 'candle' as const,
      exchange: KRAKEN.id,
      symbol,
      exchangeTs: time * 1000,
      receivedAt,
      timeframe,
      openTime: time * 1000,
      open: Number(o),
      openStr: o,
      high: Number(h),
      highStr: h,
      low: Number(l),
      lowStr: l,
      close: Number(c),
      closeStr: c,
      volume: Number(volume),
      volumeStr: volume,
      quoteVolume: Number(vwap) * Number(volume),
      closed: i < rows.length - 1,
    }));
  }

  dispose(): void {
    this.rest.dispose();
  }
}
