// Price levels written as `[price, size, …]` lists of decimal strings (Binance, Bybit; OKX adds
// fields), read by a JsonCursor straight into the PriceLevel objects a book stores: each price
// and size checked as a plain non-negative decimal and its number read once. Elements after the
// size are skipped.

import type { JsonCursor } from '../core/json-scan.js';
import type { PriceLevel } from '../core/types.js';

const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;

export function scanPairLevels(c: JsonCursor): PriceLevel[] {
  const out: PriceLevel[] = [];
  c.expect(OPEN_ARRAY, 'a list of levels');
  for (let first = true; c.more(CLOSE_ARRAY, first); first = false) {
    c.expect(OPEN_ARRAY, 'a level');
    const priceStr = c.decimalString();
    const price = c.value;
    c.expect(COMMA, 'a size');
    const sizeStr = c.decimalString();
    const size = c.value;
    if (!c.literal(']')) while (c.more(CLOSE_ARRAY, false)) c.skip();
    out.push({ price, priceStr, size, sizeStr });
  }
  return out;
}
