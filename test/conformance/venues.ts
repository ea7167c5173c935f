// The venues the conformance suite runs against, each through its loopback simulator. Adding a
// venue to the app means adding its entry here: how to start its simulator, which two symbols
// to use, and how to make its collectors (on one connection pool with short keep-alive timings,
// so that a stall is noticed within the test's patience).

import type { BaseDataCollector, CollectorOptions } from '../../app/core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../app/core/config.js';
import { BinanceCollector } from '../../app/exchanges/binance/collector.js';
import { BinanceConnectionPool } from '../../app/exchanges/binance/connection.js';
import { BybitCollector } from '../../app/exchanges/bybit/collector.js';
import { BybitConnectionPool } from '../../app/exchanges/bybit/connection.js';
import { CoinbaseCollector } from '../../app/exchanges/coinbase/collector.js';
import { CoinbaseConnectionPool } from '../../app/exchanges/coinbase/connection.js';
import { KrakenCollector } from '../../app/exchanges/kraken/collector.js';
import { KrakenConnectionPool } from '../../app/exchanges/kraken/connection.js';
import { OkxCollector } from '../../app/exchanges/okx/collector.js';
import { OkxConnectionPool } from '../../app/exchanges/okx/connection.js';
import { BinanceSimulator } from '../sim/binance/server.js';
import { BybitSimulator } from '../sim/bybit/server.js';
import { CoinbaseSimulator } from '../sim/coinbase/server.js';
import { KrakenSimulator } from '../sim/kraken/server.js';
import type { CommonFault, FaultOptions } from '../sim/core/server.js';
import { OkxSimulator } from '../sim/okx/server.js';

export interface LevelStrings {
  readonly bids: readonly string[];
  readonly asks: readonly string[];
}

/** What the suite needs of a venue's simulator. */
export interface VenueSimulator {
  /** `customParams` that point a collector at the simulator. */
  readonly customParams: { readonly wsUrl: string; readonly restUrl: string };
  inject(kind: CommonFault, symbol?: string, options?: FaultOptions): number;
  /** Open connections of this venue (subscribed to `symbol`, when given). */
  open(symbol?: string): readonly { readonly received: readonly string[] }[];
  /** The venue's true book of `symbol` right after sequence id `id` (`price:size` per level). */
  bookAt(symbol: string, id: number): LevelStrings | undefined;
  close(): Promise<void>;
}

/** Collectors of one venue sharing one connection pool. */
export interface CollectorKit {
  collector(config: ExchangeCollectorConfig, options?: CollectorOptions): BaseDataCollector;
  /** Connections the pool holds. */
  connections(): number;
}

export interface VenueUnderTest {
  /** Registry id (also the exchange name of its tardis exports). */
  readonly exchange: string;
  /** Two symbols the simulator lists, in the venue's own spelling. */
  readonly symbols: readonly [string, string];
  /** A well-formed symbol the venue does not list. */
  readonly unknownSymbol: string;
  /**
   * How a lost book update shows: a break in the venue's sequence (most venues), or only as a
   * checksum mismatch (Kraken numbers nothing).
   */
  readonly integrity?: 'sequence' | 'checksum';
  /** Candle timeframes to subscribe, in our labels. */
  readonly timeframes: readonly string[];
  startSimulator(options?: { readonly maxBufferedBytes?: number }): Promise<VenueSimulator>;
  kit(): CollectorKit;
}

const KEEP_ALIVE = { idleMs: 300, pongTimeoutMs: 300 } as const;
const TICK_MS = 20;

const okx: VenueUnderTest = {
  exchange: 'okx',
  symbols: ['BTC-USDT', 'ETH-USDT'],
  unknownSymbol: 'FOO-USDT',
  timeframes: ['1m', '1s'],
  async startSimulator(options = {}) {
    const sim = await OkxSimulator.start({ tickMs: TICK_MS, trackBooks: true, ...options });
    return {
      customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
      inject: (kind, symbol, faultOptions) => sim.inject(kind, symbol, faultOptions),
      open: (symbol) => sim.open(symbol),
      bookAt: (symbol, id) => sim.bookAt(symbol, id),
      close: () => sim.close(),
    };
  },
  kit() {
    const pool = new OkxConnectionPool(KEEP_ALIVE);
    return { collector: (config, options = {}) => new OkxCollector(config, { ...options, pool }), connections: () => pool.count() };
  },
};

