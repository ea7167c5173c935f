// Book-engine throughput on the real 2026 Coinbase capture (the ETH-USD `l2_data` snapshot of
// several thousand levels and its 374 updates), replayed at maximum speed through the same feed
// processor the collector and replays use, side by side with bare JSON.parse of the same
// frames. Prints figures only.

import { quietSink } from './quiet-sink.js';
import { CoinbaseFeedProcessor } from '../../app/exchanges/coinbase/feed-processor.js';
import { readCoinbaseCapture } from '../sim/coinbase/capture.js';

function ours(frames: readonly string[], seconds: number): { rate: number; valid: boolean } {
  const started = performance.now();
  let messages = 0;
  let valid = false;
  while (performance.now() - started < seconds * 1000) {
    const processor = new CoinbaseFeedProcessor('ETH-USD', { withBook: true, timeframes: [] }, quietSink());
    let t = 0;
    for (const frame of frames) {
      processor.handleFrame(frame, (t += 1));
      messages += 1;
    }
    valid = processor.bookSync?.state === 'valid';
  }
  return { rate: messages / ((performance.now() - started) / 1000), valid };
}

function parseOnly(frames: readonly string[], seconds: number): number {
  const started = performance.now();
  let messages = 0;
  let sink = 0;
  while (performance.now() - started < seconds * 1000) {
    for (const frame of frames) {
      sink += (JSON.parse(frame) as { sequence_num: number }).sequence_num >= 0 ? 1 : 0;
      messages += 1;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return messages / ((performance.now() - started) / 1000);
}

export function benchCoinbaseBook(seconds = 2): string[] {
  const frames = readCoinbaseCapture()
    .filter((f) => f.channel === 'l2_data')
    .map((f) => f.data);
  ours(frames, 0.3);
  parseOnly(frames, 0.3);
  const a1 = ours(frames, seconds / 2);
  const p1 = parseOnly(frames, seconds / 2);
  const a2 = ours(frames, seconds / 2);
  const p2 = parseOnly(frames, seconds / 2);
  const rate = (a1.rate + a2.rate) / 2;
  const parse = (p1 + p2) / 2;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `Coinbase 2026 capture: ETH-USD level2 snapshot + 374 updates per pass (book ${a2.valid ? 'valid' : 'NOT valid'} after each pass)`,
    `  decode + validate + apply (snapshot included): ${fmt(rate)} messages/s`,
    `  JSON.parse alone, same messages              : ${fmt(parse)} messages/s (ours / JSON.parse = ${(rate / parse).toFixed(2)})`,
  ];
}
