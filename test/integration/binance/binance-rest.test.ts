// Binance's words mapped to ours: timeframes, stream names, message guards, instruments from
// exchangeInfo (and the offline fallback) and candle history over REST, against the simulator.
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../app/core/types.js';
import { UI_TIMEFRAMES } from '../../../main/contract.js';
import { binanceDescriptor, binanceFuturesDescriptor } from '../../../app/exchanges/binance/descriptor.js';
import { BinanceFeedProcessor, streamNames } from '../../../app/exchanges/binance/feed-processor.js';
import { BinanceHistory } from '../../../app/exchanges/binance/history.js';
import { BinanceInstruments } from '../../../app/exchanges/binance/instruments.js';
import { BINANCE_MARKETS, intervalOf, timeframeOfInterval } from '../../../app/exchanges/binance/markets.js';
import { asDepthUpdate } from '../../../app/exchanges/binance/messages.js';
import { BinanceSimulator } from '../../sim/binance/server.js';

let sim: BinanceSimulator | undefined;
const disposables: { dispose(): void }[] = [];

afterEach(async () => {
  for (const d of disposables.splice(0)) d.dispose();
  await sim?.close();
  sim = undefined;
});

describe('Binance vocabulary', () => {
  it('has a kline interval for every timeframe the UI offers, and reads it back', () => {
    for (const timeframe of UI_TIMEFRAMES) {
      const interval = intervalOf(timeframe);
      expect(interval, timeframe).toBeDefined();
      expect(timeframeOfInterval(interval ?? '')).toBe(timeframe);
    }
    expect(intervalOf('1H')).toBe('1h');
    expect(intervalOf('1M')).toBe('1M');
  });

  it('names streams in lower case; futures add the best bid/ask and mark-price streams', () => {
    const all = ['orderbook', 'trade', 'ticker', 'candles'];
    expect(streamNames('BTCUSDT', all, ['1m', '1h'], BINANCE_MARKETS.binance)).toEqual([
      'btcusdt@depth@100ms',
      'btcusdt@aggTrade',
      'btcusdt@ticker',
      'btcusdt@kline_1m',
      'btcusdt@kline_1h',
    ]);
    expect(streamNames('BTCUSDT', ['ticker'], [], BINANCE_MARKETS['binance-futures'])).toEqual([
      'btcusdt@ticker',
      'btcusdt@bookTicker',
      'btcusdt@markPrice@1s',
    ]);
  });

  it('reads BTC/USDT, btc-usdt and BTCUSDT as the same symbol', () => {
    for (const typed of ['BTC/USDT', 'btc-usdt', ' BTCUSDT ']) expect(binanceDescriptor.rules.normalizeSymbol(typed)).toBe('BTCUSDT');
  });
});

describe('Binance message guards', () => {
  const depth = { e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: 1, u: 2, b: [['100.5', '1']], a: [] };

  it('accepts a well-formed diff and refuses one with a bad field, naming it', () => {
    expect(asDepthUpdate(depth).u).toBe(2);
    expect(() => asDepthUpdate({ ...depth, U: '1' })).toThrow(/malformed depth update: U is not an integer/);
    expect(() => asDepthUpdate({ ...depth, b: [['1e5', '1']] })).toThrow(/malformed depth update/);
    expect(() => asDepthUpdate({ ...depth, a: [['100', -1]] })).toThrow(/malformed depth update/);
    expect(() => asDepthUpdate(null)).toThrow(/not an object/);
  });

  it('normalizes an aggregated trade: the maker side tells the taker side; fills are counted', () => {
    const events: MarketEvent[] = [];
    const problems: unknown[] = [];
    const processor = new BinanceFeedProcessor('BTCUSDT', BINANCE_MARKETS.binance, false, {
      publish: (e) => events.push(e),
      problem: (e) => problems.push(e),
      bookBroken: () => undefined,
      awaitingSnapshot: () => undefined,
      sequenceReset: () => undefined,
      bookAlive: () => undefined,
    });
    const trade = { e: 'aggTrade', E: 10, s: 'BTCUSDT', a: 7, p: '64000.10', q: '0.5', f: 100, l: 102, T: 9, m: true, M: true };
    processor.handleFrame(JSON.stringify({ stream: 'btcusdt@aggTrade', data: trade }), 11);
    processor.handleFrame(JSON.stringify({ stream: 'btcusdt@aggTrade', data: { ...trade, m: false, p: 'NaN' } }), 12);
    processor.handleFrame('{"stream":"btcusdt@aggTrade","data":', 13);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'trade', side: 'sell', priceStr: '64000.10', sizeStr: '0.5', fills: 3, exchangeTs: 9, tradeId: '7' }),
    ]);
    expect(problems.map(String)).toEqual([expect.stringMatching(/malformed trade: p is not a decimal/), expect.stringMatching(/not JSON/)]);
  });
});

