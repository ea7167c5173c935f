// ccxt pro's book handlers driven without a network: an exchange instance given the markets
// of a stream and a fake WebSocket client that records what the handler resolves (and throws
// what it rejects, so that a figure is never taken on a broken book). The handler gets each
// text through JSON.parse, as ccxt's own client does. Bench use only (ccxt is a devDependency).

import ccxt from 'ccxt';

export interface CcxtMarket {
  readonly id: string;
  readonly symbol: string;
  readonly type: 'spot' | 'swap' | 'future';
  readonly base: string;
  readonly quote: string;
  readonly settle?: string;
  readonly linear?: boolean;
}

interface CcxtBook {
  readonly bids: readonly (readonly number[])[];
  readonly asks: readonly (readonly number[])[];
  reset(snapshot: object): void;
  cache: unknown[];
}

interface WsExchange {
  setMarkets(markets: object[]): void;
  handleMessage(client: FakeClient, message: unknown): void;
  orderBook(snapshot?: object, depth?: number): CcxtBook;
  orderbooks: Record<string, CcxtBook>;
}

export interface FakeClient {
  readonly url: string;
  readonly subscriptions: Record<string, unknown>;
  readonly futures: Record<string, unknown>;
  resolved: number;
  resolve(value: unknown, hash: string): void;
  reject(error: unknown, hash?: string): void;
}

export type CcxtVenue = 'okx' | 'binance' | 'bybit' | 'coinbase' | 'kraken';

export interface CcxtHarness {
  readonly exchange: WsExchange;
  readonly client: FakeClient;
  /** JSON.parse + the venue's handleMessage, as ccxt's client runs each frame. */
  feed(text: string): void;
}

/** A fresh exchange and client for one pass; `hashes`: the subscriptions the client holds. */
export function ccxtHarness(venue: CcxtVenue, markets: readonly CcxtMarket[], hashes: readonly string[], url = 'wss://stream.example/spot'): CcxtHarness {
  const pro = ccxt.pro as unknown as Record<CcxtVenue, new (config: object) => WsExchange>;
  const exchange = new pro[venue]({});
  exchange.setMarkets(
    markets.map((m) => ({
      id: m.id,
      symbol: m.symbol,
      base: m.base,
      quote: m.quote,
      baseId: m.base,
      quoteId: m.quote,
      settle: m.settle,
      type: m.type,
      spot: m.type === 'spot',
      swap: m.type === 'swap',
      future: m.type === 'future',
      contract: m.type !== 'spot',
      linear: m.linear,
      inverse: m.linear === undefined ? undefined : !m.linear,
      active: true,
      precision: { price: 0.1, amount: 0.0001 },
      limits: {},
    })),
  );
  const client: FakeClient = {
    url,
    subscriptions: Object.fromEntries(hashes.map((h) => [h, true])),
    futures: {},
    resolved: 0,
    resolve() {
      this.resolved += 1;
    },
    reject(error) {
      throw error instanceof Error ? error : new Error(String(error));
    },
  };
  return { exchange, client, feed: (text) => exchange.handleMessage(client, JSON.parse(text)) };
}
