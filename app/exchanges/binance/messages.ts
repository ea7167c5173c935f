// Binance market-data messages (spot and USDⓈ-M futures) and their hot-path checks. Everything
// that enters from the network is checked here, field by field, without schema objects:
// prices and sizes must be decimal strings, ids and times integers.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams

import { ExchangeProtocolError } from '../../core/errors.js';

/** `[price, quantity]`, both decimal strings. */
export type BinanceLevel = readonly [price: string, quantity: string];

/** `<symbol>@depth@100ms`: a diff of the book; futures add `pu` (the previous `u`). */
export interface DepthUpdate {
  readonly e: 'depthUpdate';
  readonly E: number;
  readonly s: string;
  readonly U: number;
  readonly u: number;
  readonly pu?: number;
  readonly b: readonly BinanceLevel[];
  readonly a: readonly BinanceLevel[];
}

/** `<symbol>@aggTrade`: one taker order's fills at one price. */
export interface AggTrade {
  readonly e: 'aggTrade';
  readonly E: number;
  readonly s: string;
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  /** The buyer was the maker: the taker sold. */
  readonly m: boolean;
}

/** `<symbol>@ticker`: rolling 24 h statistics (spot adds the best bid and ask). */
export interface Ticker24h {
  readonly e: '24hrTicker';
  readonly E: number;
  readonly s: string;
  readonly c: string;
  readonly Q?: string;
  readonly o: string;
  readonly h: string;
  readonly l: string;
  readonly v: string;
  readonly q: string;
  readonly b?: string;
  readonly B?: string;
  readonly a?: string;
  readonly A?: string;
}

/** `<symbol>@bookTicker`: the best bid and ask (futures add event time `E`). */
export interface BookTicker {
  readonly u: number;
  readonly s: string;
  readonly b: string;
  readonly B: string;
  readonly a: string;
  readonly A: string;
  readonly E?: number;
}

/** `<symbol>@kline_<interval>`. */
export interface Kline {
  readonly e: 'kline';
  readonly E: number;
  readonly s: string;
  readonly k: {
    readonly t: number;
    readonly T: number;
    readonly i: string;
    readonly o: string;
    readonly c: string;
    readonly h: string;
    readonly l: string;
    readonly v: string;
    readonly q: string;
    readonly x: boolean;
  };
}

/** REST `GET /api/v3/depth` and `/fapi/v1/depth`. */
export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly BinanceLevel[];
  readonly asks: readonly BinanceLevel[];
  readonly E?: number;
}

const DECIMAL = /^\d+(\.\d+)?$/;

function fail(what: string, field: string): never {
  throw new ExchangeProtocolError(`Binance sent a malformed ${what}: ${field}`, { exchange: 'binance' });
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(what, 'not an object');
  return value as Record<string, unknown>;
}

function int(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(what, `${key} is not an integer`);
  return v;
}

function decimal(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !DECIMAL.test(v)) fail(what, `${key} is not a decimal number`);
  return v;
}

function text(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(what, `${key} is missing`);
  return v;
}

/** A list of `[price, qty]` decimal strings (checked in place, no copies). */
export function levels(value: unknown, what: string, field: string): readonly BinanceLevel[] {
  if (!Array.isArray(value)) fail(what, `${field} is not a list`);
  for (const row of value as unknown[]) {
    if (!Array.isArray(row) || row.length < 2 || typeof row[0] !== 'string' || typeof row[1] !== 'string' || !DECIMAL.test(row[0]) || !DECIMAL.test(row[1])) {
      fail(what, `${field} holds a level that is not [price, quantity] in decimals`);
    }
  }
  return value as BinanceLevel[];
}

export function asDepthUpdate(value: unknown): DepthUpdate {
  const what = 'depth update';
  const o = record(value, what);
  if (o['e'] !== 'depthUpdate') fail(what, 'e is not depthUpdate');
  int(o, 'E', what);
  text(o, 's', what);
  int(o, 'U', what);
  int(o, 'u', what);
  if (o['pu'] !== undefined) int(o, 'pu', what);
  levels(o['b'], what, 'b');
  levels(o['a'], what, 'a');
  return o as unknown as DepthUpdate;
}

export function asAggTrade(value: unknown): AggTrade {
  const what = 'trade';
  const o = record(value, what);
  for (const key of ['E', 'a', 'f', 'l', 'T']) int(o, key, what);
  text(o, 's', what);
  decimal(o, 'p', what);
  decimal(o, 'q', what);
  if (typeof o['m'] !== 'boolean') fail(what, 'm is not a boolean');
  return o as unknown as AggTrade;
}

export function asTicker24h(value: unknown): Ticker24h {
  const what = '24h ticker';
  const o = record(value, what);
  int(o, 'E', what);
  text(o, 's', what);
  for (const key of ['c', 'o', 'h', 'l', 'v', 'q']) decimal(o, key, what);
  for (const key of ['Q', 'b', 'B', 'a', 'A']) if (o[key] !== undefined) decimal(o, key, what);
  return o as unknown as Ticker24h;
}

export function asBookTicker(value: unknown): BookTicker {
  const what = 'best bid/ask';
  const o = record(value, what);
  int(o, 'u', what);
  text(o, 's', what);
  for (const key of ['b', 'B', 'a', 'A']) decimal(o, key, what);
  if (o['E'] !== undefined) int(o, 'E', what);
  return o as unknown as BookTicker;
}

export function asKline(value: unknown): Kline {
  const what = 'kline';
  const o = record(value, what);
  int(o, 'E', what);
  text(o, 's', what);
  const k = record(o['k'], what);
  int(k, 't', what);
  int(k, 'T', what);
  text(k, 'i', what);
  for (const key of ['o', 'c', 'h', 'l', 'v', 'q']) decimal(k, key, what);
  if (typeof k['x'] !== 'boolean') fail(what, 'k.x is not a boolean');
  return o as unknown as Kline;
}

export function asDepthSnapshot(value: unknown): DepthSnapshot {
  const what = 'REST depth snapshot';
  const o = record(value, what);
  int(o, 'lastUpdateId', what);
  levels(o['bids'], what, 'bids');
  levels(o['asks'], what, 'asks');
  return o as unknown as DepthSnapshot;
}

/** A REST kline row: `[openTime, o, h, l, c, volume, closeTime, quoteVolume, …]`. */
export function asKlineRow(value: unknown): readonly [number, string, string, string, string, string, number, string] {
  const what = 'REST kline';
  if (!Array.isArray(value) || value.length < 8) fail(what, 'not a kline row');
  const row = value as unknown[];
  if (typeof row[0] !== 'number' || typeof row[6] !== 'number') fail(what, 'times are not integers');
  for (const i of [1, 2, 3, 4, 5, 7]) if (typeof row[i] !== 'string' || !DECIMAL.test(row[i])) fail(what, `field ${i} is not a decimal number`);
  return row as unknown as readonly [number, string, string, string, string, string, number, string];
}
