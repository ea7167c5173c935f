// The hot path for Coinbase `l2_data` frames: one pass of a JsonCursor over the text instead of
// JSON.parse and per-level checks. Each update is checked as it is read (side bid or offer,
// price and quantity plain non-negative decimals) and made once into the PriceLevel the book
// stores and the event carries, sorted into bids and asks; `event_time` is skipped. Members may
// come in any order; unknown ones are skipped. A text that does not begin like an `l2_data`
// frame returns undefined and takes the general path (JSON.parse and asL2).

import { JsonCursor, KeySet, rethrowScanError, RecentStrings } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import { L2Frame, type L2Event } from './messages.js';

/** How Coinbase begins every `l2_data` frame. */
export const COINBASE_L2_PREFIX = '{"channel":"l2_data",';

const cursor = new JsonCursor();
const recentProduct = new RecentStrings();
const FRAME_KEYS = new KeySet(['channel', 'client_id', 'timestamp', 'sequence_num', 'events']);
const EVENT_KEYS = new KeySet(['type', 'product_id', 'updates']);
const UPDATE_KEYS = new KeySet(['side', 'event_time', 'price_level', 'new_quantity']);

/*
 * The keys of an update as Coinbase writes them, compared code by code against constants
 * (JsonCursor.literal loops over the literal too: twice the reads; see holdsAt).
 */
/** Whether `{"side":` is at `p`. */
function sideOpensAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === 123 &&
    t.charCodeAt(p + 1) === 34 &&
    t.charCodeAt(p + 2) === 115 &&
    t.charCodeAt(p + 3) === 105 &&
    t.charCodeAt(p + 4) === 100 &&
    t.charCodeAt(p + 5) === 101 &&
    t.charCodeAt(p + 6) === 34 &&
    t.charCodeAt(p + 7) === 58
  );
}

/** Whether `,"event_time":` is at `p`. */
function eventTimeAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === 44 &&
    t.charCodeAt(p + 1) === 34 &&
    t.charCodeAt(p + 2) === 101 &&
    t.charCodeAt(p + 3) === 118 &&
    t.charCodeAt(p + 4) === 101 &&
    t.charCodeAt(p + 5) === 110 &&
    t.charCodeAt(p + 6) === 116 &&
    t.charCodeAt(p + 7) === 95 &&
    t.charCodeAt(p + 8) === 116 &&
    t.charCodeAt(p + 9) === 105 &&
    t.charCodeAt(p + 10) === 109 &&
    t.charCodeAt(p + 11) === 101 &&
    t.charCodeAt(p + 12) === 34 &&
    t.charCodeAt(p + 13) === 58
  );
}

/** Whether `,"price_level":` is at `p`. */
function priceLevelAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === 44 &&
    t.charCodeAt(p + 1) === 34 &&
    t.charCodeAt(p + 2) === 112 &&
    t.charCodeAt(p + 3) === 114 &&
    t.charCodeAt(p + 4) === 105 &&
    t.charCodeAt(p + 5) === 99 &&
    t.charCodeAt(p + 6) === 101 &&
    t.charCodeAt(p + 7) === 95 &&
    t.charCodeAt(p + 8) === 108 &&
    t.charCodeAt(p + 9) === 101 &&
    t.charCodeAt(p + 10) === 118 &&
    t.charCodeAt(p + 11) === 101 &&
    t.charCodeAt(p + 12) === 108 &&
    t.charCodeAt(p + 13) === 34 &&
    t.charCodeAt(p + 14) === 58
  );
}

/** Whether `,"new_quantity":` is at `p`. */
function newQuantityAt(t: string, p: number): boolean {
  return (
    t.charCodeAt(p) === 44 &&
    t.charCodeAt(p + 1) === 34 &&
    t.charCodeAt(p + 2) === 110 &&
    t.charCodeAt(p + 3) === 101 &&
    t.charCodeAt(p + 4) === 119 &&
    t.charCodeAt(p + 5) === 95 &&
    t.charCodeAt(p + 6) === 113 &&
    t.charCodeAt(p + 7) === 117 &&
    t.charCodeAt(p + 8) === 97 &&
    t.charCodeAt(p + 9) === 110 &&
    t.charCodeAt(p + 10) === 116 &&
    t.charCodeAt(p + 11) === 105 &&
    t.charCodeAt(p + 12) === 116 &&
    t.charCodeAt(p + 13) === 121 &&
    t.charCodeAt(p + 14) === 34 &&
    t.charCodeAt(p + 15) === 58
  );
}

