// Kraken's book checksum (WebSocket v1 and v2): the top 10 asks (low to high) then the top 10
// bids (high to low); each level's price and quantity as Kraken spells them at the pair's full
// precision, with the `.` removed and leading zeros stripped, concatenated; the CRC-32 of the
// whole string as an unsigned 32-bit integer. v2 sends prices and quantities as JSON numbers at
// full precision, so the feed keeps their spelling (see messages.ts).
// https://docs.kraken.com/api/docs/guides/spot-ws-book-v2

import type { OrderBook } from '../../book/order-book.js';
import { topLevelsRegister } from '../../book/top-checksum.js';
import { CRC32_START, crc32Code, crc32Finish, crc32Pack } from '../../core/crc32.js';
import type { PriceLevel } from '../../core/types.js';

/** `0.00100000` → `100000`: the point removed, leading zeros stripped (no per-character concatenation). */
function digits(decimal: string): string {
  const dot = decimal.indexOf('.');
  const joined = dot < 0 ? decimal : decimal.slice(0, dot) + decimal.slice(dot + 1);
  let start = 0;
  while (start < joined.length && joined.charCodeAt(start) === 48) start += 1;
  return start === 0 ? joined : joined.slice(start);
}

/** The checksum string of up to 10 levels a side (exposed for tests). */
export function krakenChecksumString(
  asks: readonly { readonly priceStr: string; readonly sizeStr: string }[],
  bids: readonly { readonly priceStr: string; readonly sizeStr: string }[],
): string {
  let text = '';
  for (let i = 0; i < 10 && i < asks.length; i += 1) text += digits(asks[i]?.priceStr ?? '') + digits(asks[i]?.sizeStr ?? '');
  for (let i = 0; i < 10 && i < bids.length; i += 1) text += digits(bids[i]?.priceStr ?? '') + digits(bids[i]?.sizeStr ?? '');
  return text;
}

const POINT = 46;
const ZERO = 48;

/**
 * A level's part of the check string (price then quantity, digits only, each without its
 * point and leading zeros), pre-hashed; kept by the book beside the level. One loop over both
 * spellings: this runs for every level that enters the top 10.
 */
export function krakenLevelDigest(level: PriceLevel): number {
  let crc = 0;
  let fed = 0;
  for (let part = 0; part < 2; part += 1) {
    const decimal = part === 0 ? level.priceStr : level.sizeStr;
    let leading = true;
    for (let i = 0; i < decimal.length; i += 1) {
      const c = decimal.charCodeAt(i);
      if (c === POINT || (leading && c === ZERO)) continue;
      leading = false;
      crc = crc32Code(crc, c);
      fed += 1;
    }
  }
  return crc32Pack(crc, fed);
}

/** The book's checksum, from the digests the book keeps beside its levels (see app/book/top-checksum.ts). */
export function krakenChecksum(book: OrderBook): number {
  return crc32Finish(topLevelsRegister(book, 10, 'asks-then-bids', krakenLevelDigest, CRC32_START));
}
