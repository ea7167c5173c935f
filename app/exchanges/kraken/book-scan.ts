// The hot path for Kraken v2 `book` messages: one pass of a JsonCursor over the text instead of
// a regular-expression rewrite, JSON.parse and per-level checks. Prices and quantities are JSON
// numbers written at the pair's full precision; the cursor keeps each one's spelling (the
// checksum needs it; an exponent is written out) and reads its number once, checking it is a
// plain non-negative decimal. Each level is made once into the PriceLevel the book stores and
// the book event carries. Members may come in any order; unknown ones are skipped. A text that
// does not begin like a book message returns undefined and takes the general path.

import { JsonCursor, KeySet, rethrowScanError, RecentStrings } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import { BookFrame, type BookData } from './messages.js';

/** How every Kraken v2 book message begins. */
export const KRAKEN_BOOK_PREFIX = '{"channel":"book",';
const UPDATE_HEAD = `${KRAKEN_BOOK_PREFIX}"type":"update","data":[{"symbol":`;
const SNAPSHOT_HEAD = `${KRAKEN_BOOK_PREFIX}"type":"snapshot","data":[{"symbol":`;

const cursor = new JsonCursor();
const recentSymbol = new RecentStrings();
const FRAME_KEYS = new KeySet(['channel', 'type', 'data']);
const DATA_KEYS = new KeySet(['symbol', 'bids', 'asks', 'checksum', 'timestamp']);
const LEVEL_KEYS = new KeySet(['price', 'qty']);
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

const QUOTE = 34;
const COLON = 58;
const COMMA = 44;

/**
 * Whether a level as Kraken writes it opens at `p`: `{"price":`. Compared code by code against
 * constants: a loop over a literal string (JsonCursor.literal) costs twice as much here, and
 * whether V8 inlines it into this loop changed from run to run.
 */
function levelOpensAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === OPEN_OBJECT &&
    t.charCodeAt(p + 1) === QUOTE &&
    t.charCodeAt(p + 2) === 112 && // p
    t.charCodeAt(p + 3) === 114 && // r
    t.charCodeAt(p + 4) === 105 && // i
    t.charCodeAt(p + 5) === 99 && // c
    t.charCodeAt(p + 6) === 101 && // e
    t.charCodeAt(p + 7) === QUOTE &&
    t.charCodeAt(p + 8) === COLON
  );
}

/** Whether `,"qty":` is at `p`. */
function qtyAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === COMMA &&
    t.charCodeAt(p + 1) === QUOTE &&
    t.charCodeAt(p + 2) === 113 && // q
    t.charCodeAt(p + 3) === 116 && // t
    t.charCodeAt(p + 4) === 121 && // y
    t.charCodeAt(p + 5) === QUOTE &&
    t.charCodeAt(p + 6) === COLON
  );
}

/**
 * A list of levels as Kraken writes it (`[{"price":…,"qty":…},…]`, no spaces, in that order),
 * or undefined when it is written otherwise (the cursor is then back at the list's start).
 */
function levelsAsWritten(c: JsonCursor): PriceLevel[] | undefined {
  const text = c.text;
  const start = c.pos;
  if (text.charCodeAt(start) !== OPEN_ARRAY) return undefined;
  const out: PriceLevel[] = [];
  if (text.charCodeAt(start + 1) === CLOSE_ARRAY) {
    c.pos = start + 2;
    return out;
  }
  let pos = start + 1;
  for (;;) {
    if (!levelOpensAt(text, pos)) break;
    c.pos = pos + 9;
    const priceStr = c.decimalNumber();
    const price = c.value;
    if (!qtyAt(text, c.pos)) break;
    c.pos += 7;
    const sizeStr = c.decimalNumber();
    const size = c.value;
    pos = c.pos;
    if (text.charCodeAt(pos) !== CLOSE_OBJECT) break;
    out.push({ price, priceStr, size, sizeStr });
    const next = text.charCodeAt(pos + 1);
    if (next === CLOSE_ARRAY) {
      c.pos = pos + 2;
      return out;
    }
    if (next !== COMMA) break;
    pos += 2;
  }
  c.pos = start;
  return undefined;
}

