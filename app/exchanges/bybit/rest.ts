// Bybit v5 public REST calls we use: instruments and klines (`/v5/market/…`, category
// `linear` or `spot`). Every answer is `{retCode, retMsg, result}`; a non-zero retCode is the
// venue's refusal. 600 requests per 5 s per IP.
// https://bybit-exchange.github.io/docs/v5/market/instrument
// https://bybit-exchange.github.io/docs/v5/market/kline

import { ExchangeProtocolError, RateLimitError } from '../../core/errors.js';
import { JsonRest } from '../rest-json.js';
import type { BybitMarket } from './markets.js';
import { asKlineRow, type KlineRow } from './messages.js';

export interface BybitInstrumentRow {
  readonly symbol: string;
  readonly status: string;
  readonly baseCoin: string;
  readonly quoteCoin: string;
  readonly contractType?: string;
  readonly priceFilter: { readonly tickSize?: string };
  readonly lotSizeFilter: { readonly qtyStep?: string; readonly basePrecision?: string };
}

/** Pages of instruments asked for at most (1000 each). */
const MAX_PAGES = 20;

export class BybitRestClient {
  private readonly http: JsonRest;

  constructor(
    private readonly market: BybitMarket,
    baseUrl: string,
    timeoutMs = 10_000,
  ) {
    this.http = new JsonRest({
      exchange: market.id,
      displayName: market.displayName,
      baseUrl,
      timeoutMs,
      limit: { capacity: 10, tokensPerInterval: 10, intervalMs: 1000 },
    });
  }

  async instruments(signal?: AbortSignal): Promise<BybitInstrumentRow[]> {
    const rows: BybitInstrumentRow[] = [];
    let cursor = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await this.call(
        `/v5/market/instruments-info?category=${this.market.category}&limit=1000${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        signal,
      );
      const list = result['list'];
      if (!Array.isArray(list)) throw new ExchangeProtocolError('Bybit instruments-info has no list', { exchange: this.market.id });
      for (const item of list as unknown[]) if (isInstrumentRow(item)) rows.push(item);
      const next = result['nextPageCursor'];
      if (typeof next !== 'string' || next === '') return rows;
      cursor = next;
    }
    return rows;
  }

  /** Klines, oldest first. */
  async klines(symbol: string, interval: string, limit: number, signal?: AbortSignal): Promise<KlineRow[]> {
    const result = await this.call(
      `/v5/market/kline?category=${this.market.category}&symbol=${encodeURIComponent(symbol)}&interval=${encodeURIComponent(interval)}&limit=${Math.min(1000, Math.max(1, limit))}`,
      signal,
    );
    const list = result['list'];
    if (!Array.isArray(list)) throw new ExchangeProtocolError('Bybit kline has no list', { exchange: this.market.id });
    // Bybit lists the newest first.
    return (list as unknown[]).map((row) => asKlineRow(row)).reverse();
  }

  dispose(): void {
    this.http.dispose();
  }

  private async call(pathAndQuery: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const body = (await this.http.get(pathAndQuery, signal)) as { retCode?: unknown; retMsg?: unknown; result?: unknown } | null;
    const path = pathAndQuery.split('?')[0] ?? '';
    if (body === null || typeof body !== 'object') throw new ExchangeProtocolError(`Bybit ${path} sent no object`, { exchange: this.market.id });
    if (body.retCode !== 0) {
      const message = `Bybit refused ${path} (${String(body.retCode)}): ${String(body.retMsg)}`;
      // 10006: too many visits.
      if (body.retCode === 10006) throw new RateLimitError(message, 2000, { exchange: this.market.id, exchangeCode: '10006' });
      throw new ExchangeProtocolError(message, { exchange: this.market.id, exchangeCode: String(body.retCode) });
    }
    if (typeof body.result !== 'object' || body.result === null) throw new ExchangeProtocolError(`Bybit ${path} has no result`, { exchange: this.market.id });
    return body.result as Record<string, unknown>;
  }
}

function isInstrumentRow(value: unknown): value is BybitInstrumentRow {
  const v = value as Partial<BybitInstrumentRow> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.symbol === 'string' &&
    typeof v.status === 'string' &&
    typeof v.baseCoin === 'string' &&
    typeof v.quoteCoin === 'string' &&
    typeof v.priceFilter === 'object' &&
    v.priceFilter !== null &&
    typeof v.lotSizeFilter === 'object' &&
    v.lotSizeFilter !== null
  );
}
