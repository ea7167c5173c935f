// Binance public REST calls we use: depth snapshots, exchange info and klines, for spot
// (/api/v3) and USDⓈ-M futures (/fapi/v1). Bounded by a timeout and a client-side rate limit,
// validated before use; HTTP 429/418 (too many requests, banned) are rate-limit errors.

import { ExchangeConnectionError, ExchangeProtocolError, RateLimitError } from '../../core/errors.js';
import { RateLimiter } from '../../core/rate-limiter.js';
import type { BinanceMarket } from './markets.js';
import { asDepthSnapshot, asKlineRow, type DepthSnapshot } from './messages.js';

export interface BinanceSymbolInfo {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly contractType?: string;
  readonly filters: readonly { readonly filterType: string; readonly tickSize?: string; readonly stepSize?: string }[];
}

export class BinanceRestClient {
  // Request weight: 6000/min (spot), 2400/min (futures); a depth of 1000 weighs 50 and 20.
  private readonly limiter = new RateLimiter({ capacity: 10, tokensPerInterval: 10, intervalMs: 1000, name: 'Binance REST', maxWaiters: 200 });

  constructor(
    private readonly market: BinanceMarket,
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async depth(symbol: string, signal?: AbortSignal): Promise<DepthSnapshot> {
    const body = await this.get(`${this.market.paths.depth}?symbol=${encodeURIComponent(symbol)}&limit=${this.market.depthLimit}`, signal);
    return asDepthSnapshot(body);
  }

  async symbols(signal?: AbortSignal): Promise<BinanceSymbolInfo[]> {
    const body = (await this.get(this.market.paths.exchangeInfo, signal)) as { symbols?: unknown };
    if (!Array.isArray(body.symbols)) throw new ExchangeProtocolError('Binance exchangeInfo has no symbol list', { exchange: this.market.id });
    return (body.symbols as unknown[]).filter((s): s is BinanceSymbolInfo => {
      const v = s as Partial<BinanceSymbolInfo>;
      return (
        typeof v.symbol === 'string' &&
        typeof v.status === 'string' &&
        typeof v.baseAsset === 'string' &&
        typeof v.quoteAsset === 'string' &&
        Array.isArray(v.filters)
      );
    });
  }

  async klines(symbol: string, interval: string, limit: number, signal?: AbortSignal): Promise<ReturnType<typeof asKlineRow>[]> {
    const body = await this.get(
      `${this.market.paths.klines}?symbol=${encodeURIComponent(symbol)}&interval=${encodeURIComponent(interval)}&limit=${Math.min(1000, limit)}`,
      signal,
    );
    if (!Array.isArray(body)) throw new ExchangeProtocolError('Binance klines is not a list', { exchange: this.market.id });
    return body.map((row) => asKlineRow(row));
  }

  dispose(): void {
    this.limiter.dispose();
  }

  private async get(pathAndQuery: string, signal?: AbortSignal): Promise<unknown> {
    await this.limiter.acquire(1, signal);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, { signal: combined, headers: { accept: 'application/json' } });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ExchangeConnectionError(
        `${this.market.displayName} REST ${pathAndQuery.split('?')[0] ?? ''} failed: ${timeout.aborted ? 'timed out' : String(error)}`,
        { exchange: this.market.id, cause: error },
      );
    }
    if (response.status === 429 || response.status === 418) {
      const retryAfter = Number(response.headers.get('retry-after') ?? '2');
      throw new RateLimitError(`${this.market.displayName} REST says too many requests (HTTP ${response.status})`, retryAfter * 1000, {
        exchange: this.market.id,
      });
    }
    if (!response.ok)
      throw new ExchangeConnectionError(`${this.market.displayName} REST answered HTTP ${response.status} for ${pathAndQuery.split('?')[0] ?? ''}`, {
        exchange: this.market.id,
      });
    try {
      return await response.json();
    } catch {
      throw new ExchangeProtocolError(`${this.market.displayName} REST sent a body that is not JSON for ${pathAndQuery.split('?')[0] ?? ''}`, {
        exchange: this.market.id,
      });
    }
  }
}
