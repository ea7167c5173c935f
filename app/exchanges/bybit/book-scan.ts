// The hot path for Bybit `orderbook.{depth}.{symbol}` messages: one pass of a JsonCursor over
// the text instead of JSON.parse and per-level checks; every level is checked as it is read
// and made once into the PriceLevel the book stores and the event carries. Members may come in
// any order; unknown ones are skipped. A text that does not begin like a book message returns
// undefined and takes the general path (JSON.parse and asBookMessage).

import { JsonCursor, KeySet, rethrowScanError, RecentStrings } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import { scanPairLevels } from '../level-scan.js';
import { BookMessage, type BookData } from './messages.js';

/** How Bybit begins every order book message. */
export const BYBIT_BOOK_PREFIX = '{"topic":"orderbook.';

const cursor = new JsonCursor();
const recentSymbol = new RecentStrings();
const recentTopic = new RecentStrings();
const MESSAGE_KEYS = new KeySet(['topic', 'type', 'ts', 'data', 'cts']);
const DATA_KEYS = new KeySet(['s', 'b', 'a', 'u', 'seq']);

function data(c: JsonCursor): BookData {
  let s: string | undefined;
  let b: PriceLevel[] | undefined;
  let a: PriceLevel[] | undefined;
  let u = 0;
  let seq: number | undefined;
  c.expect(123, 'data');
  for (let first = true; c.more(125, first); first = false) {
    switch (c.keyIn(DATA_KEYS)) {
      case 0:
        s = c.recurringString(recentSymbol);
        break;
      case 1:
        b = scanPairLevels(c);
        break;
      case 2:
        a = scanPairLevels(c);
        break;
      case 3:
        u = c.int();
        break;
      case 4:
        seq = c.int();
        break;
      default:
        c.skip();
    }
  }
  if (s === undefined || s === '' || b === undefined || a === undefined || u < 1) c.fail('book data without s, b, a and a positive u');
  return { s, b, a, u, seq };
}

/** A book message read in one pass, or undefined when `text` is not one. */
export function scanBybitBook(text: string): BookMessage | undefined {
  const c: JsonCursor = cursor.reset(text);
  if (!c.literal(BYBIT_BOOK_PREFIX)) return undefined;
  c.pos = 0;
  try {
    let topic: string | undefined;
    let type: 'snapshot' | 'delta' | undefined;
    let ts = -1;
    let cts: number | undefined;
    let d: BookData | undefined;
    c.expect(123, '{');
    for (let first = true; c.more(125, first); first = false) {
      switch (c.keyIn(MESSAGE_KEYS)) {
        case 0:
          topic = c.recurringString(recentTopic);
          break;
        case 1:
          if (c.stringIs('delta')) type = 'delta';
          else if (c.stringIs('snapshot')) type = 'snapshot';
          else c.fail('type is neither snapshot nor delta');
          break;
        case 2:
          ts = c.int();
          break;
        case 3:
          d = data(c);
          break;
        case 4:
          cts = c.int();
          break;
        default:
          c.skip();
      }
    }
    c.end();
    if (topic === undefined || type === undefined || ts < 0 || d === undefined) c.fail('a book message without topic, type, ts and data');
    return new BookMessage(topic, type, ts, cts, d);
  } catch (error) {
    rethrowScanError(error, 'Bybit', 'bybit', 'order book message', text);
  }
}
