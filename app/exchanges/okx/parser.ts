// Turns OKX frames into our normalized events. Pure functions: no state, no I/O. Anything that
// does not match the documented shape raises ExchangeProtocolError naming the field.

import type { z } from 'zod';
import { formatIssues, withoutUndefined } from '../../core/config.js';
import { ExchangeProtocolError } from '../../core/errors.js';
import type { BookSnapshot, BookUpdate, Candle, DerivativeFields, Ticker, Trade } from '../../core/types.js';
import { scannedOrUndefined } from '../../core/json-scan.js';
import { scanOkxBookPush } from './book-scan.js';
import {
  okxBookOf,
  okxBookSchema,
  okxCandleSchema,
  okxEventSchema,
  okxPushSchema,
  okxFundingRateSchema,
  okxIndexTickerSchema,
  okxMarkPriceSchema,
  okxOpenInterestSchema,
  okxTickerSchema,
  okxTradeSchema,
  type OkxBook,
  type OkxEvent,
  type OkxPush,
} from './messages.js';

export const OKX = 'okx';

export type OkxFrame = { readonly kind: 'event'; readonly event: OkxEvent } | { readonly kind: 'push'; readonly push: OkxPush };

function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ExchangeProtocolError(`OKX sent a malformed ${what}: ${formatIssues(result.error).join('; ')}`, {
      exchange: OKX,
    });
  }
  return result.data;
}

/** Parses one text frame (not `pong`) into an event or a data push. */
export function decodeFrame(text: string): OkxFrame {
  // Book pushes, the bulk of the traffic, are read in one checked pass. One the scan refuses
  // takes the general path, which says what is wrong where it is handled (a book push that is
  // JSON but not a valid book reaches its processor, which resyncs the book).
  const book = scannedOrUndefined(scanOkxBookPush, text);
  if (book !== undefined) return { kind: 'push', push: book };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExchangeProtocolError(`OKX sent a frame that is not JSON: ${text.slice(0, 80)}`, { exchange: OKX });
  }
  if (typeof value === 'object' && value !== null && 'event' in value) {
    return { kind: 'event', event: check(okxEventSchema, value, 'event') };
  }
  return { kind: 'push', push: check(okxPushSchema, value, 'data push') };
}

export function parseTrades(push: OkxPush, receivedAt: number): Trade[] {
  return push.data.map((row) => {
    const t = check(okxTradeSchema, row, 'trade');
    const trade: Trade = {
      kind: 'trade',
      exchange: OKX,
      symbol: t.instId,
      exchangeTs: Number(t.ts),
      receivedAt,
      tradeId: t.tradeId,
      side: t.side,
      price: Number(t.px),
      priceStr: t.px,
      size: Number(t.sz),
      sizeStr: t.sz,
      fills: t.count === undefined ? 1 : Number(t.count),
    };
    return t.seqId === undefined ? trade : { ...trade, seqId: t.seqId };
  });
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}

export function parseTickers(push: OkxPush, receivedAt: number): Ticker[] {
  return push.data.map((row) => {
    const t = check(okxTickerSchema, row, 'ticker');
    const spot = t.instType === 'SPOT' || t.instType === 'MARGIN' || !/-(SWAP|\d{6})$/.test(t.instId);
    return withoutUndefined<Ticker>({
      kind: 'ticker',
      exchange: OKX,
      symbol: t.instId,
      exchangeTs: Number(t.ts),
      receivedAt,
      last: Number(t.last),
      lastStr: t.last,
      lastSize: optionalNumber(t.lastSz),
      bid: optionalNumber(t.bidPx),
      bidStr: t.bidPx === '' ? undefined : t.bidPx,
      bidSize: optionalNumber(t.bidSz),
      ask: optionalNumber(t.askPx),
      askStr: t.askPx === '' ? undefined : t.askPx,
      askSize: optionalNumber(t.askSz),
      open24h: optionalNumber(t.open24h),
      high24h: optionalNumber(t.high24h),
      low24h: optionalNumber(t.low24h),
      // Spot: vol24h is base, volCcy24h quote. Derivatives: vol24h contracts, volCcy24h base.
      volume24h: optionalNumber(t.vol24h),
      quoteVolume24h: spot ? optionalNumber(t.volCcy24h) : undefined,
    });
  });
}

/** The OKX channels that carry a contract's figures beside its ticker. */
export const DERIVATIVE_CHANNELS = ['mark-price', 'index-tickers', 'open-interest', 'funding-rate'] as const;
export type OkxDerivativeChannel = (typeof DERIVATIVE_CHANNELS)[number];

