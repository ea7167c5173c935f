// Book-engine throughput on the real 2021 Binance spot capture (4 symbols: REST depth snapshots
// and `@depth@100ms` diffs), replayed at maximum speed through the same feed processor the
// collector and replays use (JSON decode + hand-written guards + BookSync with its REST splice),
// and once more on pre-decoded JSON. Prints figures only.

import { quietSink } from './quiet-sink.js';
import { BinanceFeedProcessor } from '../../app/exchanges/binance/feed-processor.js';
import { BINANCE_MARKETS } from '../../app/exchanges/binance/markets.js';
import { asDepthSnapshot, type DepthSnapshot } from '../../app/exchanges/binance/messages.js';
import { BINANCE_CAPTURE_SYMBOLS, readBinanceCapture } from '../sim/binance/capture.js';

type Item =
  | { readonly kind: 'rest'; readonly symbol: string; readonly snapshot: DepthSnapshot }
  | { readonly kind: 'diff'; readonly symbol: string; readonly text: string; readonly stream: string; readonly data: unknown; readonly levels: number };

function loadItems(): Item[] {
  const items: Item[] = [];
  for (const line of readBinanceCapture()) {
    if (line.data === undefined) continue;
    if (line.t === 'http') {
      const symbol = BINANCE_CAPTURE_SYMBOLS.find((s) => line.url?.includes(`symbol=${s}&`) === true);
      if (symbol !== undefined) items.push({ kind: 'rest', symbol, snapshot: asDepthSnapshot(JSON.parse(line.data)) });
      continue;
    }
    const frame = JSON.parse(line.data) as { stream?: string; data?: { b?: unknown[]; a?: unknown[] } };
    if (frame.stream?.includes('@depth') !== true) continue;
    const symbol = frame.stream.slice(0, frame.stream.indexOf('@')).toUpperCase();
    items.push({
      kind: 'diff',
      symbol,
      text: line.data,
      stream: frame.stream,
      data: frame.data,
      levels: (frame.data?.b?.length ?? 0) + (frame.data?.a?.length ?? 0),
    });
  }
  return items;
}

function run(items: readonly Item[], seconds: number, decode: boolean): { rate: number; levelRate: number; applied: number } {
  const started = performance.now();
  let messages = 0;
  let levels = 0;
  let applied = 0;
  // Every pass starts from scratch: diffs buffer until each symbol's snapshot is spliced in.
  while (performance.now() - started < seconds * 1000) {
    const processors = new Map(BINANCE_CAPTURE_SYMBOLS.map((s) => [s as string, new BinanceFeedProcessor(s, BINANCE_MARKETS.binance, true, quietSink())]));
    let t = 0;
    for (const item of items) {
      const processor = processors.get(item.symbol);
      if (processor === undefined) continue;
      t += 1;
      if (item.kind === 'rest') {
        if (processor.loadRestSnapshot(item.snapshot, t) !== 'loaded') throw new Error(`snapshot of ${item.symbol} did not splice`);
        continue;
      }
      if (decode) processor.handleFrame(item.text, t);
      else processor.handlePush(item.stream, item.data, t);
      messages += 1;
      levels += item.levels;
    }
    applied = [...processors.values()].reduce((n, p) => n + (p.bookSync?.state === 'valid' ? 1 : 0), 0);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rate: messages / elapsed, levelRate: levels / elapsed, applied };
}

export function benchBinanceBook(seconds = 2): string[] {
  const items = loadItems();
  const diffs = items.filter((i) => i.kind === 'diff').length;
  run(items, 0.3, true); // warm-up
  const full = run(items, seconds, true);
  const preDecoded = run(items, seconds, false);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  return [
    `Binance 2021 spot capture: ${diffs} depth diffs (4 symbols, REST snapshots spliced; ${full.applied} of 4 books valid after each pass)`,
    `  decode + validate + splice/apply             : ${fmt(full.rate)} updates/s (${fmt(full.levelRate)} levels/s)`,
    `  validate + splice/apply, JSON pre-decoded    : ${fmt(preDecoded.rate)} updates/s (decoding is ${((1 - full.rate / preDecoded.rate) * 100).toFixed(0)} % of the cost)`,
  ];
}
