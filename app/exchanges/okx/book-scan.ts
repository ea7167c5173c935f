// The hot path for OKX book pushes (`books`, `books5`): one pass of a JsonCursor over the text
// instead of JSON.parse and a schema per level. Every level is checked as it is read (price and
// size plain non-negative decimals) and made once into the PriceLevel the book stores and the
// book event carries. Members may come in any order; unknown ones are skipped. A text that does
// not begin like a book push returns undefined and takes the general path (parser.ts).

import { holdsAt, JsonCursor, KeySet, rethrowScanError } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import type { OkxBook, OkxPush } from './messages.js';

const cursor = new JsonCursor();
/** `data` of a scanned push: its one entry is `book`. */
const NO_DATA: unknown[] = [];
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

/** The prefix every OKX book push starts with (OKX writes `arg` first). */
export const OKX_BOOK_PREFIX = '{"arg":{"channel":"books';

function levels(c: JsonCursor): PriceLevel[] {
  const out: PriceLevel[] = [];
  c.expect(OPEN_ARRAY, 'a list of levels');
  for (let first = true; c.more(CLOSE_ARRAY, first); first = false) {
    c.expect(OPEN_ARRAY, 'a level');
    const priceStr = c.decimalString();
    const price = c.value;
    c.expect(44, 'a size');
    const sizeStr = c.decimalString();
    const size = c.value;
    let orders = -1;
    // `[price, size, deprecated "0", orders]`; older pushes may stop after the size.
    if (c.literal(',"0",')) {
      orders = c.uintString();
      c.expect(CLOSE_ARRAY, ']');
    } else {
      for (let i = 2; c.more(CLOSE_ARRAY, false); i += 1) {
        if (i === 3) orders = c.uintString();
        else c.skip();
      }
    }
    out.push(orders < 0 ? { price, priceStr, size, sizeStr } : { price, priceStr, size, sizeStr, orders });
  }
  return out;
}

const ENTRY_KEYS = new KeySet(['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId']);
const PUSH_KEYS = new KeySet(['arg', 'action', 'data']);
const ARG_KEYS = new KeySet(['channel', 'instId']);

function entry(c: JsonCursor): OkxBook {
  let asks: PriceLevel[] | undefined;
  let bids: PriceLevel[] | undefined;
  let ts: number | undefined;
  let checksum: number | undefined;
  let prevSeqId: number | undefined;
  let seqId: number | undefined;
  c.expect(OPEN_OBJECT, 'a book entry');
  for (let first = true; c.more(CLOSE_OBJECT, first); first = false) {
    switch (c.keyIn(ENTRY_KEYS)) {
      case 0:
        asks = levels(c);
        break;
      case 1:
        bids = levels(c);
        break;
      case 2:
        ts = c.uintString();
        break;
      case 3:
        checksum = c.int();
        break;
      case 4:
        prevSeqId = c.int();
        if (prevSeqId < -1) c.fail('prevSeqId below -1');
        break;
      case 5:
        seqId = c.int();
        if (seqId < 0) c.fail('negative seqId');
        break;
      default:
        c.skip();
    }
  }
  if (asks === undefined || bids === undefined || ts === undefined) c.fail('a book entry without asks, bids and ts');
  return { asks, bids, ts, checksum, prevSeqId, seqId };
}

/** A book push read in one pass, or undefined when `text` is not one (then use JSON.parse). */
export function scanOkxBookPush(text: string): OkxPush | undefined {
  if (!holdsAt(text, 0, OKX_BOOK_PREFIX)) return undefined;
  const c: JsonCursor = cursor.reset(text);
  try {
    let channel: string | undefined;
    let instId: string | undefined;
    let action: 'snapshot' | 'update' | undefined;
    let book: OkxBook | undefined;
    c.expect(OPEN_OBJECT, '{');
    for (let first = true; c.more(CLOSE_OBJECT, first); first = false) {
      switch (c.keyIn(PUSH_KEYS)) {
        case 0:
          c.expect(OPEN_OBJECT, 'arg');
          for (let a = true; c.more(CLOSE_OBJECT, a); a = false) {
            const key = c.keyIn(ARG_KEYS);
            if (key === 0) channel = c.stringIs('books') ? 'books' : c.string();
            else if (key === 1) instId = c.string();
            else c.skip();
          }
          break;
        case 1:
          if (c.stringIs('snapshot')) action = 'snapshot';
          else if (c.stringIs('update')) action = 'update';
          else c.fail('action is neither snapshot nor update');
          break;
        case 2:
          c.expect(OPEN_ARRAY, 'data');
          for (let d = true; c.more(CLOSE_ARRAY, d); d = false) {
            if (book !== undefined) c.fail('a book push with more than one entry');
            book = entry(c);
          }
          break;
        default:
          c.skip();
      }
    }
    c.end();
    if (channel === undefined || channel === '') c.fail('a push without a channel');
    if (book === undefined) c.fail('a book push without its entry');
    const arg = instId === undefined ? { channel } : { channel, instId };
    return action === undefined ? { arg, data: NO_DATA, book } : { arg, action, data: NO_DATA, book };
  } catch (error) {
    rethrowScanError(error, 'OKX', 'okx', 'order book', text);
  }
}
