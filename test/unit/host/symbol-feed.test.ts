import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BaseDataCollector } from '../../../app/core/base-collector.js';
import type { Candle } from '../../../app/core/types.js';
import { CANDLE_HISTORY, SymbolFeed } from '../../../app/host/symbol-feed.js';

function candle(openTime: number, close: number, closed = false, timeframe = '1m'): Candle {
  const s = String(close);
  return {
    kind: 'candle',
    exchange: 'okx',
    symbol: 'BTC-USDT',
    exchangeTs: openTime,
    receivedAt: openTime,
    timeframe,
    openTime,
    open: close,
    openStr: s,
    high: close,
    highStr: s,
    low: close,
    lowStr: s,
    close,
    closeStr: s,
    volume: 1,
    volumeStr: '1',
    closed,
  };
}

function feedWith(): { feed: SymbolFeed; push: (c: Candle) => void } {
  const collector = new EventEmitter();
  const feed = new SymbolFeed(collector as unknown as BaseDataCollector);
  return { feed, push: (c) => collector.emit('data', c) };
}

const forming = (list: readonly Candle[]): number => list.filter((c) => !c.closed).length;

describe('SymbolFeed candles', () => {
  it('closes a candle when a later one of the same timeframe begins, so exactly one is forming', () => {
    const { feed, push } = feedWith();
    for (let minute = 0; minute < 5; minute += 1) {
      push(candle(minute * 60_000, 100 + minute));
      push(candle(minute * 60_000, 101 + minute)); // an update of the same candle
    }
    const list = feed.candleHistory('1m');
    expect(list.map((c) => c.openTime)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    expect(list.map((c) => c.closed)).toEqual([true, true, true, true, false]);
    expect(list.map((c) => c.close)).toEqual([101, 102, 103, 104, 105]);
  });

  it('takes the exchange’s final row of a candle that arrives after the next one began', () => {
    const { feed, push } = feedWith();
    push(candle(0, 100));
    push(candle(60_000, 200));
    push(candle(0, 150, true)); // OKX confirm "1", late
    const list = feed.candleHistory('1m');
    expect(list.map((c) => [c.openTime, c.close, c.closed])).toEqual([
      [0, 150, true],
      [60_000, 200, false],
    ]);
    // A late row claiming an old candle still forms cannot reopen it.
    push(candle(0, 160, false));
    expect(feed.candleHistory('1m')[0]).toMatchObject({ close: 160, closed: true });
    expect(forming(feed.candleHistory('1m'))).toBe(1);
  });

  it('keeps a confirmed newest candle closed and timeframes apart', () => {
    const { feed, push } = feedWith();
    push(candle(0, 1, false, '5m'));
    push(candle(0, 1, true, '1m'));
    expect(feed.candleHistory('1m')[0]?.closed).toBe(true);
    expect(feed.candleHistory('5m')[0]?.closed).toBe(false);
  });

  it('stays bounded', () => {
    const { feed, push } = feedWith();
    for (let i = 0; i < CANDLE_HISTORY + 50; i += 1) push(candle(i * 60_000, i));
    const list = feed.candleHistory('1m');
    expect(list).toHaveLength(CANDLE_HISTORY);
    expect(forming(list)).toBe(1);
    expect(list.at(-1)?.openTime).toBe((CANDLE_HISTORY + 49) * 60_000);
  });
});
