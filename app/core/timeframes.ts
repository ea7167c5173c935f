// Candle timeframes in our labels (`1m`, `1H`, `1D` …) and their lengths. Dependency-free: the
// host, the exchanges and the renderer all read it.

/** The timeframes the UI offers. */
export const UI_TIMEFRAMES = ['1m', '5m', '15m', '1H', '4H', '1D'] as const;
export type UiTimeframe = (typeof UI_TIMEFRAMES)[number];

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, H: 3_600_000, D: 86_400_000, W: 604_800_000 };

/** Length of a timeframe in ms (a month counts 30 days); undefined for a label we cannot read. */
export function timeframeMs(timeframe: string): number | undefined {
  const match = /^(\d+)([smHDWM])$/.exec(timeframe);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const unit = match[2] === 'M' ? 30 * 86_400_000 : UNIT_MS[match[2] ?? ''];
  return unit === undefined || count <= 0 ? undefined : count * unit;
}

/**
 * Periods missing between consecutive candles (open times ascending), for timeframes of a
 * fixed length. Months vary in length, so they are never reported as gaps.
 */
export function missingPeriods(openTimes: readonly number[], timeframe: string): number {
  const span = timeframeMs(timeframe);
  if (span === undefined || timeframe.endsWith('M')) return 0;
  let missing = 0;
  for (let i = 1; i < openTimes.length; i += 1) {
    const step = (openTimes[i] ?? 0) - (openTimes[i - 1] ?? 0);
    if (step > span) missing += Math.round(step / span) - 1;
  }
  return missing;
}
