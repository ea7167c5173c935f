// OKX order-book checksum: CRC-32 of the best 25 bids and asks interleaved as
// `bid1px:bid1sz:ask1px:ask1sz:…` (a shorter side simply runs out), with the price and size
// strings exactly as received, compared as a signed 32-bit integer. Since 2026-06-23 OKX sends
// `checksum: 0` (absent); older captures and OKX-family venues still carry real values.

import type { OrderBook } from '../../book/order-book.js';
import { crc32 } from '../../core/crc32.js';
import type { PriceLevel } from '../../core/types.js';

export const OKX_CHECKSUM_DEPTH = 25;

export function okxChecksumString(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): string {
  const parts: string[] = [];
  for (let i = 0; i < OKX_CHECKSUM_DEPTH; i += 1) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid === undefined && ask === undefined) break;
    if (bid !== undefined) parts.push(bid.priceStr, bid.sizeStr);
    if (ask !== undefined) parts.push(ask.priceStr, ask.sizeStr);
  }
  return parts.join(':');
}

/** Signed 32-bit checksum of a check string. */
export function okxChecksumOf(checkString: string): number {
  return crc32(checkString) | 0;
}

export function okxBookChecksum(book: OrderBook): number {
  const { bids, asks } = book.top(OKX_CHECKSUM_DEPTH);
  return okxChecksumOf(okxChecksumString(bids, asks));
}
