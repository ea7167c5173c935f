// Bybit v5 public messages (linear and spot) and their hot-path checks. Everything that enters
// from the network is checked here, field by field, without schema objects: prices and sizes
// must be decimal strings, ids and times integers. Lists are checked in place, never copied.
// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
// https://bybit-exchange.github.io/docs/v5/websocket/public/trade
// https://bybit-exchange.github.io/docs/v5/websocket/public/ticker
// https://bybit-exchange.github.io/docs/v5/websocket/public/kline

import type { PriceLevel } from '../../core/types.js';
import { DECIMAL, MessageGuards } from '../message-guards.js';

const g: MessageGuards = new MessageGuards('Bybit', 'bybit');

/** `[price, size]`, both decimal strings; size `"0"` deletes the level. */
export type BybitLevel = readonly [price: string, size: string];

/** `orderbook.{depth}.{symbol}`'s `data`, its levels as the book stores them. */
export interface BookData {
  readonly s: string;
  readonly b: readonly PriceLevel[];
  readonly a: readonly PriceLevel[];
  readonly u: number;
  readonly seq: number | undefined;
}

/**
 * `orderbook.{depth}.{symbol}`: a snapshot or a delta; `u` grows by 1 per message, `u = 1` is a
 * restart snapshot. Checked: read by the scanner (book-scan.ts) or by asBookMessage.
 */
export class BookMessage {
  constructor(
    readonly topic: string,
    readonly type: 'snapshot' | 'delta',
    readonly ts: number,
    readonly cts: number | undefined,
    readonly data: BookData,
  ) {}
}

/** One print of `publicTrade.{symbol}`; `S` is the taker's side. */
export interface PublicTrade {
  readonly T: number;
  readonly s: string;
  readonly S: 'Buy' | 'Sell';
  readonly v: string;
  readonly p: string;
  readonly i: string;
  readonly seq?: number;
}

/** `tickers.{symbol}` fields we read (linear deltas carry only what changed). */
export interface TickerFields {
  readonly symbol?: string;
  readonly lastPrice?: string;
  readonly prevPrice24h?: string;
  readonly highPrice24h?: string;
  readonly lowPrice24h?: string;
  readonly volume24h?: string;
  readonly turnover24h?: string;
  readonly bid1Price?: string;
  readonly bid1Size?: string;
  readonly ask1Price?: string;
  readonly ask1Size?: string;
  /** Contracts (linear): mark and index price, open interest in the base coin, funding. */
  readonly markPrice?: string;
  readonly indexPrice?: string;
  readonly openInterest?: string;
  readonly fundingRate?: string;
  /** Millisecond timestamp as a string. */
  readonly nextFundingTime?: string;
}

export interface TickerMessage {
  readonly topic: string;
  readonly type: 'snapshot' | 'delta';
  readonly ts: number;
  readonly data: TickerFields;
}

/** One bar of `kline.{interval}.{symbol}`; `confirm` once it is final. */
export interface KlineBar {
  readonly start: number;
  readonly end: number;
  readonly interval: string;
  readonly open: string;
  readonly close: string;
  readonly high: string;
  readonly low: string;
  readonly volume: string;
  readonly turnover: string;
  readonly confirm: boolean;
  readonly timestamp: number;
}

const TICKER_DECIMALS = [
  'lastPrice',
  'prevPrice24h',
  'highPrice24h',
  'lowPrice24h',
  'volume24h',
  'turnover24h',
  'bid1Price',
  'bid1Size',
  'ask1Price',
  'ask1Size',
  'markPrice',
  'indexPrice',
  'openInterest',
];

function type(o: Record<string, unknown>, what: string): 'snapshot' | 'delta' {
  const v = o['type'];
  if (v !== 'snapshot' && v !== 'delta') g.fail(what, 'type is neither snapshot nor delta');
  return v;
}

/** A list of `[price, size]` decimal strings (checked in place, no copies). */
export function levels(value: unknown, what: string, field: string): readonly BybitLevel[] {
  return g.pairs(value, what, field, 'size');
}