function binance(exchange: 'binance' | 'binance-futures'): VenueUnderTest {
  const market = exchange === 'binance' ? 'spot' : 'futures';
  return {
    exchange,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    unknownSymbol: 'FOOUSDT',
    timeframes: ['1m', '5m'],
    async startSimulator(options = {}) {
      const sim = await BinanceSimulator.start({ tickMs: TICK_MS, trackBooks: true, ...options });
      return {
        customParams: { wsUrl: sim.wsUrl(market), restUrl: sim.restUrl },
        inject: (kind, symbol, faultOptions) => sim.inject(kind, symbol, faultOptions),
        open: (symbol) => sim.open(symbol).filter((c) => c.market === market),
        bookAt: (symbol, id) => sim.bookAt(market, symbol, id),
        close: () => sim.close(),
      };
    },
    kit() {
      const pool = new BinanceConnectionPool(KEEP_ALIVE);
      return { collector: (config, options = {}) => new BinanceCollector(config, { ...options, pool }), connections: () => pool.count() };
    },
  };
}

function bybit(exchange: 'bybit' | 'bybit-spot'): VenueUnderTest {
  const market = exchange === 'bybit' ? 'linear' : 'spot';
  return {
    exchange,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    unknownSymbol: 'FOOUSDT',
    timeframes: ['1m', '5m'],
    async startSimulator(options = {}) {
      const sim = await BybitSimulator.start({ tickMs: TICK_MS, trackBooks: true, ...options });
      return {
        customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
        inject: (kind, symbol, faultOptions) => sim.inject(kind, symbol, faultOptions),
        open: (symbol) => sim.open(symbol).filter((c) => c.market === market),
        bookAt: (symbol, id) => sim.bookAt(market, symbol, id),
        close: () => sim.close(),
      };
    },
    kit() {
      const pool = new BybitConnectionPool(KEEP_ALIVE);
      return { collector: (config, options = {}) => new BybitCollector(config, { ...options, pool }), connections: () => pool.count() };
    },
  };
}

const coinbase: VenueUnderTest = {
  exchange: 'coinbase',
  symbols: ['BTC-USD', 'ETH-USD'],
  unknownSymbol: 'FOO-USD',
  timeframes: ['1m', '5m'],
  async startSimulator(options = {}) {
    const sim = await CoinbaseSimulator.start({ tickMs: TICK_MS, trackBooks: true, ...options });
    return {
      customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
      inject: (kind, symbol, faultOptions) => sim.inject(kind, symbol, faultOptions),
      open: (symbol) => sim.open(symbol),
      bookAt: (symbol, id) => sim.bookAt(symbol, id),
      close: () => sim.close(),
    };
  },
  kit() {
    const pool = new CoinbaseConnectionPool(KEEP_ALIVE);
    return { collector: (config, options = {}) => new CoinbaseCollector(config, { ...options, pool }), connections: () => pool.count() };
  },
};

const kraken: VenueUnderTest = {
  exchange: 'kraken',
  symbols: ['BTC/USD', 'ETH/USD'],
  unknownSymbol: 'FOO/USD',
  integrity: 'checksum',
  timeframes: ['1m', '5m'],
  async startSimulator(options = {}) {
    const sim = await KrakenSimulator.start({ tickMs: TICK_MS, trackBooks: true, ...options });
    return {
      customParams: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
      inject: (kind, symbol, faultOptions) => sim.inject(kind, symbol, faultOptions),
      open: (symbol) => sim.open(symbol),
      bookAt: (symbol, id) => sim.bookAt(symbol, id),
      close: () => sim.close(),
    };
  },
  kit() {
    const pool = new KrakenConnectionPool(KEEP_ALIVE);
    return { collector: (config, options = {}) => new KrakenCollector(config, { ...options, pool }), connections: () => pool.count() };
  },
};

export const VENUES: readonly VenueUnderTest[] = [okx, binance('binance'), binance('binance-futures'), bybit('bybit'), bybit('bybit-spot'), coinbase, kraken];
