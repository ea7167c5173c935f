// The hot-path book scanners of Binance, Bybit, Coinbase and Kraken against the general path
// (JSON.parse and the hand-written guards) on every book message of each venue's real capture:
// the same book data, level for level. And what they must refuse.

import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../app/core/crc32.js';
import { scanBinanceDepth, scanDepthSnapshot } from '../../../app/exchanges/binance/book-scan.js';
import { asDepthSnapshot, asDepthUpdate } from '../../../app/exchanges/binance/messages.js';
import { scanBybitBook } from '../../../app/exchanges/bybit/book-scan.js';
import { asBookMessage } from '../../../app/exchanges/bybit/messages.js';
import { scanCoinbaseL2 } from '../../../app/exchanges/coinbase/book-scan.js';
import { asL2 } from '../../../app/exchanges/coinbase/messages.js';
import { scanKrakenBook } from '../../../app/exchanges/kraken/book-scan.js';
import { krakenChecksumString } from '../../../app/exchanges/kraken/checksum.js';
import { asBookFrame, parseKrakenFrame } from '../../../app/exchanges/kraken/messages.js';
import { readBinanceCapture } from '../../sim/binance/capture.js';
import { readBybitCapture } from '../../sim/bybit/capture.js';
import { readCoinbaseCapture } from '../../sim/coinbase/capture.js';
import { readKrakenV1Books } from '../../sim/kraken/capture.js';

