// Binance public REST calls we use: depth snapshots, exchange info and klines, for spot
// (/api/v3) and USDⓈ-M futures (/fapi/v1). Bounded by a timeout and a client-side rate limit,
// validated before use; HTTP 429/418 (too many requests, banned) are rate-limit errors.

import { ExchangeProtocolError } from '../../core/errors.js';
import { JsonRest } from '../rest-json.js';
import type { BinanceMarket } from './markets.js';
import { scanDepthSnapshot } from './book-scan.js';
import { asKlineRow, type DepthSnapshot } from './messages.js';

export interface BinanceSymbolInfo {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly contractType?: string;
  readonly filters: readonly { readonly filterType: string; readonly tickSize?: string; readonly stepSize?: string }[];
}

export class BinanceRestClient {
  private readonly http: JsonRest;

  constructor(
    private readonly market: BinanceMarket,
    baseUrl: string,
    timeoutMs = 10_000,
  ) {
    // Request weight: 6000/min (spot), 2400/min (futures); a depth of 1000 weighs 50 and 20.
    this.http = new JsonRest({
      exchange: market.id,
      displayName: market.displayName,
      baseUrl,
      timeoutMs,
      limit: { capacity: 10, tokensPerInterval: 10, intervalMs: 1000 },
    });
  }

  async depth(symbol: string, signal?: AbortSignal): Promise<DepthSnapshot> {
    // Thousands of levels: read in one checked pass.
    return scanDepthSnapshot(
      await this.http.getText(`${this.market.paths.depth}?symbol=${encodeURIComponent(symbol)}&limit=${this.market.depthLimit}`, signal),
    );
  }

  async symbols(signal?: AbortSignal): Promise<BinanceSymbolInfo[]> {
    const body = (await this.http.get(this.market.paths.exchangeInfo, signal)) as { symbols?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.symbols)) {
      throw new ExchangeProtocolError('Binance exchangeInfo has no symbol list', { exchange: this.market.id });
    }
    return (body.symbols as unknown[]).filter((s): s is BinanceSymbolInfo => {
      const v = s as Partial<BinanceSymbolInfo> | null;
      return (
        typeof v === 'object' &&
        v !== null &&
        typeof v.symbol === 'string' &&
        typeof v.status === 'string' &&
        typeof v.baseAsset === 'string' &&
        typeof v.quoteAsset === 'string' &&
        Array.isArray(v.filters)
      );
    });
  }

  async klines(symbol: string, interval: string, limit: number, signal?: AbortSignal): Promise<ReturnType<typeof asKlineRow>[]> {
    const body = await this.http.get(
      `${this.market.paths.klines}?symbol=${encodeURIComponent(symbol)}&interval=${encodeURIComponent(interval)}&limit=${Math.min(1000, limit)}`,
      signal,
    );
    if (!Array.isArray(body)) throw new ExchangeProtocolError('Binance klines is not a list', { exchange: this.market.id });
    return body.map((row) => asKlineRow(row));
  }

  /** Open interest of a futures symbol (weight 1), as Binance wrote it (text, checked by the caller). */
  async openInterest(symbol: string, signal?: AbortSignal): Promise<string> {
    const path = this.market.paths.openInterest;
    if (path === undefined) throw new ExchangeProtocolError(`${this.market.displayName} has no open interest`, { exchange: this.market.id });
    return this.http.getText(`${path}?symbol=${encodeURIComponent(symbol)}`, signal);
  }

  dispose(): void {
    this.http.dispose();
  }
}
