// Kraken public REST calls we use: AssetPairs (instruments and their precision) and OHLC
// (candle history, at most 720 rows). Every answer is `{error:[…], result:{…}}`; a non-empty
// error list is Kraken's refusal (`EGeneral:Too many requests` is a rate limit). REST names
// pairs its own way (XXBTZUSD, wsname XBT/USD); v2 names (BTC/USD) are derived from `wsname`.
// https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs
// https://docs.kraken.com/api/docs/rest-api/get-ohlc-data

import { ExchangeProtocolError, RateLimitError } from '../../core/errors.js';
import { JsonRest } from '../rest-json.js';
import { KRAKEN, krakenPair } from './markets.js';

export interface KrakenPairInfo {
  /** The v2 name (`BTC/USD`). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly priceDecimals: number;
  readonly lotDecimals: number;
  readonly tickSize: string | undefined;
  readonly online: boolean;
}

/** `[time (s), open, high, low, close, vwap, volume, count]`. */
export type OhlcRow = readonly [number, string, string, string, string, string, string, number];

const DECIMAL = /^\d+(\.\d+)?$/;

export class KrakenRestClient {
  private readonly http: JsonRest;

  constructor(baseUrl: string, timeoutMs = 10_000) {
    // Public calls: about one a second sustained.
    this.http = new JsonRest({
      exchange: KRAKEN.id,
      displayName: KRAKEN.displayName,
      baseUrl,
      timeoutMs,
      limit: { capacity: 5, tokensPerInterval: 1, intervalMs: 1000 },
    });
  }

  async pairs(signal?: AbortSignal): Promise<KrakenPairInfo[]> {
    const result = await this.call('/0/public/AssetPairs', signal);
    const out: KrakenPairInfo[] = [];
    for (const value of Object.values(result)) {
      const p = value as { wsname?: unknown; pair_decimals?: unknown; lot_decimals?: unknown; tick_size?: unknown; status?: unknown } | null;
      if (p === null || typeof p !== 'object' || typeof p.wsname !== 'string' || typeof p.pair_decimals !== 'number' || typeof p.lot_decimals !== 'number')
        continue;
      const symbol = krakenPair(p.wsname);
      const [base, quote] = symbol.split('/');
      if (base === undefined || quote === undefined) continue;
      out.push({
        symbol,
        base,
        quote,
        priceDecimals: p.pair_decimals,
        lotDecimals: p.lot_decimals,
        tickSize: typeof p.tick_size === 'string' ? p.tick_size : undefined,
        online: p.status === undefined || p.status === 'online',
      });
    }
    return out;
  }

  /** OHLC rows of `interval` minutes, oldest first (the last one still forming). */
  async ohlc(symbol: string, interval: number, signal?: AbortSignal): Promise<OhlcRow[]> {
    const result = await this.call(`/0/public/OHLC?pair=${encodeURIComponent(symbol.replace('/', ''))}&interval=${interval}`, signal);
    const key = Object.keys(result).find((k) => k !== 'last');
    const rows = key === undefined ? undefined : result[key];
    if (!Array.isArray(rows)) throw new ExchangeProtocolError('Kraken OHLC has no rows', { exchange: KRAKEN.id });
    for (const row of rows as unknown[]) {
      const r = row as unknown[];
      if (!Array.isArray(r) || r.length < 8 || typeof r[0] !== 'number' || ![1, 2, 3, 4, 5, 6].every((i) => typeof r[i] === 'string' && DECIMAL.test(r[i]))) {
        throw new ExchangeProtocolError('Kraken sent a malformed OHLC row', { exchange: KRAKEN.id });
      }
    }
    return rows as OhlcRow[];
  }

  dispose(): void {
    this.http.dispose();
  }

  private async call(pathAndQuery: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const body = (await this.http.get(pathAndQuery, signal)) as { error?: unknown; result?: unknown } | null;
    const path = pathAndQuery.split('?')[0] ?? '';
    if (body === null || typeof body !== 'object') throw new ExchangeProtocolError(`Kraken ${path} sent no object`, { exchange: KRAKEN.id });
    const errors = Array.isArray(body.error) ? (body.error as unknown[]).filter((e): e is string => typeof e === 'string') : [];
    if (errors.length > 0) {
      const message = `Kraken refused ${path}: ${errors.join('; ')}`;
      if (errors.some((e) => /too many requests|rate limit/i.test(e))) throw new RateLimitError(message, 2000, { exchange: KRAKEN.id });
      throw new ExchangeProtocolError(message, { exchange: KRAKEN.id });
    }
    if (typeof body.result !== 'object' || body.result === null) throw new ExchangeProtocolError(`Kraken ${path} has no result`, { exchange: KRAKEN.id });
    return body.result as Record<string, unknown>;
  }
}
