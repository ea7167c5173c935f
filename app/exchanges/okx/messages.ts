// OKX v5 public WebSocket and REST message shapes, validated with zod where they enter.
// Field names follow OKX; everything numeric-looking arrives as a string except seqId,
// prevSeqId and checksum (JSON integers).

import { z } from 'zod';
import type { PriceLevel } from '../../core/types.js';

/** Non-negative decimal as OKX writes it: `30236`, `0.0002`, `1.55896972`. */
export const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'not a decimal number');
/** A rate that may be negative: `-0.0000412`. */
const signedDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'not a decimal number');
/** Millisecond timestamp as a string. */
export const msString = z.string().regex(/^\d{1,16}$/, 'not a millisecond timestamp');
/** Ticker fields may be empty when, e.g., one side of the book is empty. */
const optionalDecimal = z.union([decimalString, z.literal('')]).optional();

export const okxArgSchema = z.looseObject({
  channel: z.string().min(1),
  instId: z.string().optional(),
  instType: z.string().optional(),
  instFamily: z.string().optional(),
});
export type OkxArg = { readonly channel: string; readonly instId: string };

export const okxEventSchema = z.looseObject({
  event: z.string(),
  arg: okxArgSchema.optional(),
  code: z.string().optional(),
  msg: z.string().optional(),
  id: z.string().optional(),
  connId: z.string().optional(),
});
export type OkxEvent = z.infer<typeof okxEventSchema>;

export const okxPushSchema = z.looseObject({
  arg: okxArgSchema,
  action: z.enum(['snapshot', 'update']).optional(),
  data: z.array(z.unknown()),
});
export type OkxPush = z.infer<typeof okxPushSchema> & {
  /** A book push read by the hot-path scanner (book-scan.ts): its one entry, already checked. */
  readonly book?: OkxBook;
};

export const okxTradeSchema = z.looseObject({
  instId: z.string(),
  tradeId: z.string().min(1),
  px: decimalString,
  sz: decimalString,
  side: z.enum(['buy', 'sell']),
  ts: msString,
  count: z.string().regex(/^\d+$/).optional(),
  source: z.string().optional(),
  seqId: z.int().nonnegative().optional(),
});

export const okxTickerSchema = z.looseObject({
  instType: z.string().optional(),
  instId: z.string(),
  last: decimalString,
  lastSz: optionalDecimal,
  askPx: optionalDecimal,
  askSz: optionalDecimal,
  bidPx: optionalDecimal,
  bidSz: optionalDecimal,
  open24h: optionalDecimal,
  high24h: optionalDecimal,
  low24h: optionalDecimal,
  volCcy24h: optionalDecimal,
  vol24h: optionalDecimal,
  ts: msString,
});

// Contract channels (docs: "Mark price channel", "Index tickers channel", "Funding rate
// channel", "Open interest channel" under Public Data / WebSocket). Real samples:
// {"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"42310.6","ts":"1630049139746"}]}
// {"arg":{"channel":"index-tickers","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","idxPx":"0.1","high24h":"0.5","low24h":"0.1","open24h":"0.1","sodUtc0":"0.1","sodUtc8":"0.1","ts":"1597026383085"}]}
// {"arg":{"channel":"open-interest","instId":"LTC-USD-SWAP"},"data":[{"instType":"SWAP","instId":"LTC-USD-SWAP","oi":"5000","oiCcy":"555.55","ts":"1597026383085"}]}
// {"arg":{"channel":"funding-rate","instId":"BTC-USD-SWAP"},"data":[{"fundingRate":"0.0001875391284828","fundingTime":"1700726400000","instId":"BTC-USD-SWAP","instType":"SWAP","method":"current_period","nextFundingRate":"","nextFundingTime":"1700755200000","ts":"1700724675402"}]}
export const okxMarkPriceSchema = z.looseObject({ instId: z.string(), markPx: decimalString, ts: msString });
export const okxIndexTickerSchema = z.looseObject({ instId: z.string(), idxPx: decimalString, ts: msString });
/** `oiCcy`: in the base currency (coin), whatever the contract's size. */
export const okxOpenInterestSchema = z.looseObject({ instId: z.string(), oi: optionalDecimal, oiCcy: decimalString, ts: msString });
/** `fundingTime`: when the current rate is settled; `nextFundingTime`: the period after. */
export const okxFundingRateSchema = z.looseObject({ instId: z.string(), fundingRate: signedDecimal, fundingTime: msString, ts: msString });

/** `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. */
export const okxCandleSchema = z.tuple([
  msString,
  decimalString,
  decimalString,
  decimalString,
  decimalString,
  decimalString,
  decimalString,
  decimalString,
  z.enum(['0', '1']),
]);

/** `[price, size, deprecated "0", numOrders]`; older pushes may omit the tail. */
export const okxLevelSchema = z.tuple([decimalString, decimalString]).rest(z.string());

export const okxBookSchema = z.looseObject({
  asks: z.array(okxLevelSchema),
  bids: z.array(okxLevelSchema),
  ts: msString,
  checksum: z.int().optional(),
  prevSeqId: z.int().min(-1).optional(),
  seqId: z.int().nonnegative().optional(),
  instId: z.string().optional(),
});
export type OkxBookData = z.infer<typeof okxBookSchema>;

/** One book entry, checked, its levels as the book stores them. */
export interface OkxBook {
  readonly asks: readonly PriceLevel[];
  readonly bids: readonly PriceLevel[];
  /** Milliseconds. */
  readonly ts: number;
  readonly checksum: number | undefined;
  readonly prevSeqId: number | undefined;
  readonly seqId: number | undefined;
}

function levelsOfRows(rows: OkxBookData['bids']): PriceLevel[] {
  return rows.map(([priceStr, sizeStr, , orders]) => {
    const level: PriceLevel = { price: Number(priceStr), priceStr, size: Number(sizeStr), sizeStr };
    return orders === undefined ? level : { ...level, orders: Number(orders) };
  });
}

/** A schema-checked entry (REST, or a push in a layout the scanner does not take) as an OkxBook. */
export function okxBookOf(data: OkxBookData): OkxBook {
  return {
    bids: levelsOfRows(data.bids),
    asks: levelsOfRows(data.asks),
    ts: Number(data.ts),
    checksum: data.checksum,
    prevSeqId: data.prevSeqId,
    seqId: data.seqId,
  };
}

/** REST envelope: `{ code: "0", msg: "", data: [...] }`. */
export const okxRestEnvelopeSchema = z.looseObject({
  code: z.string(),
  msg: z.string(),
  data: z.array(z.unknown()),
});

export const okxInstrumentSchema = z.looseObject({
  instType: z.enum(['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION']),
  instId: z.string().min(1),
  baseCcy: z.string().optional(),
  quoteCcy: z.string().optional(),
  settleCcy: z.string().optional(),
  ctVal: z.string().optional(),
  ctValCcy: z.string().optional(),
  tickSz: decimalString,
  lotSz: decimalString,
  minSz: z.string().optional(),
  state: z.string(),
  uly: z.string().optional(),
  instFamily: z.string().optional(),
  expTime: z.string().optional(),
});
export type OkxInstrumentRow = z.infer<typeof okxInstrumentSchema>;
