// Kraken WebSocket v2 public messages and their hot-path checks. v2 sends prices and
// quantities as JSON numbers written at the pair's full precision (`0.10000000`); a plain
// JSON.parse would turn them into doubles and lose that spelling, which the book checksum needs.
// So book frames are parsed decimal-preserving: before JSON.parse, the `price` and `qty` number
// tokens are turned into strings (one regular-expression pass, compiled once). Everything that
// enters from the network is then checked field by field, without schema objects.
// https://docs.kraken.com/api/docs/websocket-v2/book

import { plainDecimal } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import { DECIMAL, MessageGuards } from '../message-guards.js';

const g: MessageGuards = new MessageGuards('Kraken', 'kraken');

const BOOK_FRAME = /"channel"\s*:\s*"book"/;
const LEVEL_NUMBER = /"(price|qty)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** JSON.parse that keeps the spelling of book prices and quantities (as strings). */
export function parseKrakenFrame(text: string): unknown {
  return JSON.parse(BOOK_FRAME.test(text) ? text.replace(LEVEL_NUMBER, '"$1":"$2"') : text);
}

export { plainDecimal } from '../../core/json-scan.js';

export interface KrakenLevel {
  readonly price: string;
  readonly qty: string;
}

export interface BookData {
  readonly symbol: string;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  readonly checksum: number;
  /** `timestamp`, as ms. */
  readonly ts: number;
}

/** A checked book message (by the scanner, book-scan.ts, or by asBookFrame from parsed JSON). */
export class BookFrame {
  readonly channel = 'book';
  constructor(
    readonly type: 'snapshot' | 'update',
    readonly data: readonly BookData[],
  ) {}
}

export interface KrakenTrade {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly qty: number;
  readonly trade_id: number;
  readonly timestamp: string;
}

export interface KrakenTicker {
  readonly symbol: string;
  readonly bid: number;
  readonly bid_qty: number;
  readonly ask: number;
  readonly ask_qty: number;
  readonly last: number;
  readonly volume: number;
  readonly low: number;
  readonly high: number;
  readonly change: number;
}

export interface KrakenBar {
  readonly symbol: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly vwap?: number;
  readonly interval_begin: string;
  readonly interval: number;
  readonly timestamp: string;
}

function num(o: Record<string, unknown>, key: string, what: string, min = 0): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) g.fail(what, `${key} is not a number`);
  return v;
}

function dataOf(value: unknown, what: string): { readonly type: 'snapshot' | 'update'; readonly data: readonly unknown[] } {
  const o = g.record(value, what);
  const type = o['type'];
  if (type !== 'snapshot' && type !== 'update') g.fail(what, 'type is neither snapshot nor update');
  const data = o['data'];
  if (!Array.isArray(data)) g.fail(what, 'data is not a list');
  return { type, data: data as unknown[] };
}

/** Levels as parsed by parseKrakenFrame: price and qty decimal strings (exponents written out). */
function levels(value: unknown, what: string, field: string): PriceLevel[] {
  if (!Array.isArray(value)) g.fail(what, `${field} is not a list`);
  return (value as unknown[]).map((row) => {
    const level = row as { price?: unknown; qty?: unknown } | null;
    if (level === null || typeof level !== 'object' || typeof level.price !== 'string' || typeof level.qty !== 'string') {
      g.fail(what, `${field} holds a level without a decimal price and qty`);
    }
    const priceStr = DECIMAL.test(level.price) ? level.price : plainDecimal(level.price);
    const sizeStr = DECIMAL.test(level.qty) ? level.qty : plainDecimal(level.qty);
    if (!DECIMAL.test(priceStr) || !DECIMAL.test(sizeStr)) g.fail(what, `${field} holds a level that is not a decimal`);
    return { price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr };
  });
}

/** A book message: as the scanner read it, or checked here from parseKrakenFrame's output. */
export function asBookFrame(value: unknown): BookFrame {
  if (value instanceof BookFrame) return value;
  const what = 'book message';
  const { type, data } = dataOf(value, what);
  return new BookFrame(
    type,
    data.map((item) => {
      const d = g.record(item, what);
      const symbol = g.text(d, 'symbol', what);
      const bids = levels(d['bids'], what, 'bids');
      const asks = levels(d['asks'], what, 'asks');
      const checksum = d['checksum'];
      if (typeof checksum !== 'number' || !Number.isSafeInteger(checksum) || checksum < 0) g.fail(what, 'checksum is not an unsigned integer');
      const ts = g.time(d, 'timestamp', what);
      return { symbol, bids, asks, checksum, ts };
    }),
  );
}

export function asTrades(value: unknown): readonly KrakenTrade[] {
  const what = 'trade message';
  const { data } = dataOf(value, what);
  for (const item of data) {
    const t = g.record(item, what);
    g.text(t, 'symbol', what);
    if (t['side'] !== 'buy' && t['side'] !== 'sell') g.fail(what, 'side is neither buy nor sell');
    num(t, 'price', what);
    num(t, 'qty', what);
    num(t, 'trade_id', what);
    g.time(t, 'timestamp', what);
  }
  return data as KrakenTrade[];
}

export function asTickers(value: unknown): readonly KrakenTicker[] {
  const what = 'ticker';
  const { data } = dataOf(value, what);
  for (const item of data) {
    const t = g.record(item, what);
    g.text(t, 'symbol', what);
    for (const key of ['bid', 'bid_qty', 'ask', 'ask_qty', 'last', 'volume', 'low', 'high']) num(t, key, what);
    num(t, 'change', what, -Infinity);
  }
  return data as KrakenTicker[];
}

export function asBars(value: unknown): readonly KrakenBar[] {
  const what = 'ohlc message';
  const { data } = dataOf(value, what);
  for (const item of data) {
    const b = g.record(item, what);
    g.text(b, 'symbol', what);
    for (const key of ['open', 'high', 'low', 'close', 'volume']) num(b, key, what);
    g.time(b, 'interval_begin', what);
    num(b, 'interval', what, 1);
  }
  return data as KrakenBar[];
}