export function isDerivativeChannel(channel: string): channel is OkxDerivativeChannel {
  return (DERIVATIVE_CHANNELS as readonly string[]).includes(channel);
}

/** The figures one contract-channel push gives (its newest row). */
export function parseDerivatives(push: OkxPush): DerivativeFields {
  const row = push.data.at(-1);
  switch (push.arg.channel) {
    case 'mark-price':
      return { markPrice: Number(check(okxMarkPriceSchema, row, 'mark price').markPx) };
    case 'index-tickers':
      return { indexPrice: Number(check(okxIndexTickerSchema, row, 'index ticker').idxPx) };
    case 'open-interest':
      return { openInterest: Number(check(okxOpenInterestSchema, row, 'open interest').oiCcy) };
    case 'funding-rate': {
      const f = check(okxFundingRateSchema, row, 'funding rate');
      return { fundingRate: Number(f.fundingRate), nextFundingTime: Number(f.fundingTime) };
    }
    default:
      return {};
  }
}

/** The index an OKX contract tracks (`BTC-USDT` for `BTC-USDT-SWAP`); undefined for spot. */
export function okxIndexOf(instId: string): string | undefined {
  return /-(SWAP|\d{6})$/.test(instId) ? instId.split('-').slice(0, 2).join('-') : undefined;
}

/** `candle1m` → `1m`; undefined for channels that are not plain candles (e.g. `…utc`). */
export function timeframeOfChannel(channel: string): string | undefined {
  const match = /^candle(\d+[smHDWM])$/.exec(channel);
  return match?.[1];
}

export function parseCandles(push: OkxPush, receivedAt: number): Candle[] {
  const timeframe = timeframeOfChannel(push.arg.channel);
  const instId = push.arg.instId;
  if (timeframe === undefined || instId === undefined) {
    throw new ExchangeProtocolError(`OKX candle push on an unexpected channel ${push.arg.channel}`, { exchange: OKX });
  }
  return push.data.map((row) => {
    const [ts, o, h, l, c, vol, , volCcyQuote, confirm] = check(okxCandleSchema, row, 'candle');
    return {
      kind: 'candle',
      exchange: OKX,
      symbol: instId,
      exchangeTs: Number(ts),
      receivedAt,
      timeframe,
      openTime: Number(ts),
      open: Number(o),
      openStr: o,
      high: Number(h),
      highStr: h,
      low: Number(l),
      lowStr: l,
      close: Number(c),
      closeStr: c,
      volume: Number(vol),
      volumeStr: vol,
      quoteVolume: Number(volCcyQuote),
      closed: confirm === '1',
    };
  });
}

/** The single book entry of a `books`/`books5` push, checked. */
export function parseBookData(push: OkxPush): OkxBook {
  if (push.book !== undefined) return push.book;
  if (push.data.length !== 1) {
    throw new ExchangeProtocolError(`OKX book push with ${push.data.length} entries (expected 1)`, { exchange: OKX });
  }
  return okxBookOf(check(okxBookSchema, push.data[0], 'order book'));
}

/** Normalized book event for a checked entry (checksum 0 is OKX's "no checksum"); it carries the entry's own levels. */
export function toBookEvent(kind: 'book_snapshot' | 'book_update', symbol: string, data: OkxBook, receivedAt: number): BookSnapshot | BookUpdate {
  const { bids, asks, ts: exchangeTs, seqId, prevSeqId, checksum } = data;
  // The usual update in one literal (one object shape, no properties added one by one).
  if (kind === 'book_update' && seqId !== undefined && prevSeqId !== undefined) {
    return checksum === undefined || checksum === 0
      ? { kind, exchange: OKX, symbol, exchangeTs, receivedAt, bids, asks, seqId, prevSeqId }
      : { kind, exchange: OKX, symbol, exchangeTs, receivedAt, bids, asks, seqId, checksum, prevSeqId };
  }
  const event: { -readonly [K in keyof BookUpdate]: BookUpdate[K] } = { kind: 'book_update', exchange: OKX, symbol, exchangeTs, receivedAt, bids, asks };
  if (seqId !== undefined) event.seqId = seqId;
  if (checksum !== undefined && checksum !== 0) event.checksum = checksum;
  if (kind === 'book_snapshot') return { ...event, kind };
  if (prevSeqId !== undefined) event.prevSeqId = prevSeqId;
  return event;
}
