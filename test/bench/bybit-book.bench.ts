// Bybit book pipelines side by side (see book-compare.ts): the real 2026 v5 capture (6 books,
// linear and spot: `orderbook.200` snapshots and `u`-chained deltas) and a generated
// `orderbook.200` stream, through the feed processor the collector and replays use (scan +
// checks + BookSync cut to depth + events), ccxt pro's Bybit handler and bare JSON.parse.

import { BybitFeedProcessor } from '../../app/exchanges/bybit/feed-processor.js';
import { BYBIT_MARKETS } from '../../app/exchanges/bybit/markets.js';
import { BYBIT_CAPTURE_BOOKS, readBybitCapture } from '../sim/bybit/capture.js';
import { asReceived, parsePass, type BookStream } from './book-compare.js';
import { ccxtHarness, type CcxtMarket } from './ccxt-fake.js';
import { generateBookStream, type Row } from './generated-book.js';
import { quietSink } from './quiet-sink.js';

interface Item {
  /** Index into BOOKS. */
  readonly book: number;
  readonly text: string;
}

interface Book {
  readonly market: 'linear' | 'spot';
  readonly symbol: string;
}

function ccxtMarket(book: Book): CcxtMarket {
  const base = book.symbol.replace(/USDT$/, '');
  return book.market === 'spot'
    ? { id: book.symbol, symbol: `${base}/USDT`, type: 'spot', base, quote: 'USDT' }
    : { id: book.symbol, symbol: `${base}/USDT:USDT`, type: 'swap', base, quote: 'USDT', settle: 'USDT', linear: true };
}

function stream(label: string, books: readonly Book[], items: readonly Item[]): BookStream {
  const texts = items.map((i) => i.text);
  const markets = books.map(ccxtMarket);
  return {
    label,
    messages: items.length,
    ours: () => {
      const processors = books.map(
        ({ market, symbol }) => new BybitFeedProcessor(symbol, BYBIT_MARKETS[market === 'spot' ? 'bybit-spot' : 'bybit'], true, quietSink()),
      );
      let t = 0;
      for (const item of items) processors[item.book]?.handleFrame(item.text, (t += 1));
      for (const p of processors) if (p.bookSync?.state !== 'valid') throw new Error(`${label}: book not valid after a pass`);
    },
    ccxt: () => {
      // Spot and linear share ids: one client per market, as ccxt keeps one per URL.
      const spot = ccxtHarness('bybit', markets, [], 'wss://stream.bybit.com/v5/public/spot');
      const linear = ccxtHarness('bybit', markets, [], 'wss://stream.bybit.com/v5/public/linear');
      for (const item of items) (books[item.book]?.market === 'spot' ? spot : linear).feed(item.text);
      if (spot.client.resolved + linear.client.resolved !== items.length) throw new Error(`${label}: ccxt resolved fewer than every message`);
    },
    parse: parsePass(texts),
  };
}

function captureStream(): BookStream {
  const items: Item[] = [];
  for (const frame of readBybitCapture()) {
    const message = JSON.parse(frame.data) as { topic?: string };
    if (message.topic?.startsWith('orderbook.') !== true) continue;
    const symbol = message.topic.split('.')[2];
    const book = BYBIT_CAPTURE_BOOKS.findIndex((b) => b.market === frame.market && b.symbol === symbol);
    if (book >= 0) items.push({ book, text: asReceived(frame.data) });
  }
  return stream('Bybit 2026 capture (6 books of 200, linear and spot)', BYBIT_CAPTURE_BOOKS, items);
}

function generatedStream(depth: number, updates: number): BookStream {
  const generated = generateBookStream(depth, updates, { slots: depth });
  const rows = (levels: readonly Row[]): string => `[${levels.map(([p, s]) => `["${p}","${s}"]`).join(',')}]`;
  let u = 1_000;
  let ts = 1_780_000_000_000;
  const text = (type: string, bids: readonly Row[], asks: readonly Row[]): string =>
    asReceived(
      `{"topic":"orderbook.${depth}.BTCUSDT","type":"${type}","ts":${(ts += 10)},"data":{"s":"BTCUSDT","b":${rows(bids)},"a":${rows(asks)},"u":${(u += 1)},"seq":${u * 7}},"cts":${ts - 2}}`,
    );
  const items: Item[] = [
    { book: 0, text: text('snapshot', generated.snapshot.bids, generated.snapshot.asks) },
    ...generated.updates.map((m) => ({ book: 0, text: text('delta', m.bids, m.asks) })),
  ];
  return stream(`Bybit generated, ${depth} levels`, [{ market: 'linear', symbol: 'BTCUSDT' }], items);
}

export function bybitBookStreams(): BookStream[] {
  return [captureStream(), generatedStream(200, 2000)];
}
