// JsonCursor: a strict, allocation-lean reader of one JSON text, for the hot path of book
// messages. JSON.parse builds every array and string of a message before a single check can
// run; a venue's book parser built on this cursor reads the fields it knows in one pass, skips
// the ones it does not (in any order), checks each price and size as it reads it (a plain
// non-negative decimal) and reads its number at the same time (exactly Number(text): digits
// are gathered into an integer below 2^53 and divided once by a power of ten, which IEEE
// division rounds correctly; longer spellings fall back to Number). Only the strings a book
// keeps are sliced out. The grammar is JSON's (RFC 8259); anything else throws a ScanError
// naming the position, which the venue's parser turns into its protocol error.

import { ExchangeProtocolError } from './errors.js';

export class ScanError extends Error {}

/**
 * Whether `text` holds `part` at `at`. String.prototype.startsWith does the same but is a call
 * V8 does not inline (it first checks its argument is not a RegExp), and a loop costs about 3 ns
 * a character: on Kraken's book messages these compares were a fifth of the scan. A longer
 * part is compared as a substring (a slice of a flat string is not copied; equality is one
 * memory compare).
 */
export function holdsAt(text: string, at: number, part: string): boolean {
  const n = part.length;
  if (at + n > text.length) return false;
  if (n >= 16) return text.substring(at, at + n) === part;
  for (let i = 0; i < n; i += 1) if (text.charCodeAt(at + i) !== part.charCodeAt(i)) return false;
  return true;
}

export function scanFailureText(venue: string, what: string, text: string, error: ScanError): string {
  try {
    JSON.parse(text);
  } catch {
    return `${venue} sent a frame that is not JSON: ${text.slice(0, 80)}`;
  }
  return `${venue} sent a malformed ${what}: ${error.message}`;
}

/** Rethrows what a venue's scan of `text` threw: a ScanError as the venue's protocol error (see scanFailureText). */
export function rethrowScanError(error: unknown, venue: string, exchange: string, what: string, text: string): never {
  if (error instanceof ScanError) throw new ExchangeProtocolError(scanFailureText(venue, what, text, error), { exchange });
  throw error;
}

/**
 * What a venue's hot-path scanner makes of `text`: undefined for a text it does not take and
 * for one it refuses (that one then takes the general path, whose checks say what is wrong).
 */
export function scannedOrUndefined<T>(scan: (text: string) => T | undefined, text: string): T | undefined {
  try {
    return scan(text);
  } catch {
    return undefined;
  }
}

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_53 = 2 ** 53;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const DOT = 46;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/** The keys of an object a parser reads, most frequent first (see JsonCursor.keyIn). */
export class KeySet {
  readonly written: readonly string[];
  /** The first letter of each name (a character code). */
  readonly letters: readonly number[];
  constructor(readonly names: readonly string[]) {
    this.written = names.map((name) => `"${name}":`);
    this.letters = names.map((name) => name.charCodeAt(0));
  }
}

/**
 * Whether a string value is written in JSON exactly as it reads: no quote, backslash or control
 * character (none of which may appear unescaped). Only such a value may be matched in place.
 */
function spelledAsItself(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 32 || c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}

/**
 * The few strings a feed repeats in every message (its symbols, topics), remembered so that a
 * scan returns the same string instead of slicing a new one; at most `max`, the oldest
 * forgotten first.
 */
export class RecentStrings {
  readonly known: string[] = [];
  private next = 0;

  constructor(private readonly max = 16) {}

  remember(value: string): void {
    if (this.known.length < this.max) this.known.push(value);
    else {
      this.known[this.next] = value;
      this.next = (this.next + 1) % this.max;
    }
  }
}

