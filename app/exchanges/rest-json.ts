// JsonRest: the GET every venue's public REST client is built on. Bounded by a client-side
// rate limit and a timeout; HTTP 429 and 418 (too many requests, banned) become rate-limit
// errors carrying the venue's Retry-After; other failures say which call failed and why. What
// it returns is unchecked JSON (or the body's text, for a venue's own scanner): each venue
// validates it.

import { ExchangeConnectionError, ExchangeProtocolError, RateLimitError } from '../core/errors.js';
import { RateLimiter, type RateLimiterOptions } from '../core/rate-limiter.js';

export interface JsonRestOptions {
  /** The venue's id and its name for people (in error messages). */
  readonly exchange: string;
  readonly displayName: string;
  readonly baseUrl: string;
  readonly limit: RateLimiterOptions;
  readonly timeoutMs?: number;
}

export class JsonRest {
  private readonly limiter: RateLimiter;
  private readonly baseUrl: string;

  constructor(private readonly options: JsonRestOptions) {
    this.limiter = new RateLimiter({ name: `${options.displayName} REST`, maxWaiters: 200, ...options.limit });
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** GETs `pathAndQuery` and returns its parsed JSON body. */
  async get(pathAndQuery: string, signal?: AbortSignal): Promise<unknown> {
    const text = await this.getText(pathAndQuery, signal);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ExchangeProtocolError(`${this.options.displayName} REST ${pathAndQuery.split('?')[0] ?? ''} sent a body that is not JSON`, {
        exchange: this.options.exchange,
      });
    }
  }

  /** GETs `pathAndQuery` and returns its body as text (for a venue's own scanner). */
  async getText(pathAndQuery: string, signal?: AbortSignal): Promise<string> {
    const { exchange, displayName } = this.options;
    const what = `${displayName} REST ${pathAndQuery.split('?')[0] ?? ''}`;
    await this.limiter.acquire(1, signal);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, { signal: combined, headers: { accept: 'application/json' } });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ExchangeConnectionError(`${what} failed: ${timeout.aborted ? 'timed out' : String(error)}`, { exchange, cause: error });
    }
    if (response.status === 429 || response.status === 418) {
      await response.body?.cancel();
      const retryAfter = Number(response.headers.get('retry-after') ?? '2');
      throw new RateLimitError(`${displayName} REST says too many requests (HTTP ${response.status})`, (Number.isFinite(retryAfter) ? retryAfter : 2) * 1000, {
        exchange,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ExchangeConnectionError(`${displayName} REST answered HTTP ${response.status} for ${pathAndQuery.split('?')[0] ?? ''}`, { exchange });
    }
    try {
      return await response.text();
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ExchangeConnectionError(`${what} failed while reading its body: ${timeout.aborted ? 'timed out' : String(error)}`, { exchange, cause: error });
    }
  }

  dispose(): void {
    this.limiter.dispose();
  }
}