export function asBookMessage(value: unknown): BookMessage {
  if (value instanceof BookMessage) return value;
  const what = 'order book message';
  const o = g.record(value, what);
  const kind = type(o, what);
  const ts = g.int(o, 'ts', what);
  const cts = o['cts'] === undefined ? undefined : g.int(o, 'cts', what);
  const d = g.record(o['data'], what);
  const s = g.text(d, 's', what);
  const u = g.int(d, 'u', what);
  if (u < 1) g.fail(what, 'u is not positive');
  const seq = d['seq'] === undefined ? undefined : g.int(d, 'seq', what);
  const toLevels = (rows: readonly BybitLevel[]): PriceLevel[] =>
    rows.map(([priceStr, sizeStr]) => ({ price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr }));
  const b = toLevels(levels(d['b'], what, 'b'));
  const a = toLevels(levels(d['a'], what, 'a'));
  return new BookMessage(typeof o['topic'] === 'string' ? o['topic'] : '', kind, ts, cts, { s, b, a, u, seq });
}

export function asTrades(value: unknown): { readonly ts: number; readonly data: readonly PublicTrade[] } {
  const what = 'trade message';
  const o = g.record(value, what);
  g.int(o, 'ts', what);
  const data = o['data'];
  if (!Array.isArray(data)) g.fail(what, 'data is not a list');
  for (const item of data as unknown[]) {
    const t = g.record(item, what);
    g.int(t, 'T', what);
    g.text(t, 's', what);
    if (t['S'] !== 'Buy' && t['S'] !== 'Sell') g.fail(what, 'S is neither Buy nor Sell');
    g.decimal(t, 'v', what);
    g.decimal(t, 'p', what);
    g.text(t, 'i', what);
  }
  return o as unknown as { ts: number; data: readonly PublicTrade[] };
}

export function asTickerMessage(value: unknown): TickerMessage {
  const what = 'ticker';
  const o = g.record(value, what);
  type(o, what);
  g.int(o, 'ts', what);
  const d = g.record(o['data'], what);
  for (const key of TICKER_DECIMALS) if (d[key] !== undefined && d[key] !== '') g.decimal(d, key, what);
  if (d['fundingRate'] !== undefined && d['fundingRate'] !== '') g.signedDecimal(d, 'fundingRate', what);
  const next = d['nextFundingTime'];
  if (next !== undefined && next !== '' && (typeof next !== 'string' || !/^\d{1,16}$/.test(next))) g.fail(what, 'nextFundingTime is not a timestamp');
  return o as unknown as TickerMessage;
}

export function asKlines(value: unknown): { readonly ts: number; readonly data: readonly KlineBar[] } {
  const what = 'kline';
  const o = g.record(value, what);
  g.int(o, 'ts', what);
  const data = o['data'];
  if (!Array.isArray(data)) g.fail(what, 'data is not a list');
  for (const item of data as unknown[]) {
    const k = g.record(item, what);
    for (const key of ['start', 'end', 'timestamp']) g.int(k, key, what);
    g.text(k, 'interval', what);
    for (const key of ['open', 'close', 'high', 'low', 'volume', 'turnover']) g.decimal(k, key, what);
    if (typeof k['confirm'] !== 'boolean') g.fail(what, 'confirm is not a boolean');
  }
  return o as unknown as { ts: number; data: readonly KlineBar[] };
}

/** A REST kline row `[start, open, high, low, close, volume, turnover]` (strings). */
export type KlineRow = readonly [start: string, open: string, high: string, low: string, close: string, volume: string, turnover: string];

export function asKlineRow(value: unknown): KlineRow {
  const what = 'REST kline';
  if (!Array.isArray(value) || value.length < 7) g.fail(what, 'not a kline row');
  const row = value as unknown[];
  if (typeof row[0] !== 'string' || !/^\d+$/.test(row[0])) g.fail(what, 'start is not a time');
  for (let i = 1; i < 7; i += 1) if (typeof row[i] !== 'string' || !DECIMAL.test(row[i] as string)) g.fail(what, `field ${i} is not a decimal number`);
  return row as unknown as KlineRow;
}
