// Binance book pipelines side by side (see book-compare.ts): the real 2021 spot capture (4
// symbols: REST depth snapshots and `@depth@100ms` diffs on combined streams) and a generated
// 1000-level book (REST snapshot, then diffs), through the feed processor the collector and
// replays use (scan + checks + BookSync with its REST splice + events), ccxt pro's Binance
// handler (given the same REST snapshots) and bare JSON.parse. The REST bodies count as
// messages: text in, book out, for all three.

import { BinanceFeedProcessor } from '../../app/exchanges/binance/feed-processor.js';
import { BINANCE_MARKETS } from '../../app/exchanges/binance/markets.js';
import { scanDepthSnapshot } from '../../app/exchanges/binance/book-scan.js';
import { BINANCE_CAPTURE_SYMBOLS, readBinanceCapture } from '../sim/binance/capture.js';
import { asReceived, parsePass, type BookStream } from './book-compare.js';
import { ccxtHarness, type CcxtMarket } from './ccxt-fake.js';
import { generateBookStream, type Row } from './generated-book.js';
import { quietSink } from './quiet-sink.js';

/** A REST depth body (as the REST client reads it: scanDepthSnapshot) or a diff frame. */
interface Item {
  readonly kind: 'rest' | 'diff';
  readonly symbol: string;
  readonly text: string;
}

const marketOf = (symbol: string): CcxtMarket => {
  const base = symbol.replace(/(USDT|BTC|BUSD)$/, '');
  return { id: symbol, symbol: `${base}/${symbol.slice(base.length)}`, type: 'spot', base, quote: symbol.slice(base.length) };
};

function stream(label: string, symbols: readonly string[], items: readonly Item[]): BookStream {
  const texts = items.map((i) => i.text);
  const markets = symbols.map(marketOf);
  return {
    label,
    messages: texts.length,
    ours: () => {
      const processors = new Map(symbols.map((s) => [s, new BinanceFeedProcessor(s, BINANCE_MARKETS.binance, true, quietSink())]));
      let t = 0;
      for (const item of items) {
        const processor = processors.get(item.symbol);
        t += 1;
        if (item.kind === 'rest') {
          if (processor?.loadRestSnapshot(scanDepthSnapshot(item.text), t) !== 'loaded') throw new Error(`${label}: snapshot of ${item.symbol} did not splice`);
        } else processor?.handleFrame(item.text, t);
      }
      for (const p of processors.values()) if (p.bookSync?.state !== 'valid') throw new Error(`${label}: book not valid after a pass`);
    },
    ccxt: () => {
      const harness = ccxtHarness('binance', markets, [], 'wss://stream.binance.com:9443/stream');
      const { exchange } = harness;
      for (const item of items) {
        if (item.kind === 'diff') {
          harness.feed(item.text);
          continue;
        }
        // What ccxt's watchOrderBook does with its REST snapshot.
        const symbol = marketOf(item.symbol).symbol;
        const body = JSON.parse(item.text) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
        const book = exchange.orderBook({});
        const toNumbers = (rows: readonly (readonly [string, string])[]): number[][] => rows.map(([p, q]) => [Number(p), Number(q)]);
        book.reset({ bids: toNumbers(body.bids), asks: toNumbers(body.asks), nonce: body.lastUpdateId, timestamp: undefined, datetime: undefined });
        exchange.orderbooks[symbol] = book;
      }
      if (harness.client.resolved === 0) throw new Error(`${label}: ccxt applied nothing`);
    },
    parse: parsePass(texts),
  };
}

function captureStream(): BookStream {
  const items: Item[] = [];
  for (const line of readBinanceCapture()) {
    if (line.data === undefined) continue;
    if (line.t === 'http') {
      const symbol = BINANCE_CAPTURE_SYMBOLS.find((s) => line.url?.includes(`symbol=${s}&`) === true);
      if (symbol !== undefined) items.push({ kind: 'rest', symbol, text: asReceived(line.data) });
      continue;
    }
    const frame = JSON.parse(line.data) as { stream?: string };
    if (frame.stream?.includes('@depth') !== true) continue;
    items.push({ kind: 'diff', symbol: frame.stream.slice(0, frame.stream.indexOf('@')).toUpperCase(), text: asReceived(line.data) });
  }
  return stream('Binance 2021 spot capture (4 books, REST spliced)', BINANCE_CAPTURE_SYMBOLS, items);
}

function generatedStream(depth: number, updates: number): BookStream {
  const generated = generateBookStream(depth, updates);
  const rows = (levels: readonly Row[]): string => `[${levels.map(([p, s]) => `["${p}","${s}"]`).join(',')}]`;
  let u = 5_000_000;
  let E = 1_780_000_000_000;
  const items: Item[] = [
    { kind: 'rest', symbol: 'BTCUSDT', text: asReceived(JSON.stringify({ lastUpdateId: u, bids: generated.snapshot.bids, asks: generated.snapshot.asks })) },
  ];
  for (const m of generated.updates) {
    const U = u + 1;
    u += 1 + (u % 4);
    items.push({
      kind: 'diff',
      symbol: 'BTCUSDT',
      text: asReceived(
        `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":${(E += 100)},"s":"BTCUSDT","U":${U},"u":${u},"b":${rows(m.bids)},"a":${rows(m.asks)}}}`,
      ),
    });
  }
  return stream(`Binance generated, ${depth} levels`, ['BTCUSDT'], items);
}

export function binanceBookStreams(): BookStream[] {
  return [captureStream(), generatedStream(1000, 2000)];
}
