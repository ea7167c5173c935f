// Replays recorded Kraken frames of one pair through KrakenFeedProcessor (see
// ../processor-replayer.ts); its books start from the snapshots on the stream and are checked
// against every recorded checksum, as they were live, cut to the depth the snapshot shows.

import type { DataType } from '../../core/types.js';
import { ProcessorReplayer } from '../processor-replayer.js';
import type { ReplaySink } from '../types.js';
import { KrakenFeedProcessor } from './feed-processor.js';

export function krakenReplayer(symbol: string, dataTypes: readonly DataType[], sink: ReplaySink): ProcessorReplayer {
  // The recording does not say which depth was subscribed: the first recorded snapshot tells.
  return new ProcessorReplayer(
    (feed) => new KrakenFeedProcessor(symbol, { depth: dataTypes.includes('orderbook') ? 'snapshot' : undefined, now: () => sink.now() }, feed),
    sink,
  );
}
