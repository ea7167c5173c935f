// Kraken book pipelines side by side (see book-compare.ts): the real 2021 capture's 10 books
// (depth 1000, 4,269 updates, every one checksummed) written as the v2 frames Kraken sends today
// (prices and quantities as full-precision JSON numbers), and a generated 400-level book
// subscribed at depth 500, through the feed processor the collector and replays use (scan +
// checks + BookSync cut to depth + CRC-32 on every message + events), ccxt pro's Kraken handler
// (its default: no checksum) and bare JSON.parse.

import { crc32 } from '../../app/core/crc32.js';
import { krakenChecksumString } from '../../app/exchanges/kraken/checksum.js';
import { KrakenFeedProcessor } from '../../app/exchanges/kraken/feed-processor.js';
import { readKrakenV1Books } from '../sim/kraken/capture.js';
import { asReceived, parsePass, type BookStream } from './book-compare.js';
import { ccxtHarness } from './ccxt-fake.js';
import { generateBookStream, krakenChecksumOfRows, type Row } from './generated-book.js';
import { quietSink } from './quiet-sink.js';

interface Frame {
  readonly pair: string;
  readonly text: string;
}

const side = (levels: readonly (readonly string[])[]): string => `[${levels.map(([p, q]) => `{"price":${p ?? '0'},"qty":${q ?? '0'}}`).join(',')}]`;

function captureFrames(): Frame[] {
  const frames: Frame[] = [];
  let t = Date.parse('2021-04-17T16:48:52Z');
  for (const m of readKrakenV1Books()) {
    const level = ([priceStr, sizeStr]: readonly string[]) => ({ priceStr: priceStr ?? '', sizeStr: sizeStr ?? '' });
    const checksum = m.checksum ?? crc32(krakenChecksumString(m.asks.map(level), m.bids.map(level)));
    t += 1;
    frames.push({
      pair: m.pair,
      text: asReceived(
        `{"channel":"book","type":"${m.type}","data":[{"symbol":"${m.pair}","bids":${side(m.bids)},"asks":${side(m.asks)},"checksum":${checksum},"timestamp":"${new Date(t).toISOString()}"}]}`,
      ),
    });
  }
  return frames;
}

export function generatedFrames(depth: number, updates: number): Frame[] {
  const generated = generateBookStream(depth, updates, { slots: depth, top: 10 });
  let t = Date.parse('2026-11-25T12:00:00Z');
  const frame = (type: string, bids: readonly Row[], asks: readonly Row[], topBids: readonly Row[], topAsks: readonly Row[]): Frame => ({
    pair: 'BTC/USD',
    text: asReceived(
      `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":${side(bids)},"asks":${side(asks)},"checksum":${krakenChecksumOfRows(topBids, topAsks)},"timestamp":"${new Date((t += 1)).toISOString()}"}]}`,
    ),
  });
  const s = generated.snapshot;
  return [frame('snapshot', s.bids, s.asks, s.topBids, s.topAsks), ...generated.updates.map((m) => frame('update', m.bids, m.asks, m.topBids, m.topAsks))];
}

function stream(label: string, frames: readonly Frame[], depth: number): BookStream {
  const pairs = [...new Set(frames.map((f) => f.pair))];
  const texts = frames.map((f) => f.text);
  return {
    label,
    messages: frames.length,
    ours: () => {
      const processors = new Map(pairs.map((p) => [p, new KrakenFeedProcessor(p, { depth }, quietSink())]));
      let t = 0;
      for (const frame of frames) processors.get(frame.pair)?.handleFrame(frame.text, (t += 1));
      for (const p of processors.values()) if (p.bookSync?.state !== 'valid') throw new Error(`${label}: book not valid after a pass`);
    },
    ccxt: () => {
      const harness = ccxtHarness('kraken', [], []);
      for (const text of texts) harness.feed(text);
      if (harness.client.resolved !== texts.length) throw new Error(`${label}: ccxt resolved ${harness.client.resolved} of ${texts.length}`);
    },
    parse: parsePass(texts),
  };
}

export function krakenBookStreams(): BookStream[] {
  return [
    stream('Kraken 2021 capture as v2 (10 books of 1000, checksums)', captureFrames(), 1000),
    stream('Kraken generated, 400 levels, checksums', generatedFrames(400, 2000), 500),
  ];
}
