// Coinbase Advanced Trade market-data messages and their hot-path checks. Everything that
// enters from the network is checked here, field by field, without schema objects: prices and
// sizes must be decimal strings, times ISO-8601. Lists are checked in place, never copied.
// https://docs.cdp.coinbase.com/advanced-trade/docs/ws-channels

import type { PriceLevel } from '../../core/types.js';
import { DECIMAL, MessageGuards } from '../message-guards.js';

const g: MessageGuards = new MessageGuards('Coinbase', 'coinbase');

/** The envelope of every data frame. */
export interface Envelope<E> {
  readonly channel: string;
  readonly timestamp: string;
  readonly sequence_num: number;
  readonly events: readonly E[];
}

/**
 * One `l2_data` event: a whole book (`snapshot`) or changes (`update`); quantities are absolute,
 * "0" deletes. Its `updates` split by side into the levels the book stores.
 */
export interface L2Event {
  readonly type: 'snapshot' | 'update';
  readonly product_id: string;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

/** A checked `l2_data` frame: read by the scanner (book-scan.ts) or by asL2. */
export class L2Frame {
  constructor(
    /** `timestamp`, as ms. */
    readonly at: number,
    readonly seq: number,
    readonly events: readonly L2Event[],
  ) {}
}

/** `market_trades`: `side` is the resting (maker) order's side; the taker is on the other. */
export interface MarketTrade {
  readonly trade_id: string;
  readonly product_id: string;
  readonly price: string;
  readonly size: string;
  readonly time: string;
  readonly side: 'BUY' | 'SELL';
}

export interface TradesEvent {
  readonly type: 'snapshot' | 'update';
  readonly trades: readonly MarketTrade[];
}

export interface CoinbaseTicker {
  readonly product_id: string;
  readonly price: string;
  readonly volume_24_h?: string;
  readonly low_24_h?: string;
  readonly high_24_h?: string;
  readonly price_percent_chg_24_h?: string;
  readonly best_bid?: string;
  readonly best_ask?: string;
  readonly best_bid_quantity?: string;
  readonly best_ask_quantity?: string;
}

export interface TickerEvent {
  readonly type: 'snapshot' | 'update';
  readonly tickers: readonly CoinbaseTicker[];
}

/** A 5-minute bar of the `candles` channel; `start` in unix seconds. No closed flag. */
export interface CoinbaseCandle {
  readonly start: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly product_id: string;
}

export interface CandlesEvent {
  readonly type: 'snapshot' | 'update';
  readonly candles: readonly CoinbaseCandle[];
}

// A signed decimal (24 h change); only checked where present.
const SIGNED = /^-?\d+(\.\d+)?(e-?\d+)?$/i;

function kind(o: Record<string, unknown>, what: string): 'snapshot' | 'update' {
  const v = o['type'];
  if (v !== 'snapshot' && v !== 'update') g.fail(what, 'type is neither snapshot nor update');
  return v;
}

function envelope(value: unknown, what: string): { readonly o: Record<string, unknown>; readonly events: readonly unknown[]; readonly at: number } {
  const o = g.record(value, what);
  const at = g.time(o, 'timestamp', what);
  const events = o['events'];
  if (!Array.isArray(events)) g.fail(what, 'events is not a list');
  return { o, events: events as unknown[], at };
}

/** An `l2_data` frame: as the scanner read it, or checked here from JSON.parse's output. */
export function asL2(value: unknown): L2Frame {
  if (value instanceof L2Frame) return value;
  const what = 'level2 message';
  const { o, events, at } = envelope(value, what);
  const seq = o['sequence_num'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) g.fail(what, 'sequence_num is not an integer');
  return new L2Frame(
    at,
    seq,
    events.map((item) => {
      const e = g.record(item, what);
      const type = kind(e, what);
      const product = g.text(e, 'product_id', what);
      const updates = e['updates'];
      if (!Array.isArray(updates)) g.fail(what, 'updates is not a list');
      const bids: PriceLevel[] = [];
      const asks: PriceLevel[] = [];
      for (const u of updates as unknown[]) {
        const level = u as { side?: unknown; price_level?: unknown; new_quantity?: unknown } | null;
        if (
          level === null ||
          typeof level !== 'object' ||
          (level.side !== 'bid' && level.side !== 'offer') ||
          typeof level.price_level !== 'string' ||
          typeof level.new_quantity !== 'string' ||
          !DECIMAL.test(level.price_level) ||
          !DECIMAL.test(level.new_quantity)
        ) {
          g.fail(what, 'updates holds a level that is not {side, price_level, new_quantity} in decimals');
        }
        const priceStr = level.price_level;
        const sizeStr = level.new_quantity;
        (level.side === 'bid' ? bids : asks).push({ price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr });
      }
      return { type, product_id: product, bids, asks };
    }),
  );
}

export function asTrades(value: unknown): { readonly at: number; readonly events: readonly TradesEvent[] } {
  const what = 'trade message';
  const { events, at } = envelope(value, what);
  for (const item of events) {
    const e = g.record(item, what);
    kind(e, what);
    const trades = e['trades'];
    if (!Array.isArray(trades)) g.fail(what, 'trades is not a list');
    for (const t of trades as unknown[]) {
      const trade = g.record(t, what);
      g.text(trade, 'trade_id', what);
      g.text(trade, 'product_id', what);
      g.decimal(trade, 'price', what);
      g.decimal(trade, 'size', what);
      g.time(trade, 'time', what);
      if (trade['side'] !== 'BUY' && trade['side'] !== 'SELL') g.fail(what, 'side is neither BUY nor SELL');
    }
  }
  return { at, events: events as TradesEvent[] };
}

export function asTickers(value: unknown): { readonly at: number; readonly events: readonly TickerEvent[] } {
  const what = 'ticker';
  const { events, at } = envelope(value, what);
  for (const item of events) {
    const e = g.record(item, what);
    const tickers = e['tickers'];
    if (!Array.isArray(tickers)) g.fail(what, 'tickers is not a list');
    for (const t of tickers as unknown[]) {
      const ticker = g.record(t, what);
      g.text(ticker, 'product_id', what);
      g.decimal(ticker, 'price', what);
      for (const key of ['volume_24_h', 'low_24_h', 'high_24_h', 'best_bid', 'best_ask', 'best_bid_quantity', 'best_ask_quantity']) {
        if (ticker[key] !== undefined && ticker[key] !== '') g.decimal(ticker, key, what);
      }
      const change = ticker['price_percent_chg_24_h'];
      if (change !== undefined && (typeof change !== 'string' || !SIGNED.test(change))) g.fail(what, 'price_percent_chg_24_h is not a number');
    }
  }
  return { at, events: events as TickerEvent[] };
}

export function asCandles(value: unknown): { readonly at: number; readonly events: readonly CandlesEvent[] } {
  const what = 'candles message';
  const { events, at } = envelope(value, what);
  for (const item of events) {
    const e = g.record(item, what);
    const candles = e['candles'];
    if (!Array.isArray(candles)) g.fail(what, 'candles is not a list');
    for (const c of candles as unknown[]) {
      const candle = g.record(c, what);
      const start = g.text(candle, 'start', what);
      if (!/^\d+$/.test(start)) g.fail(what, 'start is not a unix time');
      g.text(candle, 'product_id', what);
      for (const key of ['open', 'high', 'low', 'close', 'volume']) g.decimal(candle, key, what);
    }
  }
  return { at, events: events as CandlesEvent[] };
}
