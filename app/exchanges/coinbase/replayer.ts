// Replays recorded Coinbase frames of one product through CoinbaseFeedProcessor (see
// ../processor-replayer.ts). Bars built from trades start at the first period boundary of the
// recording (no REST bar to seed them with).

import type { DataType } from '../../core/types.js';
import { ProcessorReplayer } from '../processor-replayer.js';
import type { ReplaySink } from '../types.js';
import { CoinbaseFeedProcessor } from './feed-processor.js';

export function coinbaseReplayer(symbol: string, dataTypes: readonly DataType[], sink: ReplaySink): ProcessorReplayer {
  return new ProcessorReplayer(
    (feed) =>
      new CoinbaseFeedProcessor(
        symbol,
        { withBook: dataTypes.includes('orderbook'), timeframes: dataTypes.includes('candles') ? ['1m', '5m'] : [], now: () => sink.now() },
        feed,
      ),
    sink,
  );
}
