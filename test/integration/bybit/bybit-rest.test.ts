// Bybit's vocabulary, message checks, tickers, liveness policy and REST calls (instruments and
// klines) against the loopback simulator.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UI_TIMEFRAMES } from '../../../app/core/timeframes.js';
import type { MarketEvent } from '../../../app/core/types.js';
import { BYBIT_CODEC, isBybitPong } from '../../../app/exchanges/bybit/connection.js';
import { bookLiveness, bybitDescriptor, bybitSpotDescriptor } from '../../../app/exchanges/bybit/descriptor.js';
import { bybitTopics, BybitFeedProcessor } from '../../../app/exchanges/bybit/feed-processor.js';
import { BybitHistory } from '../../../app/exchanges/bybit/history.js';
import { BybitInstruments } from '../../../app/exchanges/bybit/instruments.js';
import { BYBIT_MARKETS, intervalOf } from '../../../app/exchanges/bybit/markets.js';
import { BybitRestClient } from '../../../app/exchanges/bybit/rest.js';
import { RateLimitError, SubscriptionError } from '../../../app/core/errors.js';
import { BybitSimulator } from '../../sim/bybit/server.js';

let sim: BybitSimulator | undefined;
const disposables: { dispose(): void }[] = [];
const servers: http.Server[] = [];

afterEach(async () => {
  for (const d of disposables.splice(0)) d.dispose();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  await sim?.close();
  sim = undefined;
});

function processor(exchange: 'bybit' | 'bybit-spot', withBook = false) {
  const events: MarketEvent[] = [];
  const problems: string[] = [];
  const broken: string[] = [];
  const p = new BybitFeedProcessor('BTCUSDT', BYBIT_MARKETS[exchange], withBook, {
    publish: (e) => events.push(e),
    problem: (e) => problems.push(String(e)),
    bookBroken: (_kind, reason) => broken.push(reason),
    awaitingSnapshot: () => undefined,
    sequenceReset: () => undefined,
    bookAlive: () => undefined,
  });
  return { p, events, problems, broken };
}

