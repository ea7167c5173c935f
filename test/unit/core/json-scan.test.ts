import { describe, expect, it } from 'vitest';
import { holdsAt, JsonCursor, KeySet, RecentStrings, ScanError, isoMillis, plainDecimal, scanFailureText } from '../../../app/core/json-scan.js';

/** Reads any JSON value with the cursor into plain values (to compare with JSON.parse). */
function read(c: JsonCursor): unknown {
  const ch = c.peek();
  if (ch === 123) {
    c.expect(123, '{');
    const out: Record<string, unknown> = {};
    const keys = new KeySet([]);
    for (let first = true; c.more(125, first); first = false) {
      const start = c.pos;
      c.keyIn(keys);
      const key = JSON.parse(c.text.slice(c.text.indexOf('"', start), c.text.lastIndexOf(':', c.pos - 1)).trim()) as string;
      out[key] = read(c);
    }
    return out;
  }
  if (ch === 91) {
    c.expect(91, '[');
    const out: unknown[] = [];
    for (let first = true; c.more(93, first); first = false) out.push(read(c));
    return out;
  }
  if (ch === 34) return c.string();
  const start = c.pos;
  c.skip();
  return JSON.parse(c.text.slice(start, c.pos)) as unknown;
}

const scan = (text: string): unknown => {
  const c = new JsonCursor().reset(text);
  const value = read(c);
  c.end();
  return value;
};

describe('JsonCursor', () => {
  it('reads what JSON.parse reads, whitespace, escapes and nesting included', () => {
    for (const text of [
      '{"a":1,"b":[true,false,null],"c":{"d":"x\\"y\\u00e9"},"e":-0.5e-3}',
      ' { "asks" : [ [ "1.5" , "2" ] ] ,\n\t"ts":"1" } ',
      '[]',
      '[{}]',
      '"\\\\"',
    ]) {
      expect(scan(text), text).toEqual(JSON.parse(text));
    }
  });

  it('refuses what is not JSON', () => {
    for (const text of [
      '{"a":1,}',
      '{"a":1 "b":2}',
      '[1,]',
      '[,1]',
      '{"a"1}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":"x',
      '{"a":"\u0001"}',
      '{"a":tru}',
      '{"a":1}x',
      '',
      '{"a":-}',
    ])
      expect(() => scan(text), text).toThrow(ScanError);
  });

  it('reads decimals as their spelling and exactly the number JSON would give', () => {
    const c = new JsonCursor();
    for (const d of ['0', '64000.10', '0.00000001', '123456789012345678901234567890.5', '9007199254740993', '1.000000000000000000000001', '42']) {
      c.reset(`"${d}"`);
      expect(c.decimalString()).toBe(d);
      expect(c.value).toBe(Number(d));
    }
    for (const bad of ['"-1"', '"1e5"', '".5"', '"5."', '""', '"1.2.3"', '" 1"', '"0x10"']) expect(() => c.reset(bad).decimalString(), bad).toThrow(ScanError);
  });

  it('keeps number tokens as written and writes exponents out', () => {
    const c = new JsonCursor();
    expect(c.reset('0.10000000').decimalNumber()).toBe('0.10000000');
    expect(c.reset('1.5e-7').decimalNumber()).toBe('0.00000015');
    expect(c.value).toBe(1.5e-7);
    expect(c.reset('2E+3').decimalNumber()).toBe('2000');
    expect(plainDecimal('1.25e1')).toBe('12.5');
    for (const bad of ['-1', '01', '"1"']) expect(() => c.reset(bad).decimalNumber(), bad).toThrow(ScanError);
  });

  it('reads integers, in strings too, and refuses fractions and unsafe ones', () => {
    const c = new JsonCursor();
    expect(c.reset('-1').int()).toBe(-1);
    expect(c.reset('1597026383085').int()).toBe(1597026383085);
    expect(c.reset('"13"').uintString()).toBe(13);
    expect(c.reset('1e3').int()).toBe(1000);
    for (const bad of ['1.5', '9007199254740993', '"x"']) expect(() => c.reset(bad).int(), bad).toThrow(ScanError);
    expect(() => c.reset('"1.5"').uintString()).toThrow(ScanError);
  });

  it('matches keys written as venues write them and any other spelling of them', () => {
    const keys = new KeySet(['asks', 'bids']);
    const c = new JsonCursor().reset('{"bids":1, "asks" :2,"other":3}');
    c.expect(123, '{');
    const seen: number[] = [];
    for (let first = true; c.more(125, first); first = false) {
      seen.push(c.keyIn(keys));
      c.skip();
    }
    expect(seen).toEqual([1, 0, -1]);
  });

  it('says "not JSON" for a cut text and names the problem otherwise', () => {
    expect(scanFailureText('OKX', 'order book', '{"a":[', new ScanError('x'))).toMatch(/OKX sent a frame that is not JSON/);
    expect(scanFailureText('OKX', 'order book', '{"a":1}', new ScanError('expected asks'))).toBe('OKX sent a malformed order book: expected asks');
  });
});

