import { describe, expect, it } from 'vitest';
import { ExchangeProtocolError } from '../../../../app/core/errors.js';
import { OkxBookSync } from '../../../../app/exchanges/okx/book-sync.js';
import { decodeFrame, parseBookData, parseCandles, parseTickers, parseTrades, timeframeOfChannel, toBookEvent } from '../../../../app/exchanges/okx/parser.js';
import { readCapture, readSamples } from '../../../sim/okx/capture.js';

const RECEIVED = 1_786_600_000_000;
const samples = readSamples();

function push(index: number) {
  const frame = decodeFrame(JSON.stringify(samples[index]?.msg));
  if (frame.kind !== 'push') throw new Error(`sample ${index} is not a push`);
  return frame.push;
}

describe('OKX parser on the 2026-08-12 recorded frames', () => {
  it('classifies all 24 frames: 8 acks and 16 data pushes', () => {
    const kinds = samples.map((s) => decodeFrame(JSON.stringify(s.msg)).kind);
    expect(kinds.filter((k) => k === 'event')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'push')).toHaveLength(16);
    const ack = decodeFrame(JSON.stringify(samples[0]?.msg));
    expect(ack).toEqual({ kind: 'event', event: { event: 'subscribe', arg: { channel: 'tickers', instId: 'BTC-USDT' }, connId: 'd604ccd0' } });
  });

  it('parses spot and swap tickers with exact values', () => {
    expect(parseTickers(push(1), RECEIVED)).toEqual([
      {
        kind: 'ticker',
        exchange: 'okx',
        symbol: 'BTC-USDT',
        exchangeTs: 1786613174873,
        receivedAt: RECEIVED,
        last: 63707.3,
        lastStr: '63707.3',
        lastSize: 0.00164251,
        bid: 63707.2,
        bidStr: '63707.2',
        bidSize: 1.70080521,
        ask: 63707.3,
        askStr: '63707.3',
        askSize: 0.15455902,
        open24h: 63958.9,
        high24h: 64496.9,
        low24h: 63309.4,
        volume24h: 3601.1585121,
        quoteVolume24h: Number('229576048.730317321'),
      },
    ]);
    const swap = parseTickers(push(4), RECEIVED)[0];
    expect(swap).toMatchObject({ symbol: 'BTC-USDT-SWAP', last: 63921, bidSize: 779.3, volume24h: 7399887.86 });
    // For derivatives volCcy24h is in base currency, not quote: no quoteVolume.
    expect(swap?.quoteVolume24h).toBeUndefined();
  });

  it('parses candle1m from the business endpoint as a forming candle', () => {
    expect(samples[9]?.url).toBe('wss://ws.okx.com:8443/ws/v5/business');
    const [first] = parseCandles(push(10), RECEIVED);
    expect(first).toEqual({
      kind: 'candle',
      exchange: 'okx',
      symbol: 'BTC-USDT',
      exchangeTs: 1786538760000,
      receivedAt: RECEIVED,
      timeframe: '1m',
      openTime: 1786538760000,
      open: 64040.2,
      openStr: '64040.2',
      high: 64040.2,
      highStr: '64040.2',
      low: 64025.7,
      lowStr: '64025.7',
      close: 64033.5,
      closeStr: '64033.5',
      volume: 2.16787395,
      volumeStr: '2.16787395',
      quoteVolume: 138825.265446816,
      closed: false,
    });
    expect(parseCandles(push(11), RECEIVED)[0]?.close).toBe(64038.2);
  });

  it('parses aggregated trades with count and seqId', () => {
    expect(parseTrades(push(13), RECEIVED)).toEqual([
      {
        kind: 'trade',
        exchange: 'okx',
        symbol: 'BTC-USDT-SWAP',
        exchangeTs: 1786540435948,
        receivedAt: RECEIVED,
        tradeId: '2832749635',
        side: 'buy',
        price: 63913.5,
        priceStr: '63913.5',
        size: 1,
        sizeStr: '1',
        fills: 1,
        seqId: 333793117432,
      },
    ]);
    expect(parseTrades(push(14), RECEIVED)[0]).toMatchObject({ tradeId: '2832749645', side: 'sell', sizeStr: '34.95', fills: 10, seqId: 333793118093 });
    expect(parseTrades(push(16), RECEIVED)[0]).toMatchObject({ symbol: 'BTC-USDT', priceStr: '64040.2', sizeStr: '0.00240857', fills: 2 });
  });

  it('parses books5 snapshots with seqId and order counts', () => {
    const data = parseBookData(push(19));
    const event = toBookEvent('book_snapshot', 'BTC-USDT-SWAP', data, RECEIVED);
    expect(event.seqId).toBe(333794734980);
    expect(event.checksum).toBeUndefined();
    expect(event.asks[0]).toEqual({ price: 63921.5, priceStr: '63921.5', size: 790.41, sizeStr: '790.41', orders: 42 });
    expect(event.bids.map((l) => l.priceStr)).toEqual(['63921.4', '63921.3', '63920.7', '63920.4', '63920.1']);
    const spot = toBookEvent('book_snapshot', 'BTC-USDT', parseBookData(push(22)), RECEIVED);
    expect(spot.asks[2]).toMatchObject({ priceStr: '64074', sizeStr: '0.0000102' });
  });

  it('parses every data push of the 2026 samples without error', () => {
    let events = 0;
    for (const sample of samples) {
      const frame = decodeFrame(JSON.stringify(sample.msg));
      if (frame.kind !== 'push') continue;
      const channel = frame.push.arg.channel;
      if (channel === 'tickers') events += parseTickers(frame.push, RECEIVED).length;
      else if (channel === 'trades') events += parseTrades(frame.push, RECEIVED).length;
      else if (timeframeOfChannel(channel) !== undefined) events += parseCandles(frame.push, RECEIVED).length;
      else events += toBookEvent('book_snapshot', frame.push.arg.instId ?? '', parseBookData(frame.push), RECEIVED).bids.length > 0 ? 1 : 0;
    }
    expect(events).toBe(16);
  });
});

