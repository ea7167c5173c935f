// Coinbase Advanced Trade public REST calls we use (no key): products and product candles
// (`/api/v3/brokerage/market/…`). At most 350 candles per call; 10 public requests per second.
// https://docs.cdp.coinbase.com/advanced-trade/reference/retailbrokerageapi_getpublicproducts
// https://docs.cdp.coinbase.com/advanced-trade/reference/retailbrokerageapi_getpubliccandles

import { ExchangeProtocolError } from '../../core/errors.js';
import { JsonRest } from '../rest-json.js';
import { COINBASE } from './markets.js';

export interface CoinbaseProduct {
  readonly product_id: string;
  readonly base_currency_id: string;
  readonly quote_currency_id: string;
  readonly base_increment: string;
  readonly quote_increment: string;
  readonly price_increment?: string;
  readonly status: string;
  readonly trading_disabled?: boolean;
  readonly product_type?: string;
}

/** `{start (unix s), low, high, open, close, volume}`, all strings. */
export interface RestCandle {
  readonly start: string;
  readonly low: string;
  readonly high: string;
  readonly open: string;
  readonly close: string;
  readonly volume: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;
export const MAX_CANDLES_PER_CALL = 350;

export class CoinbaseRestClient {
  private readonly http: JsonRest;

  constructor(baseUrl: string, timeoutMs = 10_000) {
    this.http = new JsonRest({
      exchange: COINBASE.id,
      displayName: COINBASE.displayName,
      baseUrl,
      timeoutMs,
      limit: { capacity: 10, tokensPerInterval: 10, intervalMs: 1000 },
    });
  }

  async products(signal?: AbortSignal): Promise<CoinbaseProduct[]> {
    const body = (await this.http.get('/api/v3/brokerage/market/products?product_type=SPOT', signal)) as { products?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.products)) {
      throw new ExchangeProtocolError('Coinbase products has no product list', { exchange: COINBASE.id });
    }
    return (body.products as unknown[]).filter((p): p is CoinbaseProduct => {
      const v = p as Partial<CoinbaseProduct> | null;
      return (
        typeof v === 'object' &&
        v !== null &&
        typeof v.product_id === 'string' &&
        typeof v.base_currency_id === 'string' &&
        typeof v.quote_currency_id === 'string' &&
        typeof v.base_increment === 'string' &&
        typeof v.quote_increment === 'string' &&
        typeof v.status === 'string'
      );
    });
  }

  /** Candles of `granularity` between `start` and `end` (unix seconds), oldest first. */
  async candles(product: string, granularity: string, start: number, end: number, signal?: AbortSignal): Promise<RestCandle[]> {
    const body = (await this.http.get(
      `/api/v3/brokerage/market/products/${encodeURIComponent(product)}/candles?start=${start}&end=${end}&granularity=${granularity}&limit=${MAX_CANDLES_PER_CALL}`,
      signal,
    )) as { candles?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.candles)) {
      throw new ExchangeProtocolError('Coinbase candles has no candle list', { exchange: COINBASE.id });
    }
    const rows = body.candles as unknown[];
    for (const row of rows) {
      const c = row as Partial<RestCandle> | null;
      if (
        c === null ||
        typeof c !== 'object' ||
        typeof c.start !== 'string' ||
        !/^\d+$/.test(c.start) ||
        ![c.low, c.high, c.open, c.close, c.volume].every((v) => typeof v === 'string' && DECIMAL.test(v))
      ) {
        throw new ExchangeProtocolError('Coinbase sent a malformed REST candle', { exchange: COINBASE.id });
      }
    }
    // Coinbase lists the newest first.
    return (rows as RestCandle[]).slice().sort((a, b) => Number(a.start) - Number(b.start));
  }

  dispose(): void {
    this.http.dispose();
  }
}