describe('Bybit vocabulary and messages', () => {
  it('has an interval for every UI timeframe and spells topics as Bybit does', () => {
    for (const timeframe of UI_TIMEFRAMES) expect(intervalOf(timeframe), timeframe).toBeDefined();
    expect(intervalOf('1H')).toBe('60');
    expect(intervalOf('1D')).toBe('D');
    expect(bybitTopics('BTCUSDT', ['orderbook', 'trade', 'ticker', 'candles'], ['1m', '4H'], 50)).toEqual([
      'orderbook.50.BTCUSDT',
      'publicTrade.BTCUSDT',
      'tickers.BTCUSDT',
      'kline.1.BTCUSDT',
      'kline.240.BTCUSDT',
    ]);
    expect(bybitDescriptor.rules.normalizeSymbol(' btc-usdt ')).toBe('BTCUSDT');
    expect(bybitSpotDescriptor.rules.bookDepths).toEqual([50, 200, 1000]);
  });

  it('reads acks, refusals (by request id, or by the topic named) and both pong shapes', () => {
    expect(BYBIT_CODEC.encode('subscribe', ['publicTrade.BTCUSDT'], '7')).toBe('{"req_id":"7","op":"subscribe","args":["publicTrade.BTCUSDT"]}');
    expect(BYBIT_CODEC.classify('{"success":true,"ret_msg":"subscribe","conn_id":"c","req_id":"7","op":"subscribe"}')).toEqual({
      kind: 'ack',
      id: '7',
      op: 'subscribe',
    });
    const refused = BYBIT_CODEC.classify('{"success":false,"ret_msg":"Invalid symbol :[orderbook.50.FOOUSDT]","conn_id":"c","req_id":"8","op":"subscribe"}');
    expect(refused).toMatchObject({ kind: 'error', id: '8' });
    expect(refused.kind === 'error' && refused.error).toBeInstanceOf(SubscriptionError);
    const unnamed = BYBIT_CODEC.classify('{"success":false,"ret_msg":"Invalid symbol :[orderbook.50.FOOUSDT]","conn_id":"c","op":"subscribe"}');
    expect(unnamed.kind === 'error' && unnamed.names?.('orderbook.50.FOOUSDT')).toBe(true);
    expect(unnamed.kind === 'error' && unnamed.names?.('orderbook.50.BTCUSDT')).toBe(false);
    const throttled = BYBIT_CODEC.classify('{"success":false,"ret_msg":"Too many requests, please try again later","req_id":"9","op":"subscribe"}');
    expect(throttled.kind === 'error' && throttled.error).toBeInstanceOf(RateLimitError);
    // Asking twice is refused, yet the topic is subscribed.
    expect(BYBIT_CODEC.classify('{"success":false,"ret_msg":"error:already subscribed,topic:tickers.BTCUSDT","req_id":"10","op":"subscribe"}')).toMatchObject({
      kind: 'ack',
    });
    expect(isBybitPong('{"success":true,"ret_msg":"pong","conn_id":"c","req_id":"ping-1","op":"ping"}')).toBe(true);
    expect(isBybitPong('{"req_id":"ping-2","op":"pong","args":["1675418560633"],"conn_id":"c"}')).toBe(true);
    expect(isBybitPong('{"topic":"publicTrade.PONGUSDT","data":[]}')).toBe(false);
    expect(() => BYBIT_CODEC.classify('{"topic":')).toThrow(/not JSON/);
  });

  it('merges linear ticker deltas into the snapshot, and ignores deltas before one', () => {
    const { p, events } = processor('bybit');
    const delta = (data: object, ts: number) => JSON.stringify({ topic: 'tickers.BTCUSDT', type: 'delta', ts, cs: 1, data: { symbol: 'BTCUSDT', ...data } });
    p.handleFrame(delta({ bid1Price: '1' }, 1), 1);
    expect(events).toEqual([]);
    p.handleFrame(
      JSON.stringify({
        topic: 'tickers.BTCUSDT',
        type: 'snapshot',
        ts: 2,
        data: {
          symbol: 'BTCUSDT',
          lastPrice: '65000.5',
          prevPrice24h: '64000',
          highPrice24h: '66000',
          lowPrice24h: '63000',
          volume24h: '10',
          turnover24h: '650000',
          bid1Price: '65000.4',
          bid1Size: '1',
          ask1Price: '65000.5',
          ask1Size: '2',
        },
      }),
      2,
    );
    p.handleFrame(delta({ bid1Price: '65000.3', bid1Size: '3' }, 3), 3);
    expect(events.at(-1)).toMatchObject({
      kind: 'ticker',
      exchangeTs: 3,
      last: 65000.5,
      bidStr: '65000.3',
      bidSize: 3,
      askStr: '65000.5',
      open24h: 64000,
      quoteVolume24h: 650000,
    });
    expect(events).toHaveLength(2);
  });

  it('refuses malformed levels and trades: the book breaks and says why, the stream goes on', () => {
    const { p, events, problems, broken } = processor('bybit', true);
    const book = (type: string, u: number, b: unknown[][]) =>
      JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type, ts: 1, data: { s: 'BTCUSDT', b, a: [['2', '1']], u, seq: 1 } });
    p.handleFrame(book('snapshot', 5, [['1', '1']]), 1);
    expect(p.bookSync?.state).toBe('valid');
    p.handleFrame(book('delta', 6, [['1e3', '1']]), 2);
    expect(p.bookSync?.state).toBe('invalid');
    expect(broken).toEqual(['unreadable order book message']);
    p.handleFrame(
      JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: 3, data: [{ T: 3, s: 'BTCUSDT', S: 'Short', v: '1', p: '2', i: 'x' }] }),
      3,
    );
    p.handleFrame(
      JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: 4, data: [{ T: 4, s: 'BTCUSDT', S: 'Buy', v: '1', p: '2', i: 'y' }] }),
      4,
    );
    expect(problems).toEqual([
      expect.stringMatching(/malformed order book message: b holds a level/),
      expect.stringMatching(/malformed trade message: S is neither/),
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'trade', side: 'buy', tradeId: 'y', sizeStr: '1' });
  });

  it("judges a book's silence from Bybit's push cadence: 20 pushes at least, never under 3 s", () => {
    expect(bookLiveness(BYBIT_MARKETS.bybit, 50)).toEqual({ minStaleMs: 3000 });
    expect(bookLiveness(BYBIT_MARKETS.bybit, 1000)).toEqual({ minStaleMs: 4000 });
    expect(bookLiveness(BYBIT_MARKETS['bybit-spot'], 200)).toEqual({ minStaleMs: 4000 });
  });
});