export class JsonCursor {
  text = '';
  pos = 0;
  /** The number of the decimal last read by `decimalString` / `decimalNumber`. */
  value = 0;
  private keyStart = 0;
  private keyEnd = 0;

  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    return this;
  }

  fail(what: string): never {
    throw new ScanError(`${what} at character ${this.pos}`);
  }

  /** The next significant character code (whitespace skipped), -1 at the end. */
  peek(): number {
    const text = this.text;
    let pos = this.pos;
    const length = text.length;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c > 32 || (c !== 32 && c !== 10 && c !== 13 && c !== 9)) {
        this.pos = pos;
        return c;
      }
      pos += 1;
    }
    this.pos = pos;
    return -1;
  }

  expect(code: number, what: string): void {
    if (this.peek() !== code) this.fail(`expected ${what}`);
    this.pos += 1;
  }

  /**
   * Walks the members of an object or the items of an array: call with `first` true right
   * after the opening bracket. False (the closing bracket consumed) when there are no more;
   * otherwise the separating comma is consumed.
   */
  more(close: number, first: boolean): boolean {
    const c = this.peek();
    if (c === close) {
      this.pos += 1;
      return false;
    }
    if (!first) {
      if (c !== COMMA) this.fail('expected , or a closing bracket');
      this.pos += 1;
    }
    return true;
  }

  /**
   * Reads a member's key and its colon and returns its index in `keys` (-1 for any other key,
   * whose value the caller skips). A key written as the venue writes it (`"asks":`, no spaces)
   * is matched in place; any other spelling is read and compared.
   */
  keyIn(keys: KeySet): number {
    const written = keys.written;
    // The key's first letter picks the candidates (most keys differ in it).
    const letter = this.text.charCodeAt(this.pos + 1);
    const letters = keys.letters;
    for (let k = 0; k < written.length; k += 1) if (letters[k] === letter && this.literal(written[k] as string)) return k;
    this.key();
    const names = keys.names;
    for (let k = 0; k < names.length; k += 1) if (this.keyIs(names[k] as string)) return k;
    return -1;
  }

  /** Reads a member's key and its colon; compare it with `keyIs`. */
  key(): void {
    if (this.peek() !== QUOTE) this.fail('expected a key');
    const start = this.pos + 1;
    this.skipString();
    this.keyStart = start;
    this.keyEnd = this.pos - 1;
    this.expect(COLON, ':');
  }

  keyIs(name: string): boolean {
    const start = this.keyStart;
    if (this.keyEnd - start !== name.length) return false;
    const text = this.text;
    for (let i = 0; i < name.length; i += 1) if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
    return true;
  }

  /** A string value (escapes decoded). */
  string(): string {
    if (this.peek() !== QUOTE) this.fail('expected a string');
    const start = this.pos;
    const plain = this.skipString();
    return plain ? this.text.slice(start + 1, this.pos - 1) : (JSON.parse(this.text.slice(start, this.pos)) as string);
  }

  /** Whether the next value is this exact string (no escapes); consumes it when it is. */
  stringIs(value: string): boolean {
    if (this.peek() !== QUOTE) return false;
    const text = this.text;
    const start = this.pos + 1;
    const end = start + value.length;
    if (text.charCodeAt(end) !== QUOTE) return false;
    for (let i = 0; i < value.length; i += 1) if (text.charCodeAt(start + i) !== value.charCodeAt(i)) return false;
    this.pos = end + 1;
    return true;
  }

  /** Whether the text continues with `literal` here (no whitespace skipped); consumes it when it does. */
  literal(literal: string): boolean {
    const start = this.pos;
    if (!holdsAt(this.text, start, literal)) return false;
    this.pos = start + literal.length;
    return true;
  }

  /** A JSON number. */
  number(): number {
    this.peek();
    const start = this.pos;
    this.skipNumber();
    return Number(this.text.slice(start, this.pos));
  }

  /** A JSON number that is a safe integer. */
  int(): number {
    const text = this.text;
    let c = this.peek();
    let pos = this.pos;
    const negative = c === MINUS;
    if (negative) c = text.charCodeAt((pos += 1));
    const start = pos;
    let n = 0;
    while (c >= ZERO && c <= NINE) {
      n = n * 10 + (c - ZERO);
      c = text.charCodeAt((pos += 1));
    }
    // Digits only, no leading zero, in range; anything else (a fraction, an exponent) is read whole and refused.
    if (pos === start || c === DOT || c === 101 || c === 69 || (text.charCodeAt(start) === ZERO && pos > start + 1) || n > Number.MAX_SAFE_INTEGER) {
      const value = this.number();
      if (!Number.isSafeInteger(value)) this.fail('expected an integer');
      return value;
    }
    this.pos = pos;
    return negative ? -n : n;
  }

  /** A string holding a safe integer (`"1618"`), as venues send ids and times. */
  intString(): number {
    const text = this.string();
    const n = Number(text);
    if (text === '' || !Number.isSafeInteger(n)) this.fail('expected an integer in a string');
    return n;
  }

  /** A string holding an unsigned safe integer (`"13"`), read without slicing it out. */
  uintString(): number {
    if (this.peek() !== QUOTE) this.fail('expected an integer in a string');
    const text = this.text;
    let pos = this.pos + 1;
    let n = 0;
    let c = text.charCodeAt(pos);
    if (!(c >= ZERO && c <= NINE)) this.fail('expected an integer in a string');
    while (c >= ZERO && c <= NINE) {
      n = n * 10 + (c - ZERO);
      c = text.charCodeAt((pos += 1));
    }
    if (c !== QUOTE || n > Number.MAX_SAFE_INTEGER) this.fail('expected an integer in a string');
    this.pos = pos + 1;
    return n;
  }

  /** A string of 1 to `max` digits (`"1597026383085"`), returned as it is. */
  digitsString(max: number): string {
    if (this.peek() !== QUOTE) this.fail('expected digits in a string');
    const start = this.pos + 1;
    const text = this.text;
    let pos = start;
    let c = text.charCodeAt(pos);
    while (c >= ZERO && c <= NINE) c = text.charCodeAt((pos += 1));
    if (c !== QUOTE || pos === start || pos - start > max) this.fail('expected digits in a string');
    this.pos = pos + 1;
    return text.slice(start, pos);
  }

  /**
   * A string holding a plain non-negative decimal (`"64000.10"`): returns the spelling and
   * sets `value` to its number.
   */
  decimalString(): string {
    if (this.peek() !== QUOTE) this.fail('expected a decimal in a string');
    const start = this.pos + 1;
    const end = this.scanDecimal(start);
    if (this.text.charCodeAt(end) !== QUOTE) this.fail('expected a decimal in a string');
    this.pos = end + 1;
    return this.text.slice(start, end);
  }

  /**
   * A JSON number token kept as written (Kraken v2 prices): a plain non-negative decimal is
   * returned as it is; one with an exponent is written out (`1.5e-7` → `0.00000015`). Sets
   * `value`.
   */
  decimalNumber(): string {
    this.peek();
    const start = this.pos;
    const end = this.scanDecimal(start);
    const c = this.text.charCodeAt(end);
    // JSON allows no leading zero before more digits (`01`).
    if (this.text.charCodeAt(start) === ZERO && end > start + 1 && this.text.charCodeAt(start + 1) !== DOT) this.fail('expected a number');
    if (c !== 101 && c !== 69) {
      this.pos = end;
      return this.text.slice(start, end);
    }
    this.skipNumber();
    const written = plainDecimal(this.text.slice(start, this.pos));
    this.value = Number(written);
    if (!Number.isFinite(this.value)) this.fail('expected a decimal number');
    return written;
  }

  /**
   * A string holding an ISO-8601 UTC time (`2023-10-06T17:35:55.440295Z`), as ms; read in place
   * for that form, by Date.parse for any other.
   */
  isoTime(): number {
    if (this.peek() !== QUOTE) this.fail('expected a time');
    const start = this.pos + 1;
    const plain = this.skipString();
    const ms = plain ? isoMillisIn(this.text, start, this.pos - 1) : isoMillis(JSON.parse(this.text.slice(start - 1, this.pos)) as string);
    if (!Number.isFinite(ms)) this.fail('expected a time');
    return ms;
  }

  /**
   * A string value; when it is spelled like one of `recent`'s strings, that string is returned
   * (no new string for the symbol or topic every message repeats, whichever of a few it is).
   */
  recurringString(recent: RecentStrings): string {
    if (this.peek() !== QUOTE) this.fail('expected a string');
    const text = this.text;
    const start = this.pos + 1;
    const known = recent.known;
    for (let k = 0; k < known.length; k += 1) {
      const candidate = known[k] as string;
      const end = start + candidate.length;
      // The candidate holds no quote or backslash, so its spelling followed by a quote is the whole string.
      if (text.charCodeAt(end) !== QUOTE) continue;
      let same = true;
      for (let i = 0; i < candidate.length; i += 1) {
        if (text.charCodeAt(start + i) !== candidate.charCodeAt(i)) {
          same = false;
          break;
        }
      }
      if (same) {
        this.pos = end + 1;
        return candidate;
      }
    }
    const value = this.string();
    if (spelledAsItself(value)) recent.remember(value);
    return value;
  }

  /** Skips one value of any kind. */
  skip(): void {
    const c = this.peek();
    if (c === QUOTE) this.skipString();
    else if (c === 123 || c === 91) {
      const close = c === 123 ? 125 : 93;
      this.pos += 1;
      for (let first = true; this.more(close, first); first = false) {
        if (close === 125) this.key();
        this.skip();
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) this.skipNumber();
    else if (holdsAt(this.text, this.pos, 'true')) this.pos += 4;
    else if (holdsAt(this.text, this.pos, 'false')) this.pos += 5;
    else if (holdsAt(this.text, this.pos, 'null')) this.pos += 4;
    else this.fail('expected a value');
  }

  /** Nothing but whitespace is left. */
  end(): void {
    if (this.peek() !== -1) this.fail('expected the end of the text');
  }

  /** Past a string at `pos` (on its quote). True when it held no escape. */
  private skipString(): boolean {
    const text = this.text;
    let pos = this.pos + 1;
    let plain = true;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        plain = false;
        pos += 2;
        continue;
      }
      if (!(c >= 32)) this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in a string');
      pos += 1;
    }
    this.pos = pos + 1;
    return plain;
  }

  private skipNumber(): void {
    const text = this.text;
    let pos = this.pos;
    if (text.charCodeAt(pos) === MINUS) pos += 1;
    let c = text.charCodeAt(pos);
    if (c === ZERO) c = text.charCodeAt((pos += 1));
    else if (c > ZERO && c <= NINE) while (c >= ZERO && c <= NINE) c = text.charCodeAt((pos += 1));
    else this.fail('expected a number');
    if (c === DOT) {
      c = text.charCodeAt((pos += 1));
      if (!(c >= ZERO && c <= NINE)) this.fail('expected a digit');
      while (c >= ZERO && c <= NINE) c = text.charCodeAt((pos += 1));
    }
    if (c === 101 || c === 69) {
      c = text.charCodeAt((pos += 1));
      if (c === 43 || c === MINUS) c = text.charCodeAt((pos += 1));
      if (!(c >= ZERO && c <= NINE)) this.fail('expected an exponent');
      while (c >= ZERO && c <= NINE) c = text.charCodeAt((pos += 1));
    }
    this.pos = pos;
  }

  /** Digits, optionally `.` and digits, from `start`; sets `value`; returns the end. */
  private scanDecimal(start: number): number {
    const text = this.text;
    let pos = start;
    let m = 0;
    let c = text.charCodeAt(pos);
    if (!(c >= ZERO && c <= NINE)) this.fail('expected a decimal');
    while (c >= ZERO && c <= NINE) {
      m = m * 10 + (c - ZERO);
      c = text.charCodeAt((pos += 1));
    }
    let fraction = 0;
    if (c === DOT) {
      c = text.charCodeAt((pos += 1));
      if (!(c >= ZERO && c <= NINE)) this.fail('expected a digit after the point');
      const from = pos;
      while (c >= ZERO && c <= NINE) {
        m = m * 10 + (c - ZERO);
        c = text.charCodeAt((pos += 1));
      }
      fraction = pos - from;
    }
    // Exact below 2^53 with at most 22 places: one correctly rounded division, as Number would.
    this.value = m < TWO_53 && fraction <= 22 ? (fraction === 0 ? m : m / (POW10[fraction] as number)) : Number(text.slice(start, pos));
    return pos;
  }
}

