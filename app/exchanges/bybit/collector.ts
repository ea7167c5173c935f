// BybitCollector: one symbol on Bybit linear perpetuals (`bybit`) or spot (`bybit-spot`), on
// the stream-collector kit: its topics share a v5 public connection, the book comes as a
// snapshot then `u`-chained deltas (BybitFeedProcessor), and a broken or stale book is rebuilt
// by resubscribing its topic, which makes Bybit send a fresh snapshot. No REST snapshot is
// needed.

import type { CollectorOptions } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import type { LivenessPolicy } from '../../core/stream-liveness.js';
import type { StreamKey } from '../../core/base-collector.js';
import { StreamCollector } from '../stream-collector.js';
import type { FeedSink } from '../types.js';
import { bybitConnections, BYBIT_CODEC, type BybitConnectionPool, type BybitTopic } from './connection.js';
import { bybitTopics, BybitFeedProcessor } from './feed-processor.js';
import { BYBIT_DEFAULT_BOOK_DEPTH, bybitMarket, timeframeOfInterval, type BybitMarket } from './markets.js';
import { bookLiveness } from './descriptor.js';

export interface BybitCollectorOptions extends CollectorOptions {
  readonly pool?: BybitConnectionPool;
}

export class BybitCollector extends StreamCollector<BybitTopic, BybitFeedProcessor> {
  private readonly market: BybitMarket;

  constructor(config: ExchangeCollectorConfig, options: BybitCollectorOptions = {}) {
    const market = bybitMarket(config.exchange);
    const depth = config.customParams.bookDepth ?? BYBIT_DEFAULT_BOOK_DEPTH;
    const topics = bybitTopics(config.symbol, config.dataTypes, config.customParams.candleTimeframes ?? ['1m'], depth);
    super(config, options, {
      exchange: market.id,
      displayName: market.displayName,
      pool: options.pool ?? bybitConnections,
      url: `${(config.customParams.wsUrl ?? market.wsUrl).replace(/\/+$/, '')}/v5/public/${market.category}`,
      args: topics,
      bookArg: topics.find((t) => t.startsWith('orderbook.')),
      key: (topic) => BYBIT_CODEC.key(topic),
    });
    this.market = market;
    for (const topic of topics) {
      if (!topic.startsWith('kline.')) continue;
      const timeframe = timeframeOfInterval(topic.split('.')[1] ?? '');
      if (timeframe !== undefined) this.declareStream(`candles:${timeframe}`);
    }
  }

  protected createProcessor(sink: FeedSink): BybitFeedProcessor {
    return new BybitFeedProcessor(this.config.symbol, this.market, this.plan.bookArg !== undefined, sink, this.now);
  }

  // Called from the base constructor, before this class's fields exist: read the config only.
  protected override streamPolicy(key: StreamKey): Partial<LivenessPolicy> {
    return key === 'orderbook' ? bookLiveness(bybitMarket(this.config.exchange), this.config.customParams.bookDepth ?? BYBIT_DEFAULT_BOOK_DEPTH) : {};
  }
}