/** One update into `bids` or `asks`. */
function update(c: JsonCursor, bids: PriceLevel[], asks: PriceLevel[]): void {
  // As Coinbase writes one: `{"side":…,"event_time":…,"price_level":…,"new_quantity":…}`.
  const start = c.pos;
  const text = c.text;
  if (sideOpensAt(text, start)) {
    c.pos = start + 8;
    const bid = c.stringIs('bid');
    if ((bid || c.stringIs('offer')) && eventTimeAt(text, c.pos)) {
      c.pos += 14;
      c.skip();
      if (priceLevelAt(text, c.pos)) {
        c.pos += 15;
        const priceStr = c.decimalString();
        const price = c.value;
        if (newQuantityAt(text, c.pos)) {
          c.pos += 16;
          const sizeStr = c.decimalString();
          const size = c.value;
          if (text.charCodeAt(c.pos) === 125) {
            c.pos += 1;
            (bid ? bids : asks).push({ price, priceStr, size, sizeStr });
            return;
          }
        }
      }
    }
    c.pos = start;
  }
  let side = 0; // 1 bid, 2 offer
  let priceStr: string | undefined;
  let sizeStr: string | undefined;
  let price = 0;
  let size = 0;
  c.expect(123, 'an update');
  for (let first = true; c.more(125, first); first = false) {
    switch (c.keyIn(UPDATE_KEYS)) {
      case 0:
        if (c.stringIs('bid')) side = 1;
        else if (c.stringIs('offer')) side = 2;
        else c.fail('side is neither bid nor offer');
        break;
      case 2:
        priceStr = c.decimalString();
        price = c.value;
        break;
      case 3:
        sizeStr = c.decimalString();
        size = c.value;
        break;
      default:
        c.skip();
    }
  }
  if (side === 0 || priceStr === undefined || sizeStr === undefined) c.fail('an update without side, price_level and new_quantity');
  (side === 1 ? bids : asks).push({ price, priceStr, size, sizeStr });
}

function event(c: JsonCursor): L2Event {
  let type: 'snapshot' | 'update' | undefined;
  let product: string | undefined;
  const bids: PriceLevel[] = [];
  const asks: PriceLevel[] = [];
  let updates = false;
  c.expect(123, 'an event');
  for (let first = true; c.more(125, first); first = false) {
    switch (c.keyIn(EVENT_KEYS)) {
      case 0:
        if (c.stringIs('update')) type = 'update';
        else if (c.stringIs('snapshot')) type = 'snapshot';
        else c.fail('type is neither snapshot nor update');
        break;
      case 1:
        product = c.recurringString(recentProduct);
        break;
      case 2:
        updates = true;
        c.expect(91, 'updates');
        for (let u = true; c.more(93, u); u = false) update(c, bids, asks);
        break;
      default:
        c.skip();
    }
  }
  if (type === undefined || product === undefined || product === '' || !updates) c.fail('an event without type, product_id and updates');
  return { type, product_id: product, bids, asks };
}

/** An `l2_data` frame read in one pass, or undefined when `text` is not one. */
export function scanCoinbaseL2(text: string): L2Frame | undefined {
  const c: JsonCursor = cursor.reset(text);
  if (!c.literal(COINBASE_L2_PREFIX)) return undefined;
  c.pos = 0;
  try {
    let at = Number.NaN;
    let seq = -1;
    let events: L2Event[] | undefined;
    c.expect(123, '{');
    for (let first = true; c.more(125, first); first = false) {
      switch (c.keyIn(FRAME_KEYS)) {
        case 0:
          if (!c.stringIs('l2_data')) c.fail('not an l2_data frame');
          break;
        case 2:
          at = c.isoTime();
          break;
        case 3:
          seq = c.int();
          break;
        case 4:
          events = [];
          c.expect(91, 'events');
          for (let e = true; c.more(93, e); e = false) events.push(event(c));
          break;
        default:
          c.skip();
      }
    }
    c.end();
    if (Number.isNaN(at) || seq < 0 || events === undefined) c.fail('an l2_data frame without timestamp, sequence_num and events');
    return new L2Frame(at, seq, events);
  } catch (error) {
    rethrowScanError(error, 'Coinbase', 'coinbase', 'level2 message', text);
  }
}
