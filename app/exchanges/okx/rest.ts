// OKX public REST calls we use: order-book snapshots and instrument lists. Bounded by a
// timeout and a client-side rate limit per endpoint, validated before use.

import { formatIssues } from '../../core/config.js';
import { ExchangeConnectionError, ExchangeProtocolError, RateLimitError } from '../../core/errors.js';
import { RateLimiter } from '../../core/rate-limiter.js';
import { okxBookSchema, okxCandleSchema, okxInstrumentSchema, okxRestEnvelopeSchema, okxBookOf, type OkxBook, type OkxInstrumentRow } from './messages.js';

const EXCHANGE = 'okx';

export interface OkxRestOptions {
  readonly baseUrl: string;
  readonly timeoutMs?: number;
}

export class OkxRestClient {
  // Documented limits: books 40 req / 2 s, instruments 20 req / 2 s (per IP).
  private readonly booksLimiter = new RateLimiter({ capacity: 20, tokensPerInterval: 20, intervalMs: 2000, name: 'OKX REST books', maxWaiters: 100 });
  private readonly instrumentsLimiter = new RateLimiter({
    capacity: 10,
    tokensPerInterval: 10,
    intervalMs: 2000,
    name: 'OKX REST instruments',
    maxWaiters: 20,
  });

  constructor(private readonly options: OkxRestOptions) {}

  /** `GET /api/v5/market/books?instId=…&sz=…` */
  async bookSnapshot(instId: string, depth = 400, signal?: AbortSignal): Promise<OkxBook> {
    await this.booksLimiter.acquire(1, signal);
    const data = await this.get(`/api/v5/market/books?instId=${encodeURIComponent(instId)}&sz=${depth}`, signal);
    const row = okxBookSchema.safeParse(data[0]);
    if (!row.success) {
      throw new ExchangeProtocolError(`OKX REST book snapshot for ${instId} is malformed: ${formatIssues(row.error).join('; ')}`, { exchange: EXCHANGE });
    }
    return okxBookOf(row.data);
  }

  /** `GET /api/v5/market/candles`: up to 300 recent candles of `bar`, oldest first. */
  async candles(instId: string, bar: string, limit = 300, signal?: AbortSignal): Promise<string[][]> {
    await this.booksLimiter.acquire(1, signal);
    const data = await this.get(
      `/api/v5/market/candles?instId=${encodeURIComponent(instId)}&bar=${encodeURIComponent(bar)}&limit=${Math.min(300, limit)}`,
      signal,
    );
    const rows: string[][] = [];
    for (const item of data) {
      const row = okxCandleSchema.safeParse(item);
      if (row.success) rows.push(row.data);
    }
    return rows.reverse();
  }

  /** `GET /api/v5/public/instruments?instType=…`; malformed rows are skipped and counted. */
  async instruments(instType: 'SPOT' | 'SWAP' | 'FUTURES', signal?: AbortSignal): Promise<{ rows: OkxInstrumentRow[]; skipped: number }> {
    await this.instrumentsLimiter.acquire(1, signal);
    const data = await this.get(`/api/v5/public/instruments?instType=${instType}`, signal);
    const rows: OkxInstrumentRow[] = [];
    let skipped = 0;
    for (const item of data) {
      const row = okxInstrumentSchema.safeParse(item);
      if (row.success) rows.push(row.data);
      else skipped += 1;
    }
    return { rows, skipped };
  }

  dispose(): void {
    this.booksLimiter.dispose();
    this.instrumentsLimiter.dispose();
  }

  private async get(pathAndQuery: string, signal?: AbortSignal): Promise<unknown[]> {
    const url = `${this.options.baseUrl}${pathAndQuery}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    try {
      response = await fetch(url, { signal: combined, headers: { accept: 'application/json' } });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ExchangeConnectionError(`OKX REST ${pathAndQuery.split('?')[0] ?? ''} failed: ${timeout.aborted ? 'timed out' : String(error)}`, {
        exchange: EXCHANGE,
        cause: error,
      });
    }
    if (response.status === 429) throw new RateLimitError('OKX REST says too many requests (HTTP 429)', 2000, { exchange: EXCHANGE });
    if (!response.ok) throw new ExchangeConnectionError(`OKX REST answered HTTP ${response.status} for ${pathAndQuery}`, { exchange: EXCHANGE });
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ExchangeProtocolError(`OKX REST sent a body that is not JSON for ${pathAndQuery}`, { exchange: EXCHANGE });
    }
    const envelope = okxRestEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw new ExchangeProtocolError(`OKX REST envelope malformed for ${pathAndQuery}`, { exchange: EXCHANGE });
    if (envelope.data.code !== '0') {
      throw new ExchangeProtocolError(`OKX REST error ${envelope.data.code}: ${envelope.data.msg}`, { exchange: EXCHANGE, exchangeCode: envelope.data.code });
    }
    return envelope.data.data;
  }
}
