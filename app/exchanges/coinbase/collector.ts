// CoinbaseCollector: one Coinbase Advanced Trade product on the stream-collector kit. Its
// channels (level2, market_trades, ticker, candles, and always heartbeats) share one
// connection; the book is Coinbase's snapshot then absolute updates, and its integrity is the
// connection's `sequence_num` (lost frames rebuild every book of the connection, by
// resubscribing). Candles other than the socket's 5-minute bars are built from trades, their
// current bar seeded from REST so that it is whole from the first moment.

import type { CollectorOptions } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { StreamCollector } from '../stream-collector.js';
import type { FeedSink } from '../types.js';
import { COINBASE_CODEC, coinbaseConnections, type CoinbaseArg, type CoinbaseChannel, type CoinbaseConnectionPool } from './connection.js';
import { CoinbaseFeedProcessor } from './feed-processor.js';
import { CoinbaseHistory } from './history.js';
import { COINBASE, granularityOf } from './markets.js';

export interface CoinbaseCollectorOptions extends CollectorOptions {
  readonly pool?: CoinbaseConnectionPool;
}

/** How long before a bar built from trades asks REST for its seed again. */
const SEED_RETRY_MS = 30_000;

const CHANNELS: Readonly<Record<string, CoinbaseChannel>> = { orderbook: 'level2', trade: 'market_trades', ticker: 'ticker' };

function timeframesOf(config: ExchangeCollectorConfig): string[] {
  if (!config.dataTypes.includes('candles')) return [];
  return (config.customParams.candleTimeframes ?? ['1m']).filter((t) => granularityOf(t) !== undefined);
}

/** The channels of a product: its data types, candles (5m on the socket, trades for the rest), and heartbeats. */
export function coinbaseArgs(product: string, dataTypes: readonly string[], timeframes: readonly string[]): CoinbaseArg[] {
  const channels = new Set<CoinbaseChannel>();
  for (const type of dataTypes) {
    const channel = CHANNELS[type];
    if (channel !== undefined) channels.add(channel);
  }
  if (timeframes.includes('5m')) channels.add('candles');
  if (timeframes.some((t) => t !== '5m')) channels.add('market_trades');
  // Quiet channels close after 60–90 s without updates; heartbeats keep them open.
  channels.add('heartbeats');
  return [...channels].map((channel) => ({ channel, product }));
}

export class CoinbaseCollector extends StreamCollector<CoinbaseArg, CoinbaseFeedProcessor> {
  private history: CoinbaseHistory | undefined;
  private seeding = false;
  /** No new seed before this time (REST unreachable, or no bar yet for the current period). */
  private seedAfter = 0;

  constructor(config: ExchangeCollectorConfig, options: CoinbaseCollectorOptions = {}) {
    const args = coinbaseArgs(config.symbol, config.dataTypes, timeframesOf(config));
    super(config, options, {
      exchange: COINBASE.id,
      displayName: COINBASE.displayName,
      pool: options.pool ?? coinbaseConnections,
      url: (config.customParams.wsUrl ?? COINBASE.wsUrl).replace(/\/+$/, ''),
      args,
      bookArg: args.find((a) => a.channel === 'level2'),
      key: (arg) => COINBASE_CODEC.key(arg),
    });
    for (const timeframe of timeframesOf(config)) this.declareStream(`candles:${timeframe}`);
  }

  protected createProcessor(sink: FeedSink): CoinbaseFeedProcessor {
    return new CoinbaseFeedProcessor(
      this.config.symbol,
      { withBook: this.plan.bookArg !== undefined, timeframes: timeframesOf(this.config), now: this.now },
      sink,
    );
  }

  protected override beginSession(): void {
    this.history = new CoinbaseHistory((this.config.customParams.restUrl ?? COINBASE.restUrl).replace(/\/+$/, ''), this.now);
  }

  protected override endSession(): void {
    this.history?.dispose();
    this.history = undefined;
  }

  protected override async openSession(signal: AbortSignal): Promise<void> {
    await super.openSession(signal);
    this.seedAfter = 0;
    this.seedCandles();
  }

  protected override onLivenessTick(): void {
    super.onLivenessTick();
    // After lost frames, the bars built from trades are taken from REST again.
    if ((this.processor?.seedsWanted().length ?? 0) > 0) this.seedCandles();
  }

  /** Seeds each bar built from trades with Coinbase's own current bar (never left unhandled). */
  private seedCandles(): void {
    const processor = this.processor;
    const history = this.history;
    if (processor === undefined || history === undefined || this.seeding || this.now() < this.seedAfter) return;
    const wanted = processor.seedsWanted();
    if (wanted.length === 0) return;
    this.seeding = true;
    const asOf = this.now();
    // A quiet pair may have no bar for the current period yet; the next boundary makes the bar whole anyway.
    this.seedAfter = asOf + SEED_RETRY_MS;
    Promise.all(
      wanted.map(async (timeframe) => {
        const bars = await history.candles(this.config.symbol, timeframe, 1);
        const current = bars.at(-1);
        if (current !== undefined && this.processor === processor) processor.seedCandle(current, asOf, this.now());
      }),
    )
      .catch((error: unknown) => this.recordError(error))
      .finally(() => {
        this.seeding = false;
      });
  }
}
