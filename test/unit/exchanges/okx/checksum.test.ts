import { readFileSync } from 'node:fs';
import type { PriceLevel } from '../../../../app/core/types.js';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Table } from '../../../../app/core/crc32.js';
import { OrderBook } from '../../../../app/book/order-book.js';
import { okxBookChecksum, okxChecksumOf, okxChecksumString } from '../../../../app/exchanges/okx/checksum.js';
import { OkxBookSync } from '../../../../app/exchanges/okx/book-sync.js';
import { decodeFrame, parseBookData } from '../../../../app/exchanges/okx/parser.js';
import { OKX_CHECKSUM_VECTORS, readCapture } from '../../../sim/okx/capture.js';

interface Vector {
  id: string;
  bids: [string, string][];
  asks: [string, string][];
  checkString: string;
  checksumSigned: number;
  expectedChecksum?: number;
  matches?: boolean;
}

const vectors = (JSON.parse(readFileSync(OKX_CHECKSUM_VECTORS, 'utf8')) as { vectors: Vector[] }).vectors;

function bookOf(vector: Vector): OrderBook {
  const book = new OrderBook();
  book.loadSnapshot(
    vector.bids.map(([priceStr, sizeStr]) => ({ priceStr, sizeStr })),
    vector.asks.map(([priceStr, sizeStr]) => ({ priceStr, sizeStr })),
  );
  return book;
}

describe('OKX checksum vectors', () => {
  it('has all seven vectors', () => {
    expect(vectors.map((v) => v.id)).toHaveLength(7);
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s: builds the check string and its CRC32', (_id, vector) => {
    const book = bookOf(vector);
    const { bids, asks } = book.top(25);
    expect(okxChecksumString(bids, asks)).toBe(vector.checkString);
    expect(okxBookChecksum(book)).toBe(vector.checksumSigned);
    if (vector.matches === true) expect(okxBookChecksum(book)).toBe(vector.expectedChecksum);
  });

  it('does NOT reproduce the value printed in the v5 docs snapshot example (known bad example)', () => {
    const bad = vectors.find((v) => v.id === 'okx-v5-doc-snapshot-NOT-A-VECTOR');
    expect(bad?.matches).toBe(false);
    expect(bad?.expectedChecksum).toBe(-855196043);
    expect(okxBookChecksum(bookOf(bad as Vector))).not.toBe(-855196043);
    expect(okxBookChecksum(bookOf(bad as Vector))).toBe(-2102840145);
  });

  it('the portable CRC32 table agrees with zlib', () => {
    for (const vector of vectors) expect(crc32Table(vector.checkString)).toBe(crc32(vector.checkString));
    expect(okxChecksumOf('3366.1:7:3366.8:9:3366:6:3368:8')).toBe(-1881014294);
  });
});

describe('2022 OKX capture replay', () => {
  it('rebuilds all three books and matches all 290 checksums OKX sent', () => {
    const syncs = new Map<string, OkxBookSync>();
    const matched = new Map<string, number>();
    let checksumsSeen = 0;
    for (const frame of readCapture()) {
      if (frame.payload === 'pong') continue;
      const decoded = decodeFrame(frame.payload);
      if (decoded.kind !== 'push' || decoded.push.arg.channel !== 'books') continue;
      const instId = decoded.push.arg.instId ?? '';
      const data = parseBookData(decoded.push);
      let sync = syncs.get(instId);
      if (sync === undefined) {
        sync = new OkxBookSync();
        syncs.set(instId, sync);
      }
      const result = sync.onMessage(decoded.push.action ?? 'update', data);
      expect(result.type, `${instId} message ${checksumsSeen}`).toMatch(/^(snapshot|update)$/);
      expect(data.checksum).not.toBe(0);
      checksumsSeen += 1;
      // Independently of the sync's own check: recompute from the book.
      expect(okxBookChecksum(sync.book)).toBe(data.checksum);
      matched.set(instId, (matched.get(instId) ?? 0) + 1);
    }
    expect(checksumsSeen).toBe(290);
    expect(Object.fromEntries(matched)).toEqual({ 'BTC-USDT': 98, 'UNI-USD-SWAP': 93, 'BTC-USD-220527': 99 });
    for (const sync of syncs.values()) {
      expect(sync.state).toBe('valid');
      expect(sync.verifiedChecksums).toBeGreaterThan(90);
      expect(sync.book.isCrossed()).toBe(false);
    }
    expect(syncs.get('BTC-USDT')?.book.bids.size).toBeGreaterThan(300);
  });

  it('detects a corrupted level through the checksum and invalidates the book', () => {
    const sync = new OkxBookSync();
    let result: string | undefined;
    let updates = 0;
    for (const frame of readCapture()) {
      if (!frame.payload.includes('"channel":"books","instId":"BTC-USDT"}')) continue;
      const decoded = decodeFrame(frame.payload);
      if (decoded.kind !== 'push') continue;
      const data = parseBookData(decoded.push);
      if (decoded.push.action === 'update' && ++updates === 10) {
        const side = (data.bids.length > 0 ? data.bids : data.asks) as PriceLevel[];
        const first = side[0];
        if (first === undefined) throw new Error('expected a level');
        side[0] = { ...first, sizeStr: `${first.sizeStr}1` }; // one digit more on one size
      }
      result = sync.onMessage(decoded.push.action ?? 'update', data).type;
      if (result === 'checksum') break;
    }
    expect(result).toBe('checksum');
    expect(sync.state).toBe('invalid');
    expect(sync.book.isEmpty()).toBe(true);
  });
});
