// Kraken's book checksum (WebSocket v1 and v2): the top 10 asks (low to high) then the top 10
// bids (high to low); each level's price and quantity as Kraken spells them at the pair's full
// precision, with the `.` removed and leading zeros stripped, concatenated; the CRC-32 of the
// whole string as an unsigned 32-bit integer. v2 sends prices and quantities as JSON numbers at
// full precision, so the feed keeps their spelling (see messages.ts).
// https://docs.kraken.com/api/docs/guides/spot-ws-book-v2

import type { OrderBookReader } from '../../core/types.js';
import { crc32 } from '../../core/crc32.js';

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

export function krakenChecksum(book: OrderBookReader): number {
  return crc32(krakenChecksumString(book.asks.top(10), book.bids.top(10)));
}