/** A list of levels in any JSON layout (members in any order, unknown ones skipped). */
function levels(c: JsonCursor): PriceLevel[] {
  const written = levelsAsWritten(c);
  if (written !== undefined) return written;
  const out: PriceLevel[] = [];
  c.expect(OPEN_ARRAY, 'a list of levels');
  for (let first = true; c.more(CLOSE_ARRAY, first); first = false) {
    let priceStr: string | undefined;
    let sizeStr: string | undefined;
    let price = 0;
    let size = 0;
    c.expect(OPEN_OBJECT, 'a level');
    for (let member = true; c.more(CLOSE_OBJECT, member); member = false) {
      const key = c.keyIn(LEVEL_KEYS);
      if (key === 0) {
        priceStr = c.decimalNumber();
        price = c.value;
      } else if (key === 1) {
        sizeStr = c.decimalNumber();
        size = c.value;
      } else c.skip();
    }
    if (priceStr === undefined || sizeStr === undefined) c.fail('a level without price and qty');
    out.push({ price, priceStr, size, sizeStr });
  }
  return out;
}

function entry(c: JsonCursor): BookData {
  let symbol: string | undefined;
  let bids: PriceLevel[] | undefined;
  let asks: PriceLevel[] | undefined;
  let checksum = -1;
  let ts = Number.NaN;
  c.expect(OPEN_OBJECT, 'a book entry');
  for (let first = true; c.more(CLOSE_OBJECT, first); first = false) {
    switch (c.keyIn(DATA_KEYS)) {
      case 0:
        symbol = c.recurringString(recentSymbol);
        break;
      case 1:
        bids = levels(c);
        break;
      case 2:
        asks = levels(c);
        break;
      case 3:
        checksum = c.int();
        if (checksum < 0) c.fail('a negative checksum');
        break;
      case 4:
        ts = c.isoTime();
        break;
      default:
        c.skip();
    }
  }
  if (symbol === undefined || symbol === '' || bids === undefined || asks === undefined || checksum < 0 || Number.isNaN(ts)) {
    c.fail('a book entry without symbol, bids, asks, checksum and timestamp');
  }
  return { symbol, bids, asks, checksum, ts };
}

/**
 * The message as Kraken writes it (`type`, then `data` of entries with `symbol`, `bids`, `asks`,
 * `checksum`, `timestamp` in that order, no spaces), read with no key lookups; undefined when
 * it is written otherwise (the caller reads it again the general way).
 */
function asWritten(c: JsonCursor): BookFrame | undefined {
  // The head up to the first symbol, in one compare (see holdsAt).
  let type: 'snapshot' | 'update';
  if (c.literal(UPDATE_HEAD)) type = 'update';
  else if (c.literal(SNAPSHOT_HEAD)) type = 'snapshot';
  else return undefined;
  const data: BookData[] = [];
  for (;;) {
    const symbol = c.recurringString(recentSymbol);
    if (symbol === '' || !c.literal(',"bids":')) return undefined;
    const bids = levels(c);
    if (!c.literal(',"asks":')) return undefined;
    const asks = levels(c);
    if (!c.literal(',"checksum":')) return undefined;
    const checksum = c.int();
    if (checksum < 0) c.fail('a negative checksum');
    if (!c.literal(',"timestamp":')) return undefined;
    const ts = c.isoTime();
    if (!c.literal('}')) return undefined;
    data.push({ symbol, bids, asks, checksum, ts });
    if (c.literal(']}')) break;
    if (!c.literal(',{"symbol":')) return undefined;
  }
  c.end();
  return new BookFrame(type, data);
}

/** A book message read in one pass, or undefined when `text` is not one (then use parseKrakenFrame). */
export function scanKrakenBook(text: string): BookFrame | undefined {
  const c: JsonCursor = cursor.reset(text);
  try {
    const written = asWritten(c);
    if (written !== undefined) return written;
    c.pos = 0;
    if (!c.literal(KRAKEN_BOOK_PREFIX)) return undefined;
    c.pos = 0;
    let type: 'snapshot' | 'update' | undefined;
    let data: BookData[] | undefined;
    c.expect(OPEN_OBJECT, '{');
    for (let first = true; c.more(CLOSE_OBJECT, first); first = false) {
      switch (c.keyIn(FRAME_KEYS)) {
        case 0:
          if (!c.stringIs('book')) c.fail('not a book message');
          break;
        case 1:
          if (c.stringIs('update')) type = 'update';
          else if (c.stringIs('snapshot')) type = 'snapshot';
          else c.fail('type is neither snapshot nor update');
          break;
        case 2:
          data = [];
          c.expect(OPEN_ARRAY, 'data');
          for (let d = true; c.more(CLOSE_ARRAY, d); d = false) data.push(entry(c));
          break;
        default:
          c.skip();
      }
    }
    c.end();
    if (type === undefined || data === undefined) c.fail('a book message without type and data');
    return new BookFrame(type, data);
  } catch (error) {
    rethrowScanError(error, 'Kraken', 'kraken', 'book message', text);
  }
}
