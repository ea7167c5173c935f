// Replays recorded Binance frames of one symbol through BinanceFeedProcessor (see
// ../processor-replayer.ts); its books start from the REST snapshots the recording holds as
// the book events the live collector published.

import type { DataType } from '../../core/types.js';
import { ProcessorReplayer } from '../processor-replayer.js';
import type { ReplaySink } from '../types.js';
import { BinanceFeedProcessor } from './feed-processor.js';
import { binanceMarket } from './markets.js';

export function binanceReplayer(exchange: string, symbol: string, dataTypes: readonly DataType[], sink: ReplaySink): ProcessorReplayer {
  return new ProcessorReplayer(
    (feed) => new BinanceFeedProcessor(symbol, binanceMarket(exchange), dataTypes.includes('orderbook'), feed, () => sink.now()),
    sink,
  );
}
