// Coinbase book pipelines side by side (see book-compare.ts): the real 2026 capture (the ETH-USD
// `l2_data` snapshot of several thousand levels and its 374 updates) and a generated 400-level
// book, through the feed processor the collector and replays use (scan + checks + BookSync +
// events), ccxt pro's Coinbase handler and bare JSON.parse.

import { CoinbaseFeedProcessor } from '../../app/exchanges/coinbase/feed-processor.js';
import { readCoinbaseCapture } from '../sim/coinbase/capture.js';
import { asReceived, parsePass, type BookStream } from './book-compare.js';
import { ccxtHarness } from './ccxt-fake.js';
import { generateBookStream, type Row } from './generated-book.js';
import { quietSink } from './quiet-sink.js';

function stream(label: string, product: string, texts: readonly string[]): BookStream {
  const base = product.split('-')[0] ?? product;
  const quote = product.split('-')[1] ?? 'USD';
  return {
    label,
    messages: texts.length,
    ours: () => {
      const processor = new CoinbaseFeedProcessor(product, { withBook: true, timeframes: [] }, quietSink());
      let t = 0;
      for (const text of texts) processor.handleFrame(text, (t += 1));
      if (processor.bookSync?.state !== 'valid') throw new Error(`${label}: book not valid after a pass`);
    },
    ccxt: () => {
      const harness = ccxtHarness('coinbase', [{ id: product, symbol: `${base}/${quote}`, type: 'spot', base, quote }], []);
      for (const text of texts) harness.feed(text);
      // ccxt resolves a USD book twice (also as USDC).
      if (harness.client.resolved < texts.length) throw new Error(`${label}: ccxt resolved ${harness.client.resolved} of ${texts.length}`);
    },
    parse: parsePass(texts),
  };
}

function generatedTexts(depth: number, updates: number): string[] {
  const generated = generateBookStream(depth, updates);
  let seq = 10;
  let t = Date.parse('2026-11-25T12:00:00Z');
  const text = (type: string, bids: readonly Row[], asks: readonly Row[]): string => {
    const time = new Date((t += 3)).toISOString().replace('Z', '123456Z');
    const rows = [...bids.map(([p, s]) => ['bid', p, s] as const), ...asks.map(([p, s]) => ['offer', p, s] as const)];
    const list = rows.map(([side, p, s]) => `{"side":"${side}","event_time":"${time}","price_level":"${p}","new_quantity":"${s}"}`).join(',');
    return asReceived(
      `{"channel":"l2_data","client_id":"","timestamp":"${time}","sequence_num":${(seq += 1)},"events":[{"type":"${type}","product_id":"BTC-USD","updates":[${list}]}]}`,
    );
  };
  return [text('snapshot', generated.snapshot.bids, generated.snapshot.asks), ...generated.updates.map((m) => text('update', m.bids, m.asks))];
}

export function coinbaseBookStreams(): BookStream[] {
  const capture = readCoinbaseCapture()
    .filter((f) => f.channel === 'l2_data')
    .map((f) => asReceived(f.data));
  return [
    stream('Coinbase 2026 capture (ETH-USD, whole book + 374 updates)', 'ETH-USD', capture),
    stream('Coinbase generated, 400 levels', 'BTC-USD', generatedTexts(400, 2000)),
  ];
}