const digitsAt = (text: string, at: number, count: number): number => {
  let n = 0;
  for (let i = at; i < at + count; i += 1) {
    const c = text.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
};

/** The second the last time read fell in (its first 19 characters), and its ms. */
let lastSecond = '';
let lastSecondMs = 0;

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z` as ms (fraction cut to ms, as Date.parse does); Date.parse for any other form. */
export function isoMillis(text: string): number {
  return isoMillisIn(text, 0, text.length);
}

/** isoMillis of `text[start, end)`, read in place. */
export function isoMillisIn(text: string, start: number, end: number): number {
  const n = end - start;
  if (n < 20 || text.charCodeAt(end - 1) !== 90 || text.charCodeAt(start + 10) !== 84 || (n > 20 && (text.charCodeAt(start + 19) !== DOT || n < 22))) {
    return Date.parse(text.slice(start, end));
  }
  // Milliseconds from the first three fraction digits; every digit is checked.
  let ms = 0;
  for (let i = 0; i < n - 21; i += 1) {
    const digit = text.charCodeAt(start + 20 + i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    if (i < 3) ms += digit * (i === 0 ? 100 : i === 1 ? 10 : 1);
  }
  // A feed's times share their second with the one before, mostly: that part is read once.
  if (lastSecond !== '' && holdsAt(text, start, lastSecond)) return lastSecondMs + ms;
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  const hour = digitsAt(text, start + 11, 2);
  const minute = digitsAt(text, start + 14, 2);
  const second = digitsAt(text, start + 17, 2);
  const year = digitsAt(text, start, 4);
  if (
    text.charCodeAt(start + 4) !== MINUS ||
    text.charCodeAt(start + 7) !== MINUS ||
    text.charCodeAt(start + 13) !== COLON ||
    text.charCodeAt(start + 16) !== COLON ||
    !(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && year >= 1970)
  ) {
    return Date.parse(text.slice(start, end));
  }
  // (Date.UTC reads years below 100 as 19xx: earlier years go to Date.parse above.)
  const whole = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over into May; Date.parse refuses it.
  if (new Date(whole).getUTCDate() !== day) return Number.NaN;
  lastSecond = text.slice(start, start + 19);
  lastSecondMs = whole;
  return whole + ms;
}

/** `1.5e-7` → `0.00000015`, exactly (string arithmetic); plain decimals are returned as they are. */
export function plainDecimal(token: string): string {
  const e = token.search(/[eE]/);
  if (e < 0) return token;
  const exponent = Number(token.slice(e + 1));
  const mantissa = token.slice(0, e);
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const position = (point < 0 ? mantissa.length : point) + exponent;
  if (position <= 0) return `0.${'0'.repeat(-position)}${digits}`;
  if (position >= digits.length) return digits + '0'.repeat(position - digits.length);
  return `${digits.slice(0, position)}.${digits.slice(position)}`;
}
