// BinanceCollector: one symbol on Binance spot (`binance`) or USDⓈ-M futures
// (`binance-futures`), on the stream-collector kit: its streams share a combined-stream
// connection, diff depth is spliced onto REST snapshots by the BookSync engine (Binance sends
// no snapshot on the stream, so every book starts from REST as soon as diffs buffer), and a
// broken or stale book is rebuilt by resubscribing the diff stream.

import type { CollectorOptions } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { StreamCollector, type RestSnapshotPlan } from '../stream-collector.js';
import type { FeedSink } from '../types.js';
import { BINANCE_CODEC, binanceConnections, type BinanceConnectionPool, type BinanceStream } from './connection.js';
import { BinanceFeedProcessor, OPEN_INTEREST, streamNames } from './feed-processor.js';
import { binanceMarket, intervalOf, timeframeOfInterval, type BinanceMarket } from './markets.js';
import { asOpenInterest, type DepthSnapshot } from './messages.js';
import { BinanceRestClient } from './rest.js';

/** How often a futures symbol's open interest is asked for (weight 1 of 2,400 a minute). */
const OPEN_INTEREST_EVERY_MS = 10_000;

export interface BinanceCollectorOptions extends CollectorOptions {
  readonly pool?: BinanceConnectionPool;
}

function intervalsOf(config: ExchangeCollectorConfig): string[] {
  return (config.customParams.candleTimeframes ?? ['1m']).map((t) => intervalOf(t)).filter((i): i is string => i !== undefined);
}

export class BinanceCollector extends StreamCollector<BinanceStream, BinanceFeedProcessor, DepthSnapshot> {
  private readonly market: BinanceMarket;
  private rest: BinanceRestClient | undefined;

  constructor(config: ExchangeCollectorConfig, options: BinanceCollectorOptions = {}) {
    const market = binanceMarket(config.exchange);
    const streams = streamNames(config.symbol, config.dataTypes, intervalsOf(config), market);
    super(config, options, {
      exchange: market.id,
      displayName: market.displayName,
      pool: options.pool ?? binanceConnections,
      url: `${(config.customParams.wsUrl ?? market.wsUrl).replace(/\/+$/, '')}/stream`,
      args: streams,
      bookArg: streams.find((s) => s.includes('@depth')),
      key: (stream) => BINANCE_CODEC.key(stream),
    });
    this.market = market;
    for (const interval of intervalsOf(config)) {
      const timeframe = timeframeOfInterval(interval);
      if (timeframe !== undefined) this.declareStream(`candles:${timeframe}`);
    }
  }

  protected createProcessor(sink: FeedSink): BinanceFeedProcessor {
    return new BinanceFeedProcessor(this.config.symbol, this.market, this.plan.bookArg !== undefined, sink, this.now);
  }

  protected override snapshotPlan(): RestSnapshotPlan<DepthSnapshot> | undefined {
    const rest = this.rest;
    const processor = this.processor;
    if (rest === undefined || processor === undefined) return undefined;
    return {
      graceMs: 0,
      fetch: (signal) => rest.depth(this.config.symbol, signal),
      splice: (snapshot) => processor.loadRestSnapshot(snapshot, this.now()),
    };
  }

  protected override beginSession(): void {
    const rest = new BinanceRestClient(this.market, (this.config.customParams.restUrl ?? this.market.restUrl).replace(/\/+$/, ''));
    this.rest = rest;
    if (this.market.paths.openInterest !== undefined && this.config.dataTypes.includes('ticker')) this.later(0, () => this.pollOpenInterest(rest));
  }

  /**
   * Binance streams no open interest: it is asked over REST every OPEN_INTEREST_EVERY_MS while
   * the session lasts, and recorded beside the stream frames (so a replay shows it too). A
   * failed request is recorded and asked again next time; it never stops the feed.
   */
  private pollOpenInterest(rest: BinanceRestClient): void {
    const stream = `${this.config.symbol.toLowerCase()}@${OPEN_INTEREST}`;
    rest
      .openInterest(this.config.symbol)
      .then((text) => {
        if (this.rest !== rest) return;
        const data = asOpenInterest(JSON.parse(text));
        const receivedAt = this.now();
        this.publishRaw(this.market.id, JSON.stringify({ stream, data }), receivedAt);
        this.processor?.handlePush(stream, data, receivedAt);
      })
      .catch((error: unknown) => {
        if (this.rest === rest) this.recordError(error);
      })
      .finally(() => {
        if (this.rest === rest) this.later(OPEN_INTEREST_EVERY_MS, () => this.pollOpenInterest(rest));
      });
  }

  protected override endSession(): void {
    this.rest?.dispose();
    this.rest = undefined;
  }
}
