// CRC-32 (IEEE 802.3, as zlib computes it). Uses zlib.crc32 where the runtime has it
// (Node >= 20.15 / 22.2, Electron's Node included) and an equivalent table otherwise.

import zlib from 'node:zlib';

let table: Uint32Array | undefined;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 of an ASCII/UTF-8 string with the portable table implementation. */
export function crc32Table(text: string): number {
  table ??= buildTable();
  const bytes = Buffer.from(text, 'utf8');
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: string) => number }).crc32;

/** Unsigned CRC-32 of the UTF-8 bytes of `text`. */
export const crc32: (text: string) => number = native === undefined ? crc32Table : (text) => native(text) >>> 0;