describe('holdsAt', () => {
  it('compares short and long parts in place, and never past the end', () => {
    const text = Buffer.from('xx{"channel":"book","type":"update"}').toString('utf8');
    expect(holdsAt(text, 2, '{"channel":')).toBe(true);
    expect(holdsAt(text, 2, '{"channel":"book","type":"update"}')).toBe(true);
    expect(holdsAt(text, 2, '{"channel":"book","type":"updatE"}')).toBe(false);
    expect(holdsAt(text, 2, '{"channel":"book","type":"update"}x')).toBe(false);
    expect(holdsAt(text, 3, '{"channel":')).toBe(false);
    expect(holdsAt(text, text.length, '')).toBe(true);
    expect(holdsAt(text, text.length - 1, '}}')).toBe(false);
  });
});

describe('isoMillis', () => {
  it('agrees with Date.parse on the forms venues send, and refuses nonsense', () => {
    for (const t of [
      '0099-01-01T00:00:00Z',
      '1969-12-31T23:59:59.5Z',
      '2023-10-06T17:35:55.440295Z',
      '2023-10-06T17:35:55Z',
      '2021-04-17T16:48:52.1Z',
      '2021-04-17T16:48:52.12Z',
      '2024-02-29T23:59:59.999999999Z',
      '2023-10-06T17:35:55+02:00',
      '2023-10-06',
    ])
      expect(isoMillis(t), t).toBe(Date.parse(t));
    for (const bad of ['2023-13-06T17:35:55Z', '2023-10-06T17:35:5xZ', 'yesterday', '2023-10-06T17:35:55.Z'])
      expect(Number.isNaN(isoMillis(bad)), bad).toBe(true);
  });
});

describe('isoMillis across a stream', () => {
  it('agrees with Date.parse on consecutive times sharing their second, and after the second changes', () => {
    let t = Date.parse('2026-11-25T23:59:58.990Z');
    for (let i = 0; i < 3000; i += 1) {
      t += 1;
      const text = new Date(t).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
      expect(isoMillis(text), text).toBe(Date.parse(text));
      expect(isoMillis(text.slice(0, 19) + 'Z')).toBe(Date.parse(text.slice(0, 19) + 'Z'));
    }
  });
});

describe('recurringString', () => {
  it('returns the remembered string only for the same spelling, never for an escape that reads differently', () => {
    const c = new JsonCursor();
    const recent = new RecentStrings();
    const btc = c.reset('"BTC/USD"').recurringString(recent);
    expect(btc).toBe('BTC/USD');
    const eth = c.reset('"ETH/USD"').recurringString(recent);
    expect(recent.known).toEqual(['BTC/USD', 'ETH/USD']);
    // Symbols interleaved: each is the string remembered for it.
    expect(c.reset('"BTC/USD"').recurringString(recent)).toBe(btc);
    expect(c.reset('"ETH/USD"').recurringString(recent)).toBe(eth);
    // A longer or shorter spelling sharing a prefix is not a match.
    expect(c.reset('"BTC/USDT"').recurringString(recent)).toBe('BTC/USDT');
    expect(c.reset('"BTC/US"').recurringString(recent)).toBe('BTC/US');
    // A value holding a backslash or a control character is not remembered: its spelling is not itself.
    expect(c.reset('"A\\\\nB"').recurringString(recent)).toBe('A\\nB');
    expect(c.reset('"A\\nB"').recurringString(recent)).toBe('A\nB');
    expect(c.reset('"x\\u0041"').recurringString(recent)).toBe('xA');
    // Escapes that read as plain characters leave a value that is its own spelling; a control character never is.
    expect(recent.known).toEqual(['BTC/USD', 'ETH/USD', 'BTC/USDT', 'BTC/US', 'xA']);
    expect(() => c.reset('"A\nB"').recurringString(recent)).toThrow(ScanError);
    expect(c.reset('""').recurringString(recent)).toBe('');
    expect(recent.known).not.toContain('');
  });

  it('remembers a bounded number of strings, forgetting the oldest', () => {
    const c = new JsonCursor();
    const recent = new RecentStrings(3);
    for (const symbol of ['A', 'B', 'C', 'D', 'E']) c.reset(`"${symbol}"`).recurringString(recent);
    expect([...recent.known].sort()).toEqual(['C', 'D', 'E']);
  });
});