describe('Bybit REST', () => {
  it('lists instruments in our vocabulary: perpetuals only on linear, lot sizes from qtyStep and basePrecision', async () => {
    sim = await BybitSimulator.start();
    const linear = new BybitInstruments(BYBIT_MARKETS.bybit, bybitDescriptor.rules, sim.restUrl);
    const spot = new BybitInstruments(BYBIT_MARKETS['bybit-spot'], bybitSpotDescriptor.rules, sim.restUrl);
    disposables.push(linear, spot);
    await Promise.all([linear.refresh(), spot.refresh()]);
    expect(linear.check('btc-usdt')).toEqual({
      ok: true,
      instrument: {
        exchange: 'bybit',
        symbol: 'BTCUSDT',
        base: 'BTC',
        quote: 'USDT',
        kind: 'perpetual',
        tickSize: '0.10',
        lotSize: '0.001',
        contractSize: '1',
        contractUnit: 'BTC',
        live: true,
      },
    });
    expect(spot.check('ETHUSDT')).toEqual({
      ok: true,
      instrument: {
        exchange: 'bybit-spot',
        symbol: 'ETHUSDT',
        base: 'ETH',
        quote: 'USDT',
        kind: 'spot',
        tickSize: '0.01',
        lotSize: '0.00001',
        contractSize: undefined,
        contractUnit: undefined,
        live: true,
      },
    });
    expect(linear.check('DOGEUSDT')).toEqual({ ok: false, reason: 'Bybit has no instrument DOGEUSDT' });
    expect(linear.search('sol').map((i) => i.symbol)).toEqual(['SOLUSDT']);
  });

  it('pages through instruments with the cursor and keeps only LinearPerpetual', async () => {
    const pages: Record<string, unknown> = {
      '': {
        list: [
          {
            symbol: 'BTCUSDT',
            contractType: 'LinearPerpetual',
            status: 'Trading',
            baseCoin: 'BTC',
            quoteCoin: 'USDT',
            priceFilter: { tickSize: '0.10' },
            lotSizeFilter: { qtyStep: '0.001' },
          },
        ],
        nextPageCursor: 'p2',
      },
      p2: {
        list: [
          {
            symbol: 'BTCUSDT-26DEC26',
            contractType: 'LinearFutures',
            status: 'Trading',
            baseCoin: 'BTC',
            quoteCoin: 'USDT',
            priceFilter: { tickSize: '0.50' },
            lotSizeFilter: { qtyStep: '0.001' },
          },
          {
            symbol: 'XYZUSDT',
            contractType: 'LinearPerpetual',
            status: 'PreLaunch',
            baseCoin: 'XYZ',
            quoteCoin: 'USDT',
            priceFilter: { tickSize: '0.0001' },
            lotSizeFilter: { qtyStep: '1' },
          },
        ],
        nextPageCursor: '',
      },
    };
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push(url.search);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ retCode: 0, retMsg: 'OK', result: { category: 'linear', ...(pages[url.searchParams.get('cursor') ?? ''] as object) } }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const catalog = new BybitInstruments(BYBIT_MARKETS.bybit, bybitDescriptor.rules, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    disposables.push(catalog);
    await catalog.refresh();
    expect(seen).toEqual(['?category=linear&limit=1000', '?category=linear&limit=1000&cursor=p2']);
    expect(catalog.check('BTCUSDT').ok).toBe(true);
    expect(catalog.check('BTCUSDT-26DEC26')).toMatchObject({ ok: false });
    expect(catalog.search('btc').map((i) => i.symbol)).toEqual(['BTCUSDT']);
    expect(catalog.check('XYZUSDT')).toEqual({ ok: false, reason: 'XYZUSDT is not trading on Bybit right now' });
  });

  it('fills charts from klines: every UI timeframe, oldest first, only the last one still forming', async () => {
    sim = await BybitSimulator.start();
    for (const market of [BYBIT_MARKETS.bybit, BYBIT_MARKETS['bybit-spot']]) {
      const history = new BybitHistory(market, sim.restUrl);
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

  it('says what Bybit refused (retCode and retMsg), and a rate limit as one', async () => {
    sim = await BybitSimulator.start();
    const rest = new BybitRestClient(BYBIT_MARKETS.bybit, sim.restUrl);
    disposables.push(rest);
    await expect(rest.klines('FOOUSDT', '1', 10)).rejects.toThrow('Bybit refused /v5/market/kline (10001): params error: symbol invalid');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ retCode: 10006, retMsg: 'Too many visits!', result: {} }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = new BybitRestClient(BYBIT_MARKETS.bybit, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    disposables.push(busy);
    await expect(busy.klines('BTCUSDT', '1', 10)).rejects.toBeInstanceOf(RateLimitError);
  });
});