/** A class instance as plain data, to compare with what the general path built. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function refusesAll(scan: (text: string) => unknown, texts: readonly string[]): void {
  for (const text of texts) expect(() => scan(text), text).toThrow(/Binance|Bybit|Coinbase|Kraken/);
}

describe('Binance depth scanner', () => {
  it('reads every depth diff and REST snapshot of the 2021 capture as the guards do', () => {
    let diffs = 0;
    let snapshots = 0;
    for (const line of readBinanceCapture()) {
      if (line.data === undefined) continue;
      if (line.t === 'http') {
        if (!line.url?.includes('/depth')) continue;
        expect(plain(scanDepthSnapshot(line.data))).toEqual(plain(asDepthSnapshot(JSON.parse(line.data))));
        snapshots += 1;
        continue;
      }
      const frame = JSON.parse(line.data) as { stream?: string; data?: unknown };
      if (frame.stream?.includes('@depth') !== true) {
        expect(scanBinanceDepth(line.data)).toBeUndefined();
        continue;
      }
      const scanned = scanBinanceDepth(line.data);
      expect(scanned?.stream).toBe(frame.stream);
      expect(plain(scanned?.update)).toEqual(plain(asDepthUpdate(frame.data)));
      diffs += 1;
    }
    expect(diffs).toBe(177);
    expect(snapshots).toBeGreaterThanOrEqual(4);
  });

  it('refuses diffs that are not depth updates of decimals', () => {
    const diff = (data: string) => `{"stream":"btcusdt@depth@100ms","data":{${data}}}`;
    refusesAll(scanBinanceDepth, [
      diff('"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1e5","1"]],"a":[]'),
      diff('"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","-1"]],"a":[]'),
      diff('"e":"trade","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]'),
      diff('"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1.5,"u":2,"b":[],"a":[]'),
      diff('"e":"depthUpdate","E":1,"s":"BTCUSDT","u":2,"b":[],"a":[]'),
      '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate"',
    ]);
    expect(() => scanDepthSnapshot('{"lastUpdateId":1,"bids":[["x","1"]],"asks":[]}')).toThrow(/REST depth snapshot/);
  });
});

describe('Bybit book scanner', () => {
  it('reads every order book message of the 2026 capture as the guards do', () => {
    let books = 0;
    for (const frame of readBybitCapture()) {
      const value = JSON.parse(frame.data) as { topic?: string };
      if (value.topic?.startsWith('orderbook.') !== true) {
        expect(scanBybitBook(frame.data)).toBeUndefined();
        continue;
      }
      expect(plain(scanBybitBook(frame.data))).toEqual(plain(asBookMessage(value)));
      books += 1;
    }
    expect(books).toBe(2148);
  });

  it('refuses messages that are not books of decimals', () => {
    const book = (data: string, type = 'delta') => `{"topic":"orderbook.50.BTCUSDT","type":"${type}","ts":1,"data":{${data}},"cts":1}`;
    refusesAll(scanBybitBook, [
      book('"s":"BTCUSDT","b":[["1","x"]],"a":[],"u":2'),
      book('"s":"BTCUSDT","b":[],"a":[],"u":0'),
      book('"s":"BTCUSDT","b":[],"a":[],"u":2', 'full'),
      book('"s":"BTCUSDT","b":[],"u":2'),
      '{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s"',
    ]);
  });
});

describe('Coinbase l2_data scanner', () => {
  it('reads every l2_data frame of the 2026 capture as the guards do', () => {
    let frames = 0;
    for (const frame of readCoinbaseCapture()) {
      if (frame.channel !== 'l2_data') {
        expect(scanCoinbaseL2(frame.data)).toBeUndefined();
        continue;
      }
      expect(plain(scanCoinbaseL2(frame.data))).toEqual(plain(asL2(JSON.parse(frame.data))));
      frames += 1;
    }
    expect(frames).toBe(375);
  });

  it('reads updates written in another order, with spaces or extra members as the general path does', () => {
    const frame = (updates: string) =>
      `{"channel":"l2_data","client_id":"","timestamp":"2026-08-09T10:00:00.1Z","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD","updates":[${updates}]}]}`;
    for (const text of [
      frame(
        '{"side":"bid","event_time":"2026-08-09T10:00:00Z","price_level":"10.5","new_quantity":"1"},{"price_level":"10.4","side":"bid","new_quantity":"2","event_time":"x"},{"side":"offer","event_time":"2026-08-09T10:00:00Z","price_level":"10.6","new_quantity":"0"}',
      ),
      frame('{"side": "bid","event_time":"2026-08-09T10:00:00Z","price_level":"10.5","new_quantity":"1"}'),
      frame('{"side":"offer","event_time":null,"price_level":"10.6","new_quantity":"3"}'),
      frame('{"side":"offer","event_time":"2026-08-09T10:00:00Z","price_level":"10.6","new_quantity":"3","extra":{"a":[1]}}'),
      frame('{"side":"bid","event_time":"2026-08-09T10:00:00Z","price_level":"10.5","new_quantity":"1" }'),
    ]) {
      expect(plain(scanCoinbaseL2(text)), text).toEqual(plain(asL2(JSON.parse(text))));
    }
  });

  it('refuses frames that are not level2 data of decimals', () => {
    const frame = (update: string) =>
      `{"channel":"l2_data","client_id":"","timestamp":"2026-08-09T10:00:00.1Z","sequence_num":3,"events":[{"type":"update","product_id":"BTC-USD","updates":[${update}]}]}`;
    refusesAll(scanCoinbaseL2, [
      frame('{"side":"ask","event_time":"2026-08-09T10:00:00Z","price_level":"1","new_quantity":"1"}'),
      frame('{"side":"bid","event_time":"2026-08-09T10:00:00Z","price_level":"1.","new_quantity":"1"}'),
      frame('{"side":"bid","event_time":"2026-08-09T10:00:00Z","price_level":"1"}'),
      '{"channel":"l2_data","client_id":"","timestamp":"yesterday","sequence_num":3,"events":[]}',
      '{"channel":"l2_data","client_id":"","timestamp":"2026-08-09T10:00:00.1Z","events":[]}',
    ]);
  });
});

describe('Kraken book scanner', () => {
  it('reads the 2021 capture written as v2 frames (JSON numbers) as the decimal-preserving parse and the guards do', () => {
    let t = Date.parse('2021-04-17T16:48:52Z');
    let frames = 0;
    for (const m of readKrakenV1Books()) {
      const side = (levels: readonly (readonly string[])[]) => `[${levels.map(([p, q]) => `{"price":${p ?? '0'},"qty":${q ?? '0'}}`).join(',')}]`;
      const level = ([priceStr, sizeStr]: readonly string[]) => ({ priceStr: priceStr ?? '', sizeStr: sizeStr ?? '' });
      const checksum = m.checksum ?? crc32(krakenChecksumString(m.asks.map(level), m.bids.map(level)));
      const text = `{"channel":"book","type":"${m.type}","data":[{"symbol":"${m.pair}","bids":${side(m.bids)},"asks":${side(m.asks)},"checksum":${checksum},"timestamp":"${new Date((t += 1)).toISOString()}"}]}`;
      expect(plain(scanKrakenBook(text))).toEqual(plain(asBookFrame(parseKrakenFrame(text))));
      frames += 1;
    }
    expect(frames).toBeGreaterThan(4000);
  });

  it('reads a message written in another order or with spaces as the general path does', () => {
    for (const text of [
      '{"channel":"book", "data":[{"timestamp":"2026-08-09T10:00:00.5Z","checksum":7,"asks":[{"qty":2,"price":10.50}],"bids":[],"symbol":"BTC/USD"}],"type":"snapshot"}',
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[ {"price":10.5,"qty":0} ],"checksum":7,"timestamp":"2026-08-09T10:00:00.5Z"},{"symbol":"ETH/USD","bids":[],"asks":[],"checksum":1,"timestamp":"2026-08-09T10:00:00.5Z"}]} ',
      // Written as Kraken does up to a level that is not: the list is read again the general way.
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":10.4,"qty":1},{"qty":2,"price":10.3},{"price":10.2,"qty":3}],"asks":[{"price":10.5,"qty":1},{"price":10.6,"qty":2,"extra":[1]}],"checksum":7,"timestamp":"2026-08-09T10:00:00.5Z"}]}',
      '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":10.4,"qty":1} ,{"price":10.3,"qty":2}],"asks":[{"price":10.5,"qty":1}],"checksum":7,"timestamp":"2026-08-09T10:00:00.5Z"},{"symbol":"ETH/USD","bids":[{"price":1.5,"qty":1}],"asks":[],"checksum":1,"timestamp":"2026-08-09T10:00:00.5Z"}]}',
    ]) {
      expect(plain(scanKrakenBook(text)), text).toEqual(plain(asBookFrame(parseKrakenFrame(text))));
    }
  });

  it('keeps the spelling of numbers, writes exponents out, and refuses what is not a book of decimals', () => {
    const frame = (level: string, extra = '') =>
      `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[${level}],"asks":[],"checksum":1,"timestamp":"2026-08-09T10:00:00.123456Z"${extra}}]}`;
    const scanned = scanKrakenBook(frame('{"price":45281.10,"qty":1.5e-7}'));
    expect(scanned?.data[0]?.bids[0]).toEqual({ price: 45281.1, priceStr: '45281.10', size: 1.5e-7, sizeStr: '0.00000015' });
    expect(scanned?.data[0]?.ts).toBe(Date.parse('2026-08-09T10:00:00.123Z'));
    refusesAll(scanKrakenBook, [
      frame('{"price":-1,"qty":1}'),
      frame('{"price":"1","qty":1}'),
      frame('{"price":1}'),
      frame('{"price":1,"qty":1}', ',"checksum":-5'),
      '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1',
    ]);
  });
});
