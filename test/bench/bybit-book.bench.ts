// Book-engine throughput on the real 2026 Bybit v5 capture (6 books, linear and spot:
// `orderbook.200` snapshots and `u`-chained deltas), replayed at maximum speed through the same
// feed processor the collector and replays use (JSON decode + hand-written guards + BookSync,
// cut to depth), side by side with bare JSON.parse of the same frames. Prints figures only.

import { quietSink } from './quiet-sink.js';
import { BybitFeedProcessor } from '../../app/exchanges/bybit/feed-processor.js';
import { BYBIT_MARKETS } from '../../app/exchanges/bybit/markets.js';
import { BYBIT_CAPTURE_BOOKS, readBybitCapture } from '../sim/bybit/capture.js';

interface Item {
  readonly book: number;
  readonly text: string;
  readonly levels: number;
}

function loadItems(): Item[] {
  const items: Item[] = [];
  for (const frame of readBybitCapture()) {
    const message = JSON.parse(frame.data) as { topic?: string; data?: { b?: unknown[]; a?: unknown[] } };
    if (message.topic?.startsWith('orderbook.') !== true) continue;
    const symbol = message.topic.split('.')[2];
    const book = BYBIT_CAPTURE_BOOKS.findIndex((b) => b.market === frame.market && b.symbol === symbol);
    if (book >= 0) items.push({ book, text: frame.data, levels: (message.data?.b?.length ?? 0) + (message.data?.a?.length ?? 0) });
  }
  return items;
}

function ours(items: readonly Item[], seconds: number): { rate: number; levelRate: number; valid: number } {
  const started = performance.now();
  let messages = 0;
  let levels = 0;
  let valid = 0;
  while (performance.now() - started < seconds * 1000) {
    const processors = BYBIT_CAPTURE_BOOKS.map(
      ({ market, symbol }) => new BybitFeedProcessor(symbol, BYBIT_MARKETS[market === 'spot' ? 'bybit-spot' : 'bybit'], true, quietSink()),
    );
    let t = 0;
    for (const item of items) {
      processors[item.book]?.handleFrame(item.text, (t += 1));
      messages += 1;
      levels += item.levels;
    }
    valid = processors.filter((p) => p.bookSync?.state === 'valid').length;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rate: messages / elapsed, levelRate: levels / elapsed, valid };
}

function parseOnly(items: readonly Item[], seconds: number): number {
  const started = performance.now();
  let messages = 0;
  let sink = 0;
  while (performance.now() - started < seconds * 1000) {
    for (const item of items) {
      sink += (JSON.parse(item.text) as { ts: number }).ts > 0 ? 1 : 0;
      messages += 1;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return messages / ((performance.now() - started) / 1000);
}

export function benchBybitBook(seconds = 2): string[] {
  const items = loadItems();
  ours(items, 0.3);
  parseOnly(items, 0.3);
  // Interleaved halves, so that both see the same machine.
  const a1 = ours(items, seconds / 2);
  const p1 = parseOnly(items, seconds / 2);
  const a2 = ours(items, seconds / 2);
  const p2 = parseOnly(items, seconds / 2);
  const rate = (a1.rate + a2.rate) / 2;
  const parse = (p1 + p2) / 2;
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `Bybit 2026 v5 capture: ${items.length} book messages (6 books of 200 levels, linear and spot; ${a2.valid} of 6 valid after each pass)`,
    `  decode + validate + apply + cut to depth     : ${fmt(rate)} messages/s (${fmt((a1.levelRate + a2.levelRate) / 2)} levels/s)`,
    `  JSON.parse alone, same messages              : ${fmt(parse)} messages/s (ours / JSON.parse = ${(rate / parse).toFixed(2)})`,
  ];
}