describe('Binance REST', () => {
  it('lists instruments from exchangeInfo in our vocabulary: tick and lot sizes, perpetuals with their contract', async () => {
    sim = await BinanceSimulator.start();
    const spot = new BinanceInstruments(BINANCE_MARKETS.binance, binanceDescriptor.rules, sim.restUrl);
    const perps = new BinanceInstruments(BINANCE_MARKETS['binance-futures'], binanceFuturesDescriptor.rules, sim.restUrl);
    disposables.push(spot, perps);
    await Promise.all([spot.refresh(), perps.refresh()]);
    expect(spot.loaded && perps.loaded).toBe(true);
    expect(spot.check('btc/usdt')).toEqual({
      ok: true,
      instrument: { exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', kind: 'spot', tickSize: '0.01', lotSize: '0.00001', live: true },
    });
    expect(perps.check('BTCUSDT')).toEqual({
      ok: true,
      instrument: expect.objectContaining({
        exchange: 'binance-futures',
        kind: 'perpetual',
        tickSize: '0.1',
        lotSize: '0.001',
        contractSize: '1',
        contractUnit: 'BTC',
      }) as unknown,
    });
    expect(spot.check('DOGEBTC')).toEqual({ ok: false, reason: expect.stringMatching(/DOGEBTC/) as unknown });
    expect(spot.search('eth').map((i) => i.symbol)).toContain('ETHUSDT');
  });

  it('falls back to the symbol pattern when Binance cannot be reached, and says why', async () => {
    const offline = new BinanceInstruments(BINANCE_MARKETS.binance, binanceDescriptor.rules, 'http://127.0.0.1:9');
    disposables.push(offline);
    await offline.refresh();
    expect(offline.loaded).toBe(false);
    expect(offline.error).toMatch(/Binance REST/);
    expect(offline.check('BTCUSDT')).toEqual({ ok: true, instrument: undefined });
    expect(offline.check('BTC USDT!')).toEqual({ ok: false, reason: expect.stringMatching(/look like BTCUSDT/) as unknown });
  });

  it('fills charts from klines: every UI timeframe, oldest first, only the last one still forming', async () => {
    sim = await BinanceSimulator.start();
    for (const market of [BINANCE_MARKETS.binance, BINANCE_MARKETS['binance-futures']]) {
      const history = new BinanceHistory(market, sim.restUrl);
      disposables.push(history);
      for (const timeframe of UI_TIMEFRAMES) {
        const candles = await history.candles('BTCUSDT', timeframe, 50);
        expect(candles, `${market.id} ${timeframe}`).toHaveLength(50);
        expect(candles.every((c, i) => i === 0 || c.openTime > (candles[i - 1]?.openTime ?? 0))).toBe(true);
        expect(candles.filter((c) => !c.closed)).toHaveLength(1);
        expect(candles.at(-1)?.closed).toBe(false);
        expect(candles[0]).toMatchObject({ exchange: market.id, symbol: 'BTCUSDT', timeframe });
      }
    }
  });
});
