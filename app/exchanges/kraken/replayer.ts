// Replays recorded Kraken frames of one pair through KrakenFeedProcessor (see
// ../processor-replayer.ts); its books start from the snapshots on the stream and are checked
// against every recorded checksum, as they were live.

import type { DataType } from '../../core/types.js';
import { ProcessorReplayer } from '../processor-replayer.js';
import type { ReplaySink } from '../types.js';
import { KrakenFeedProcessor } from './feed-processor.js';
import { KRAKEN_DEFAULT_BOOK_DEPTH } from './markets.js';

export function krakenReplayer(symbol: string, dataTypes: readonly DataType[], sink: ReplaySink, depth = KRAKEN_DEFAULT_BOOK_DEPTH): ProcessorReplayer {
  return new ProcessorReplayer((feed) => new KrakenFeedProcessor(symbol, { depth: dataTypes.includes('orderbook') ? depth : undefined }, feed), sink);
}
