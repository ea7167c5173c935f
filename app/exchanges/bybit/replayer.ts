// Replays recorded Bybit frames of one symbol through BybitFeedProcessor (see
// ../processor-replayer.ts); its books start from the snapshots on the stream.

import type { DataType } from '../../core/types.js';
import { ProcessorReplayer } from '../processor-replayer.js';
import type { ReplaySink } from '../types.js';
import { BybitFeedProcessor } from './feed-processor.js';
import { bybitMarket } from './markets.js';

export function bybitReplayer(exchange: string, symbol: string, dataTypes: readonly DataType[], sink: ReplaySink): ProcessorReplayer {
  return new ProcessorReplayer((feed) => new BybitFeedProcessor(symbol, bybitMarket(exchange), dataTypes.includes('orderbook'), feed, () => sink.now()), sink);
}
