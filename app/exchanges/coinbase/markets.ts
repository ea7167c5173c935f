// Coinbase Advanced Trade (spot) as this app names it: `coinbase`, the public market-data
// WebSocket and the public REST market endpoints (`/api/v3/brokerage/market/…`, no key).
// Names of the venue stay in this folder.
// https://docs.cdp.coinbase.com/advanced-trade/docs/ws-overview

export const COINBASE = {
  id: 'coinbase',
  displayName: 'Coinbase',
  wsUrl: 'wss://advanced-trade-ws.coinbase.com',
  restUrl: 'https://api.coinbase.com',
} as const;

/** Our timeframe labels and Coinbase's REST granularities (4H is built from hours). */
const GRANULARITIES: Readonly<Record<string, { readonly name: string; readonly hoursPerBar?: number }>> = {
  '1m': { name: 'ONE_MINUTE' },
  '5m': { name: 'FIVE_MINUTE' },
  '15m': { name: 'FIFTEEN_MINUTE' },
  '30m': { name: 'THIRTY_MINUTE' },
  '1H': { name: 'ONE_HOUR' },
  '2H': { name: 'TWO_HOUR' },
  '4H': { name: 'ONE_HOUR', hoursPerBar: 4 },
  '6H': { name: 'SIX_HOUR' },
  '1D': { name: 'ONE_DAY' },
};

export const COINBASE_TIMEFRAMES = Object.keys(GRANULARITIES);

/** The only timeframe the WebSocket `candles` channel carries; the others are built from trades. */
export const STREAMED_TIMEFRAME = '5m';

export function granularityOf(timeframe: string): { readonly name: string; readonly hoursPerBar?: number } | undefined {
  return GRANULARITIES[timeframe];
}
