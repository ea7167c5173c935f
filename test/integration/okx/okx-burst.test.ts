// A burst the venue sends faster than we apply it (after a reconnect, in a fast market) must not
// become a gap of our own making: the socket is read no faster than the book is applied, and
// the rest waits in TCP.
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeFactory } from '../../../app/exchanges/factory.js';
import { OkxCollector } from '../../../app/exchanges/okx/collector.js';
import { OkxConnectionPool } from '../../../app/exchanges/okx/connection.js';
import { waitFor } from '../../support/loopback-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let sim: OkxSimulator | undefined;
let collector: OkxCollector | undefined;

afterEach(async () => {
  await collector?.stop();
  await sim?.close();
  collector = undefined;
  sim = undefined;
});

describe('OKX book under a burst', () => {
  it('applies a loopback burst of 200,000 book updates at full socket speed: valid book, zero drops, zero resyncs', { timeout: 300_000 }, async () => {
    const server = await OkxSimulator.start({ tickMs: 1000, trackBooks: true });
    sim = server;
    const config = new ExchangeFactory().resolveConfig({
      exchange: 'okx',
      symbol: 'BTC-USDT',
      dataTypes: ['orderbook'],
      customParams: { wsUrl: server.wsUrl, restUrl: server.restUrl },
    });
    // Keep-alive timings as short as the conformance suite's: our own slowness must not look like a dead venue.
    const c = new OkxCollector(config, { pool: new OkxConnectionPool({ idleMs: 300, pongTimeoutMs: 300 }) });
    collector = c;
    await c.start();
    await waitFor(() => c.getBook() !== undefined, 'book');
    server.inject('burst', 'BTC-USDT', { count: 200_000 });
    await waitFor(() => server.bursts === 1, 'the burst sent');
    // Caught up: our book is the venue's at the id we reached, level for level.
    let same = false;
    await waitFor(() => {
      const seqId = c.getStatus().book?.seqId;
      const truth = seqId === null || seqId === undefined ? undefined : server.bookAt('BTC-USDT', seqId);
      const book = c.getBook();
      if (truth === undefined || book === undefined || c.getStatus().queueDepth > 0) return false;
      same =
        JSON.stringify(book.bids.all().map((l) => `${l.priceStr}:${l.sizeStr}`)) === JSON.stringify(truth.bids) &&
        JSON.stringify(book.asks.all().map((l) => `${l.priceStr}:${l.sizeStr}`)) === JSON.stringify(truth.asks);
      return true;
    }, 'caught up');
    const status = c.getStatus();
    expect(same).toBe(true);
    expect(status).toMatchObject({ droppedMessages: 0, resyncs: 0, sequenceGaps: 0, reconnects: 0, book: { state: 'valid' } });
  });
});
