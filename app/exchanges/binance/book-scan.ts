// The hot path for Binance depth diffs on combined streams (`{"stream":"btcusdt@depth@100ms",
// "data":{"e":"depthUpdate",…}}`): one pass of a JsonCursor over the text instead of JSON.parse
// and per-level checks; every level is checked as it is read and made once into the PriceLevel
// the book stores and the event carries. Members of `data` may come in any order; unknown ones
// are skipped. A text that is not a depth diff written stream-first returns undefined and takes
// the general path (JSON.parse and asDepthUpdate).

import { ExchangeProtocolError } from '../../core/errors.js';
import { JsonCursor, KeySet, ScanError, rethrowScanError, scanFailureText, RecentStrings } from '../../core/json-scan.js';
import type { PriceLevel } from '../../core/types.js';
import { scanPairLevels } from '../level-scan.js';
import { DepthUpdate, asDepthSnapshot, type DepthSnapshot } from './messages.js';

const cursor = new JsonCursor();
const recentStream = new RecentStrings();
const recentSymbol = new RecentStrings();
const DATA_KEYS = new KeySet(['e', 'E', 'T', 's', 'U', 'u', 'pu', 'b', 'a']);

export interface ScannedDepth {
  readonly stream: string;
  readonly update: DepthUpdate;
}

function depth(c: JsonCursor): DepthUpdate {
  let E = -1;
  let s: string | undefined;
  let U = -1;
  let u = -1;
  let pu: number | undefined;
  let b: PriceLevel[] | undefined;
  let a: PriceLevel[] | undefined;
  let event = false;
  c.expect(123, 'data');
  for (let first = true; c.more(125, first); first = false) {
    switch (c.keyIn(DATA_KEYS)) {
      case 0:
        if (!c.stringIs('depthUpdate')) c.fail('e is not depthUpdate');
        event = true;
        break;
      case 1:
        E = c.int();
        break;
      case 3:
        s = c.recurringString(recentSymbol);
        break;
      case 4:
        U = c.int();
        break;
      case 5:
        u = c.int();
        break;
      case 6:
        pu = c.int();
        break;
      case 7:
        b = scanPairLevels(c);
        break;
      case 8:
        a = scanPairLevels(c);
        break;
      default:
        c.skip();
    }
  }
  if (!event || E < 0 || s === undefined || s === '' || U < 0 || u < 0 || b === undefined || a === undefined)
    c.fail('a depth update without e, E, s, U, u, b and a');
  return new DepthUpdate(E, s, U, u, pu, b, a);
}

/** A depth diff read in one pass, or undefined when `text` is not one (then use JSON.parse). */
export function scanBinanceDepth(text: string): ScannedDepth | undefined {
  const c: JsonCursor = cursor.reset(text);
  if (!c.literal('{"stream":')) return undefined;
  try {
    const stream = c.recurringString(recentStream);
    if (!stream.includes('@depth') || !c.literal(',"data":')) return undefined;
    const update = depth(c);
    c.expect(125, '}');
    c.end();
    return { stream, update };
  } catch (error) {
    rethrowScanError(error, 'Binance', 'binance', 'depth update', text);
  }
}

const SNAPSHOT_KEYS = new KeySet(['lastUpdateId', 'E', 'T', 'bids', 'asks']);

/** A REST depth body read in one pass (levels checked as they are read). */
export function scanDepthSnapshot(text: string): DepthSnapshot {
  const c: JsonCursor = cursor.reset(text);
  try {
    let lastUpdateId = -1;
    let E: number | undefined;
    let bids: PriceLevel[] | undefined;
    let asks: PriceLevel[] | undefined;
    c.expect(123, '{');
    for (let first = true; c.more(125, first); first = false) {
      switch (c.keyIn(SNAPSHOT_KEYS)) {
        case 0:
          lastUpdateId = c.int();
          break;
        case 1:
          E = c.int();
          break;
        case 3:
          bids = scanPairLevels(c);
          break;
        case 4:
          asks = scanPairLevels(c);
          break;
        default:
          c.skip();
      }
    }
    c.end();
    if (lastUpdateId < 0 || bids === undefined || asks === undefined) c.fail('a depth snapshot without lastUpdateId, bids and asks');
    return E === undefined ? { lastUpdateId, bids, asks } : { lastUpdateId, bids, asks, E };
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    // The general path says what is wrong, as for any REST body.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExchangeProtocolError(scanFailureText('Binance', 'REST depth snapshot', text, error), { exchange: 'binance' });
    }
    return asDepthSnapshot(value);
  }
}
