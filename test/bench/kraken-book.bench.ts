// Book-engine throughput for Kraken: the real 2021 capture's 10 books (depth 1000, 4,269
// updates with checksums), written as the v2 frames Kraken sends today (prices and quantities
// as full-precision JSON numbers), replayed at maximum speed through the same feed processor
// the collector and replays use (decimal-preserving parse + guards + BookSync cut to depth +
// CRC-32 on every message), side by side with bare JSON.parse of the same text. Figures only.

import { crc32 } from '../../app/core/crc32.js';
import { quietSink } from './quiet-sink.js';
import { krakenChecksumString } from '../../app/exchanges/kraken/checksum.js';
import { KrakenFeedProcessor } from '../../app/exchanges/kraken/feed-processor.js';
import { readKrakenV1Books } from '../sim/kraken/capture.js';

interface Frame {
  readonly pair: string;
  readonly text: string;
}

function v2Frames(): Frame[] {
  const frames: Frame[] = [];
  let t = Date.parse('2021-04-17T16:48:52Z');
  for (const m of readKrakenV1Books()) {
    const side = (levels: readonly (readonly string[])[]) => `[${levels.map(([p, q]) => `{"price":${p ?? '0'},"qty":${q ?? '0'}}`).join(',')}]`;
    const level = ([priceStr, sizeStr]: readonly string[]) => ({ priceStr: priceStr ?? '', sizeStr: sizeStr ?? '' });
    const checksum = m.checksum ?? crc32(krakenChecksumString(m.asks.map(level), m.bids.map(level)));
    t += 1;
    frames.push({
      pair: m.pair,
      text: `{"channel":"book","type":"${m.type}","data":[{"symbol":"${m.pair}","bids":${side(m.bids)},"asks":${side(m.asks)},"checksum":${checksum},"timestamp":"${new Date(t).toISOString()}"}]}`,
    });
  }
  return frames;
}

function ours(frames: readonly Frame[], pairs: readonly string[], seconds: number): { rate: number; valid: number } {
  const started = performance.now();
  let messages = 0;
  let valid = 0;
  while (performance.now() - started < seconds * 1000) {
    const processors = new Map(pairs.map((p) => [p, new KrakenFeedProcessor(p, { depth: 1000 }, quietSink())]));
    let t = 0;
    for (const frame of frames) {
      processors.get(frame.pair)?.handleFrame(frame.text, (t += 1));
      messages += 1;
    }
    valid = [...processors.values()].filter((p) => p.bookSync?.state === 'valid').length;
  }
  return { rate: messages / ((performance.now() - started) / 1000), valid };
}

function parseOnly(frames: readonly Frame[], seconds: number): number {
  const started = performance.now();
  let messages = 0;
  let sink = 0;
  while (performance.now() - started < seconds * 1000) {
    for (const frame of frames) {
      sink += (JSON.parse(frame.text) as { data: unknown[] }).data.length;
      messages += 1;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return messages / ((performance.now() - started) / 1000);
}

export function benchKrakenBook(seconds = 2): string[] {
  const frames = v2Frames();
  const pairs = [...new Set(frames.map((f) => f.pair))];
  ours(frames, pairs, 0.3);
  parseOnly(frames, 0.3);
  const a1 = ours(frames, pairs, seconds / 2);
  const p1 = parseOnly(frames, seconds / 2);
  const a2 = ours(frames, pairs, seconds / 2);
  const p2 = parseOnly(frames, seconds / 2);
  const rate = (a1.rate + a2.rate) / 2;
  const parse = (p1 + p2) / 2;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `Kraken 2021 capture as v2 frames: ${frames.length} book messages (10 books of 1000 levels, every one checksummed; ${a2.valid} of ${pairs.length} valid after each pass)`,
    `  decimal-preserving parse + validate + apply + cut + CRC-32: ${fmt(rate)} messages/s`,
    `  JSON.parse alone, same messages              : ${fmt(parse)} messages/s (ours / JSON.parse = ${(rate / parse).toFixed(2)})`,
  ];
}
