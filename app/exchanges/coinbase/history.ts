// Recent Coinbase candles over REST (public product candles), normalized like the live ones,
// so a chart is full from the first moment; 4H bars are built from hours (Coinbase has no
// 4-hour granularity). A bar is closed once its period has passed.

import { timeframeMs } from '../../core/timeframes.js';
import type { Candle } from '../../core/types.js';
import type { MarketHistory } from '../types.js';
import { COINBASE, granularityOf } from './markets.js';
import { CoinbaseRestClient, MAX_CANDLES_PER_CALL, type RestCandle } from './rest.js';

export class CoinbaseHistory implements MarketHistory {
  private readonly rest: CoinbaseRestClient;

  constructor(
    restUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.rest = new CoinbaseRestClient(restUrl.replace(/\/+$/, ''));
  }

  async candles(symbol: string, timeframe: string, limit = 300): Promise<Candle[]> {
    const granularity = granularityOf(timeframe);
    const span = timeframeMs(timeframe);
    if (granularity === undefined || span === undefined) return [];
    const per = granularity.hoursPerBar ?? 1;
    const rowSpan = span / per;
    const rows = Math.min(MAX_CANDLES_PER_CALL, limit * per);
    const receivedAt = this.now();
    const end = Math.floor(receivedAt / 1000);
    const start = end - Math.floor((rows * rowSpan) / 1000);
    const raw = await this.rest.candles(symbol, granularity.name, start, end);
    // The oldest grouped bar may have begun before the hours asked for: only whole ones are kept.
    const bars =
      per === 1 ? raw.map((r) => ({ openTime: Number(r.start) * 1000, rows: [r] })) : group(raw, span).filter((b, i) => i > 0 || b.rows.length === per);
    return bars.slice(-limit).map(({ openTime, rows: parts }) => {
      const first = parts[0] as RestCandle;
      const last = parts[parts.length - 1] as RestCandle;
      const high = Math.max(...parts.map((p) => Number(p.high)));
      const low = Math.min(...parts.map((p) => Number(p.low)));
      const volume = parts.reduce((sum, p) => sum + Number(p.volume), 0);
      const one = parts.length === 1;
      return {
        kind: 'candle' as const,
        exchange: COINBASE.id,
        symbol,
        exchangeTs: openTime,
        receivedAt,
        timeframe,
        openTime,
        open: Number(first.open),
        openStr: first.open,
        high,
        highStr: one ? first.high : String(high),
        low,
        lowStr: one ? first.low : String(low),
        close: Number(last.close),
        closeStr: last.close,
        volume,
        volumeStr: one ? first.volume : String(Number(volume.toPrecision(15))),
        closed: openTime + span <= receivedAt,
      };
    });
  }

  dispose(): void {
    this.rest.dispose();
  }
}

/** Hourly rows grouped into bars of `span` aligned on UTC. */
function group(rows: readonly RestCandle[], span: number): { openTime: number; rows: RestCandle[] }[] {
  const bars = new Map<number, RestCandle[]>();
  for (const row of rows) {
    const openTime = Math.floor((Number(row.start) * 1000) / span) * span;
    bars.set(openTime, [...(bars.get(openTime) ?? []), row]);
  }
  return [...bars].sort(([a], [b]) => a - b).map(([openTime, parts]) => ({ openTime, rows: parts }));
}
