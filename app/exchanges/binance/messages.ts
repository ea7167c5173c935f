// Binance market-data messages (spot and USDⓈ-M futures) and their hot-path checks. Everything
// that enters from the network is checked here, field by field, without schema objects:
// prices and sizes must be decimal strings, ids and times integers.
// https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
// https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams

import type { PriceLevel } from '../../core/types.js';
import { DECIMAL, MessageGuards } from '../message-guards.js';

const g: MessageGuards = new MessageGuards('Binance', 'binance');

/** `[price, quantity]`, both decimal strings. */
export type BinanceLevel = readonly [price: string, quantity: string];

/** `<symbol>@depth@100ms`: a diff of the book; futures add `pu` (the previous `u`). */
/**
 * `<symbol>@depth@100ms`: absolute sizes from `U` to `u` (futures: `pu`, the previous `u`), its
 * levels as the book stores them. Checked: read by the scanner (book-scan.ts) or by asDepthUpdate.
 */
export class DepthUpdate {
  readonly e = 'depthUpdate';
  constructor(
    readonly E: number,
    readonly s: string,
    readonly U: number,
    readonly u: number,
    readonly pu: number | undefined,
    readonly b: readonly PriceLevel[],
    readonly a: readonly PriceLevel[],
  ) {}
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
/** A REST depth snapshot, its levels as the book stores them. */
export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
  readonly E?: number;
}

/** A list of `[price, quantity]` decimal strings (checked in place, no copies). */
export function levels(value: unknown, what: string, field: string): readonly BinanceLevel[] {
  return g.pairs(value, what, field, 'quantity');
}

export function asDepthUpdate(value: unknown): DepthUpdate {
  if (value instanceof DepthUpdate) return value;
  const what = 'depth update';
  const o = g.record(value, what);
  if (o['e'] !== 'depthUpdate') g.fail(what, 'e is not depthUpdate');
  const E = g.int(o, 'E', what);
  const s = g.text(o, 's', what);
  const U = g.int(o, 'U', what);
  const u = g.int(o, 'u', what);
  const pu = o['pu'] === undefined ? undefined : g.int(o, 'pu', what);
  const toLevels = (rows: readonly BinanceLevel[]): PriceLevel[] =>
    rows.map(([priceStr, sizeStr]) => ({ price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr }));
  return new DepthUpdate(E, s, U, u, pu, toLevels(levels(o['b'], what, 'b')), toLevels(levels(o['a'], what, 'a')));
}

export function asAggTrade(value: unknown): AggTrade {
  const what = 'trade';
  const o = g.record(value, what);
  for (const key of ['E', 'a', 'f', 'l', 'T']) g.int(o, key, what);
  g.text(o, 's', what);
  g.decimal(o, 'p', what);
  g.decimal(o, 'q', what);
  if (typeof o['m'] !== 'boolean') g.fail(what, 'm is not a boolean');
  return o as unknown as AggTrade;
}

export function asTicker24h(value: unknown): Ticker24h {
  const what = '24h ticker';
  const o = g.record(value, what);
  g.int(o, 'E', what);
  g.text(o, 's', what);
  for (const key of ['c', 'o', 'h', 'l', 'v', 'q']) g.decimal(o, key, what);
  for (const key of ['Q', 'b', 'B', 'a', 'A']) if (o[key] !== undefined) g.decimal(o, key, what);
  return o as unknown as Ticker24h;
}

export function asBookTicker(value: unknown): BookTicker {
  const what = 'best bid/ask';
  const o = g.record(value, what);
  g.int(o, 'u', what);
  g.text(o, 's', what);
  for (const key of ['b', 'B', 'a', 'A']) g.decimal(o, key, what);
  if (o['E'] !== undefined) g.int(o, 'E', what);
  return o as unknown as BookTicker;
}

/**
 * `<symbol>@markPrice@1s` (USDⓈ-M futures): mark `p`, index `i`, estimated settle price `P`,
 * funding rate `r`, next funding time `T`. Docs: derivatives/usds-margined-futures/
 * websocket-market-streams/Mark-Price-Stream. Sample:
 * {"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}
 */
export interface MarkPriceUpdate {
  readonly E: number;
  readonly s: string;
  readonly p: string;
  readonly i: string;
  readonly r: string;
  readonly T: number;
}

export function asMarkPrice(value: unknown): MarkPriceUpdate {
  const what = 'mark price';
  const o = g.record(value, what);
  g.int(o, 'E', what);
  g.int(o, 'T', what);
  g.text(o, 's', what);
  g.decimal(o, 'p', what);
  g.decimal(o, 'i', what);
  g.signedDecimal(o, 'r', what);
  return o as unknown as MarkPriceUpdate;
}

/**
 * `GET /fapi/v1/openInterest` (in the base asset; Binance streams no open interest):
 * {"openInterest":"10659.509","symbol":"BTCUSDT","time":1589437530011}. Recorded beside the
 * stream as `<symbol>@openInterest`, so that a replay has it too.
 */
export interface OpenInterest {
  readonly openInterest: string;
  readonly symbol: string;
  readonly time: number;
}

export function asOpenInterest(value: unknown): OpenInterest {
  const what = 'open interest';
  const o = g.record(value, what);
  g.decimal(o, 'openInterest', what);
  g.text(o, 'symbol', what);
  g.int(o, 'time', what);
  return o as unknown as OpenInterest;
}

export function asKline(value: unknown): Kline {
  const what = 'kline';
  const o = g.record(value, what);
  g.int(o, 'E', what);
  g.text(o, 's', what);
  const k = g.record(o['k'], what);
  g.int(k, 't', what);
  g.int(k, 'T', what);
  g.text(k, 'i', what);
  for (const key of ['o', 'c', 'h', 'l', 'v', 'q']) g.decimal(k, key, what);
  if (typeof k['x'] !== 'boolean') g.fail(what, 'k.x is not a boolean');
  return o as unknown as Kline;
}

export function asDepthSnapshot(value: unknown): DepthSnapshot {
  const what = 'REST depth snapshot';
  const o = g.record(value, what);
  const lastUpdateId = g.int(o, 'lastUpdateId', what);
  const E = o['E'] === undefined ? undefined : g.int(o, 'E', what);
  const toLevels = (rows: readonly BinanceLevel[]): PriceLevel[] =>
    rows.map(([priceStr, sizeStr]) => ({ price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr }));
  const bids = toLevels(levels(o['bids'], what, 'bids'));
  const asks = toLevels(levels(o['asks'], what, 'asks'));
  return E === undefined ? { lastUpdateId, bids, asks } : { lastUpdateId, bids, asks, E };
}

/** A REST kline row: `[openTime, o, h, l, c, volume, closeTime, quoteVolume, …]`. */
export function asKlineRow(value: unknown): readonly [number, string, string, string, string, string, number, string] {
  const what = 'REST kline';
  if (!Array.isArray(value) || value.length < 8) g.fail(what, 'not a kline row');
  const row = value as unknown[];
  if (typeof row[0] !== 'number' || typeof row[6] !== 'number') g.fail(what, 'times are not integers');
  for (const i of [1, 2, 3, 4, 5, 7]) if (typeof row[i] !== 'string' || !DECIMAL.test(row[i])) g.fail(what, `field ${i} is not a decimal number`);
  return row as unknown as readonly [number, string, string, string, string, string, number, string];
}
