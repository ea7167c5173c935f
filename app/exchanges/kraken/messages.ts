// Kraken WebSocket v2 public messages and their hot-path checks. v2 sends prices and
// quantities as JSON numbers written at the pair's full precision (`0.10000000`); a plain
// JSON.parse would turn them into doubles and lose that spelling, which the book checksum needs.
// So book frames are parsed decimal-preserving: before JSON.parse, the `price` and `qty` number
// tokens are turned into strings (one regular-expression pass, compiled once). Everything that
// enters from the network is then checked field by field, without schema objects.
// https://docs.kraken.com/api/docs/websocket-v2/book

import { DECIMAL, MessageGuards } from '../message-guards.js';

const g: MessageGuards = new MessageGuards('Kraken', 'kraken');

const BOOK_FRAME = /"channel"\s*:\s*"book"/;
const LEVEL_NUMBER = /"(price|qty)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** JSON.parse that keeps the spelling of book prices and quantities (as strings). */
export function parseKrakenFrame(text: string): unknown {
  return JSON.parse(BOOK_FRAME.test(text) ? text.replace(LEVEL_NUMBER, '"$1":"$2"') : text);
}

/** `1.5e-7` → `0.00000015`, exactly (string arithmetic); plain decimals are returned as they are. */
export function plainDecimal(token: string): string {
  const e = token.search(/[eE]/);
  if (e < 0) return token;
  const exponent = Number(token.slice(e + 1));
  const mantissa = token.slice(0, e);
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const position = (point < 0 ? mantissa.length : point) + exponent;
  if (position <= 0) return `0.${'0'.repeat(-position)}${digits}`;
  if (position >= digits.length) return digits + '0'.repeat(position - digits.length);
  return `${digits.slice(0, position)}.${digits.slice(position)}`;
}

export interface KrakenLevel {
  readonly price: string;
  readonly qty: string;
}

export interface BookData {
  readonly symbol: string;
  readonly bids: readonly KrakenLevel[];
  readonly asks: readonly KrakenLevel[];
  readonly checksum: number;
  readonly timestamp: string;
}

export interface BookFrame {
  readonly channel: 'book';
  readonly type: 'snapshot' | 'update';
  readonly data: readonly BookData[];
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

/** Levels as parsed by parseKrakenFrame: price and qty decimal strings (exponents written out in place). */
function levels(value: unknown, what: string, field: string): readonly KrakenLevel[] {
  if (!Array.isArray(value)) g.fail(what, `${field} is not a list`);
  for (const row of value as unknown[]) {
    const level = row as { price?: unknown; qty?: unknown } | null;
    if (level === null || typeof level !== 'object' || typeof level.price !== 'string' || typeof level.qty !== 'string') {
      g.fail(what, `${field} holds a level without a decimal price and qty`);
    }
    if (!DECIMAL.test(level.price)) level.price = plainDecimal(level.price);
    if (!DECIMAL.test(level.qty)) level.qty = plainDecimal(level.qty);
    if (!DECIMAL.test(level.price as string) || !DECIMAL.test(level.qty as string)) g.fail(what, `${field} holds a level that is not a decimal`);
  }
  return value as KrakenLevel[];
}

export function asBookFrame(value: unknown): BookFrame {
  const what = 'book message';
  const { data } = dataOf(value, what);
  for (const item of data) {
    const d = g.record(item, what);
    g.text(d, 'symbol', what);
    levels(d['bids'], what, 'bids');
    levels(d['asks'], what, 'asks');
    const checksum = d['checksum'];
    if (typeof checksum !== 'number' || !Number.isSafeInteger(checksum) || checksum < 0) g.fail(what, 'checksum is not an unsigned integer');
    g.time(d, 'timestamp', what);
  }
  return value as BookFrame;
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
