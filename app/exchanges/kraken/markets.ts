// Kraken Spot (WebSocket v2) as this app names it: `kraken`, pairs spelled `BTC/USD` (v2 names;
// v1 and REST say XBT and XDG). Names of the venue stay in this folder.
// https://docs.kraken.com/api/docs/websocket-v2/book

export const KRAKEN = {
  id: 'kraken',
  displayName: 'Kraken',
  wsUrl: 'wss://ws.kraken.com/v2',
  restUrl: 'https://api.kraken.com',
} as const;

export const KRAKEN_BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;
export const KRAKEN_DEFAULT_BOOK_DEPTH = 500;

/** Our timeframe labels and Kraken's OHLC intervals (minutes). */
const INTERVALS: Readonly<Record<string, number>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1H': 60,
  '4H': 240,
  '1D': 1440,
  '1W': 10080,
};

export const KRAKEN_TIMEFRAMES = Object.keys(INTERVALS);

export function intervalOf(timeframe: string): number | undefined {
  return INTERVALS[timeframe];
}

export function timeframeOfInterval(interval: number): string | undefined {
  return Object.entries(INTERVALS).find(([, i]) => i === interval)?.[0];
}

/** A pair in v2's spelling: `xbt-usd` → `BTC/USD`. */
export function krakenPair(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[-_\s]/g, '/')
    .split('/')
    .map((asset) => (asset === 'XBT' ? 'BTC' : asset === 'XDG' ? 'DOGE' : asset))
    .join('/');
}
