// A recording process for the crash test: collects BTC-USDT from the simulator into a session
// and reports how many bytes reached the disk, until someone kills it (kill -9).
import { stat } from 'node:fs/promises';
import { setLogLevel } from '../../app/core/logger.js';
import { ExchangeFactory } from '../../app/exchanges/factory.js';
import { SessionRecorder } from '../../app/recording/recorder.js';
import { segmentsOf } from '../../app/recording/reader.js';
import { SessionStore } from '../../app/recording/session-store.js';

setLogLevel('silent');
const [dataDir, wsUrl, restUrl] = process.argv.slice(2);
if (dataDir === undefined || wsUrl === undefined || restUrl === undefined) throw new Error('usage: record-child DATA_DIR WS_URL REST_URL');
const collector = await new ExchangeFactory().createCollector({
  exchange: 'okx',
  symbol: 'BTC-USDT',
  dataTypes: ['trade', 'orderbook', 'ticker'],
  customParams: { wsUrl, restUrl },
});
await collector.start();
const store = new SessionStore(dataDir);
const recorder = await SessionRecorder.start([collector], { store, limitBytes: 1024 ** 3, flushMs: 20 });
setInterval(() => {
  void segmentsOf(store.dir(recorder.id)).then(async (files) => {
    let bytes = 0;
    for (const file of files) bytes += (await stat(file)).size;
    process.stdout.write(`written ${bytes}\n`);
  });
}, 50);
