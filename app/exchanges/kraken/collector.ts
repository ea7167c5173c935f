// KrakenCollector: one Kraken spot pair on the stream-collector kit (WebSocket v2). Its
// channels share a connection; the book is a snapshot then updates, each verified by its
// CRC-32 after being cut to the subscribed depth; a mismatch (or a silent book) is resynced by
// resubscribing, which brings a new snapshot.

import type { CollectorOptions } from '../../core/base-collector.js';
import type { ExchangeCollectorConfig } from '../../core/config.js';
import { StreamCollector } from '../stream-collector.js';
import type { FeedSink } from '../types.js';
import { KRAKEN_CODEC, krakenConnections, type KrakenArg, type KrakenConnectionPool } from './connection.js';
import { KrakenFeedProcessor } from './feed-processor.js';
import { intervalOf, KRAKEN, KRAKEN_DEFAULT_BOOK_DEPTH } from './markets.js';

export interface KrakenCollectorOptions extends CollectorOptions {
  readonly pool?: KrakenConnectionPool;
}

export function krakenArgs(symbol: string, dataTypes: readonly string[], timeframes: readonly string[], depth: number): KrakenArg[] {
  const args: KrakenArg[] = [];
  for (const type of dataTypes) {
    if (type === 'orderbook') args.push({ channel: 'book', symbol, depth });
    else if (type === 'trade') args.push({ channel: 'trade', symbol });
    else if (type === 'ticker') args.push({ channel: 'ticker', symbol });
    else if (type === 'candles') {
      for (const timeframe of timeframes) {
        const interval = intervalOf(timeframe);
        if (interval !== undefined) args.push({ channel: 'ohlc', symbol, interval });
      }
    }
  }
  return args;
}

export class KrakenCollector extends StreamCollector<KrakenArg, KrakenFeedProcessor> {
  private readonly depth: number;

  constructor(config: ExchangeCollectorConfig, options: KrakenCollectorOptions = {}) {
    const depth = config.customParams.bookDepth ?? KRAKEN_DEFAULT_BOOK_DEPTH;
    const timeframes = config.customParams.candleTimeframes ?? ['1m'];
    const args = krakenArgs(config.symbol, config.dataTypes, timeframes, depth);
    super(config, options, {
      exchange: KRAKEN.id,
      displayName: KRAKEN.displayName,
      pool: options.pool ?? krakenConnections,
      url: (config.customParams.wsUrl ?? KRAKEN.wsUrl).replace(/\/+$/, ''),
      args,
      bookArg: args.find((a) => a.channel === 'book'),
      key: (arg) => KRAKEN_CODEC.key(arg),
    });
    this.depth = depth;
    for (const timeframe of timeframes)
      if (intervalOf(timeframe) !== undefined && config.dataTypes.includes('candles')) this.declareStream(`candles:${timeframe}`);
  }

  protected createProcessor(sink: FeedSink): KrakenFeedProcessor {
    return new KrakenFeedProcessor(this.config.symbol, { depth: this.plan.bookArg === undefined ? undefined : this.depth, now: this.now }, sink);
  }
}
