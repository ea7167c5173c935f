// What the benches that record need of a collector: an emitter with a config, no book and a
// running status. The bench emits `raw` and `data` on it itself.

import { EventEmitter } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCollectorConfig } from '../../app/core/config.js';
import type { DataType } from '../../app/core/types.js';

export class FakeFeed extends EventEmitter {
  readonly id = 'okx:BTC-USDT';
  readonly config: ReturnType<typeof createCollectorConfig>;
  constructor(dataTypes: DataType[], storeRawData = false) {
    super();
    this.config = createCollectorConfig({ exchange: 'okx', symbol: 'BTC-USDT', dataTypes, storeRawData });
  }
  getBook(): undefined {
    return undefined;
  }
  getBookStatus(): null {
    return null;
  }
  getStatus(): object {
    return { id: this.id, status: 'running', errors: [] };
  }
}

/** A full collection, for memory samples that measure what stays rather than the garbage of the moment. */
export function fullCollection(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
