// OKX order-book checksum: CRC-32 of the best 25 bids and asks interleaved as
// `bid1px:bid1sz:ask1px:ask1sz:…` (a shorter side simply runs out), with the price and size
// strings exactly as received, compared as a signed 32-bit integer. Since 2026-06-23 OKX sends
// `checksum: 0` (absent); older captures and OKX-family venues still carry real values.

import type { OrderBook } from '../../book/order-book.js';
import { topLevelsRegister } from '../../book/top-checksum.js';
import { CRC32_START, crc32, crc32Code, crc32Feed, crc32Finish, crc32Pack, crc32Unfeed } from '../../core/crc32.js';
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

const COLON = 58;

/**
 * A level's part of the check string, `:price:size` (the separator in front), pre-hashed; kept
 * by the book beside the level (see BookSide.useDigest).
 */
export function okxLevelDigest(level: PriceLevel): number {
  const { priceStr, sizeStr } = level;
  return crc32Pack(crc32Feed(crc32Code(crc32Feed(crc32Code(0, COLON), priceStr), COLON), sizeStr), priceStr.length + sizeStr.length + 2);
}

/** The register before the check string's first `:`, so that the string itself starts from CRC32_START. */
const BEFORE_COLON = crc32Unfeed(CRC32_START, COLON);

/**
 * The book's checksum, from the digests the book keeps beside its levels (see
 * app/book/top-checksum.ts): no check string is built.
 */
export function okxBookChecksum(book: OrderBook): number {
  const register = topLevelsRegister(book, OKX_CHECKSUM_DEPTH, 'interleaved', okxLevelDigest, BEFORE_COLON);
  // An empty book's check string is empty (CRC 0), not a lone separator.
  return book.bids.size === 0 && book.asks.size === 0 ? 0 : crc32Finish(register) | 0;
}