describe('OKX parser on the 2022 capture (older formats)', () => {
  it('parses trades without count/seqId and every ticker', () => {
    let trades = 0;
    let tickers = 0;
    for (const frame of readCapture()) {
      if (frame.payload === 'pong') continue;
      const decoded = decodeFrame(frame.payload);
      if (decoded.kind !== 'push') continue;
      if (decoded.push.arg.channel === 'trades') {
        for (const trade of parseTrades(decoded.push, frame.receivedAt)) {
          expect(trade.fills).toBe(1);
          expect(trade.seqId).toBeUndefined();
          trades += 1;
        }
      } else if (decoded.push.arg.channel === 'tickers') {
        tickers += parseTickers(decoded.push, frame.receivedAt).length;
      }
    }
    expect(trades).toBeGreaterThanOrEqual(74);
    expect(tickers).toBe(28);
    const first = readCapture().find((f) => f.payload.includes('"tradeId":"338476307"'));
    const decoded = decodeFrame(first?.payload ?? '');
    expect(decoded.kind === 'push' && parseTrades(decoded.push, 0)[0]).toMatchObject({
      priceStr: '30236',
      sizeStr: '0.0002',
      side: 'buy',
      exchangeTs: 1652459224818,
    });
  });
});

describe('OKX parser rejects bad input clearly', () => {
  it.each([
    ['not JSON', '{"arg":', /not JSON/],
    ['no arg', '{"data":[]}', /malformed data push/],
    [
      'bad price',
      '{"arg":{"channel":"trades","instId":"X"},"data":[{"instId":"X","tradeId":"1","px":"1e5","sz":"1","side":"buy","ts":"1"}]}',
      /malformed trade: px: not a decimal/,
    ],
    [
      'bad side',
      '{"arg":{"channel":"trades","instId":"X"},"data":[{"instId":"X","tradeId":"1","px":"1","sz":"1","side":"long","ts":"1"}]}',
      /malformed trade: side/,
    ],
  ])('%s', (_name, text, message) => {
    const run = () => {
      const frame = decodeFrame(text);
      if (frame.kind === 'push') parseTrades(frame.push, 0);
    };
    expect(run).toThrow(ExchangeProtocolError);
    expect(run).toThrow(message);
  });

  it('keeps an OKX book sync usable for books5-style snapshots', () => {
    const sync = new OkxBookSync();
    expect(sync.onMessage('snapshot', parseBookData(push(19))).type).toBe('snapshot');
    expect(sync.book.bids.size).toBe(5);
  });
});
