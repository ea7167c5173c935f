// CRC-32 (IEEE 802.3, as zlib computes it). Uses zlib.crc32 where the runtime has it
// (Node >= 20.15 / 22.2, Electron's Node included) and an equivalent table otherwise.

import zlib from 'node:zlib';

/**
 * The byte table, built once. Signed 32-bit: the register is combined with `^` and `>>>`,
 * which work on 32 bits either way, and signed entries keep every step in V8's integer
 * arithmetic (an unsigned entry above 2^31 is a double to V8).
 */
const table: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c | 0;
  }
  return t;
})();

/** CRC-32 of an ASCII/UTF-8 string with the portable table implementation. */
export function crc32Table(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: string) => number }).crc32;

/** Unsigned CRC-32 of the UTF-8 bytes of `text`. */
export const crc32: (text: string) => number = native === undefined ? crc32Table : (text) => native(text) >>> 0;

/** The running value a CRC-32 starts from (see crc32Feed). */
export const CRC32_START = 0xffffffff;

/**
 * Feeds the characters `text[from, to)` (ASCII: prices, sizes, separators) into a running
 * CRC-32 register, with no UTF-8 encoding and no concatenation. Start from CRC32_START and
 * finish with crc32Finish; start from 0 to make a segment (crc32Pack).
 */
export function crc32Feed(crc: number, text: string, from = 0, to = text.length): number {
  let c = crc;
  for (let i = from; i < to; i += 1) c = (table[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return c;
}

/** Feeds one character code (ASCII) into a running CRC-32 register. */
export function crc32Code(crc: number, code: number): number {
  return (table[(crc ^ code) & 0xff] as number) ^ (crc >>> 8);
}

/** The unsigned CRC-32 of a running register. */
export function crc32Finish(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}

const TWO_32 = 4294967296;

/**
 * The register that becomes `register` once `code` is fed (each step is a bijection): lets a
 * check string whose parts are all written with a leading separator start without one.
 */
export function crc32Unfeed(register: number, code: number): number {
  const top = register >>> 24;
  let index = 0;
  while (index < 256 && (table[index] as number) >>> 24 !== top) index += 1;
  return ((((register ^ (table[index] as number)) << 8) | ((index ^ code) & 0xff)) >>> 0) | 0;
}

/**
 * A segment: the register after feeding some bytes into 0, packed with their count, so that it
 * can be appended later (crc32Append) without reading the bytes again.
 */
export function crc32Pack(register: number, length: number): number {
  return (register >>> 0) + length * TWO_32;
}

/**
 * Per length n, four byte tables for "feed n zero bytes", by the byte of the register they
 * start from: the register after n zeros is the XOR of the four (the CRC is linear).
 */
const zeroTables: (Int32Array | undefined)[] = [];

function zeroTable(n: number): Int32Array {
  let z = zeroTables[n];
  if (z !== undefined) return z;
  z = new Int32Array(1024);
  for (let k = 0; k < 4; k += 1) {
    for (let b = 0; b < 256; b += 1) {
      let c = b << (8 * k);
      for (let i = 0; i < n; i += 1) c = (table[c & 0xff] as number) ^ (c >>> 8);
      z[k * 256 + b] = c;
    }
  }
  if (n < 256) zeroTables[n] = z;
  return z;
}

/**
 * Appends a packed segment to a running register, as if its bytes were fed: feeding bytes D
 * from register r gives (r fed |D| zero bytes) XOR (D fed from 0).
 */
export function crc32Append(crc: number, segment: number): number {
  const length = Math.floor(segment / TWO_32);
  const z = zeroTable(length);
  return (
    (z[crc & 0xff] as number) ^
    (z[256 + ((crc >>> 8) & 0xff)] as number) ^
    (z[512 + ((crc >>> 16) & 0xff)] as number) ^
    (z[768 + (crc >>> 24)] as number) ^
    (segment >>> 0)
  );
}
