// OkxHistory: recent candles over REST (`GET /api/v5/market/candles`), normalized like the
// live candle channel, so a chart is full from the first moment.

import type { Candle } from '../../core/types.js';
import type { MarketHistory } from '../types.js';
import { okxDescriptor } from './descriptor.js';
import { parseCandles } from './parser.js';
import { OkxRestClient } from './rest.js';

export class OkxHistory implements MarketHistory {
  private readonly rest: OkxRestClient;

  constructor(restUrl?: string) {
    this.rest = new OkxRestClient({ baseUrl: (restUrl ?? okxDescriptor.endpoints.restUrl).replace(/\/+$/, '') });
  }

  async candles(symbol: string, timeframe: string, limit = 300): Promise<Candle[]> {
    const rows = await this.rest.candles(symbol, timeframe, limit);
    return parseCandles({ arg: { channel: `candle${timeframe}`, instId: symbol }, data: rows }, Date.now());
  }

  dispose(): void {
    this.rest.dispose();
  }
}
