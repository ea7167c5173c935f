import { describe, expect, it } from 'vitest';
import {
  bookHealthText,
  changePercent,
  collectorHealthText,
  decimalsOf,
  describeBook,
  formatDuration,
  formatFixed,
  groupLevels,
  tapeRows,
} from '../../../renderer/src/lib/format.js';

describe('renderer formatting', () => {
  it('derives decimals from tick sizes', () => {
    expect([decimalsOf('0.1'), decimalsOf('0.00001'), decimalsOf('1'), decimalsOf('0.010'), decimalsOf('1e-8'), decimalsOf(undefined)]).toEqual([
      1, 5, 0, 2, 8, 2,
    ]);
  });

  it('formats fixed decimals with grouping and a dash for missing values', () => {
    expect(formatFixed(64012.5, 1)).toBe('64,012.5');
    expect(formatFixed(0.12, 5)).toBe('0.12000');
    expect(formatFixed(undefined, 2)).toBe('—');
  });

  it('formats durations for the health panel', () => {
    expect([formatDuration(250), formatDuration(5_400), formatDuration(125_000), formatDuration(3_700_000), formatDuration(null)]).toEqual([
      '250 ms',
      '5 s',
      '2m 5s',
      '1h 1m',
      '—',
    ]);
  });

  it('computes the 24h change', () => {
    expect(changePercent(110, 100)).toBeCloseTo(10);
    expect(changePercent(110, undefined)).toBeUndefined();
  });

  it('groups bids down and asks up into tick multiples with running totals', () => {
    const bids = [
      ['100.3', '1'],
      ['100.1', '2'],
      ['99.9', '3'],
      ['99.5', '4'],
    ] as const;
    expect(groupLevels(bids, 'bid', 0.5, 10)).toEqual([
      { price: 100, size: 3, total: 3 },
      { price: 99.5, size: 7, total: 10 },
    ]);
    const asks = [
      ['100.1', '1'],
      ['100.4', '2'],
      ['100.6', '3'],
    ] as const;
    expect(groupLevels(asks, 'ask', 0.5, 10)).toEqual([
      { price: 100.5, size: 3, total: 3 },
      { price: 101, size: 3, total: 6 },
    ]);
    expect(groupLevels(bids, 'bid', 0.1, 2).map((r) => r.price)).toEqual([100.3, 100.1]);
  });

  it('merges same-millisecond same-side prints, newest first, and filters by size', () => {
    const t = (id: string, side: 'buy' | 'sell', size: string, ts: number) => ({ tradeId: id, side, price: '10', size, ts, fills: 1 });
    const rows = tapeRows([t('1', 'buy', '1', 5), t('2', 'sell', '0.1', 6), t('3', 'sell', '0.2', 6), t('4', 'buy', '3', 7)], 0, 10);
    expect(rows.map((r) => [r.key, r.side, r.size, r.prints])).toEqual([
      ['4', 'buy', 3, 1],
      ['3', 'sell', expect.closeTo(0.3, 9) as unknown, 2],
      ['1', 'buy', 1, 1],
    ]);
    expect(tapeRows([t('1', 'buy', '1', 5), t('2', 'buy', '0.1', 6)], 0.5, 10).map((r) => r.key)).toEqual(['1']);
  });

  it('filters every kept trade by size, not only the newest rows', () => {
    const t = (i: number, size: string) => ({ tradeId: String(i), side: 'buy' as const, price: '10', size, ts: i, fills: 1 });
    // 490 small prints after 10 big ones: the big ones are far beyond the newest 60 rows.
    const trades = [...Array.from({ length: 10 }, (_, i) => t(i, '5')), ...Array.from({ length: 490 }, (_, i) => t(100 + i, '0.01'))];
    const rows = tapeRows(trades, 1, 60);
    expect(rows.map((r) => r.key)).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
    expect(tapeRows(trades, 0, 60)).toHaveLength(60);
  });
});

describe('book and collector health in words', () => {
  const recovery = {
    step: 'resubscribe' as const,
    escalations: 1,
    since: 1_000,
    deadline: 31_000,
    reason: 'stale: order book unchanged for 5.0 s while trades print',
  };

  it('never calls a book that is not valid live, and says why and what is done', () => {
    expect(describeBook({ state: 'valid', lastChangeAt: 5, recovery: null }, 10)).toEqual({ live: true, label: 'live' });
    expect(describeBook({ state: 'stale', lastChangeAt: 0, recovery }, 13_000)).toEqual({
      live: false,
      label: 'STALE — last change 13 s ago · resubscribing (escalation 1) · not valid for 12 s',
    });
    expect(describeBook({ state: 'syncing', lastChangeAt: null, recovery: { ...recovery, step: 'waiting', escalations: 0 } }, 3_000).label).toBe(
      'Order book resynchronizing — not live · waiting for a snapshot · not valid for 2 s',
    );
    expect(describeBook({ state: 'stopped', lastChangeAt: 0, recovery: null }, 1).label).toBe('Feed stopped — not live');
    expect(describeBook(undefined, 1).live).toBe(false);
  });

  it('writes the health panel’s book and status columns', () => {
    expect(bookHealthText({ state: 'valid', lastChangeAt: 1, recovery: null }, 2)).toBe('valid');
    expect(bookHealthText({ state: 'stale', lastChangeAt: 0, recovery: { ...recovery, step: 'resync', escalations: 0 } }, 12_000)).toBe(
      'stale 12 s · resyncing 11 s',
    );
    expect(bookHealthText({ state: 'invalid', lastChangeAt: 0, recovery: { ...recovery, step: 'reconnect', escalations: 2 } }, 46_000)).toBe(
      'invalid · reconnecting (escalation 2) 45 s',
    );
    expect(collectorHealthText({ status: 'stale', staleStreams: ['orderbook', 'candles:1m'], autoRestart: null }, 0)).toBe('stale · stale: book, 1m candles');
    expect(collectorHealthText({ status: 'error', staleStreams: [], autoRestart: { attempts: 10, nextAt: 70_000, everyMs: 60_000 } }, 10_000)).toBe(
      'error · retrying every 1m 0s',
    );
    expect(collectorHealthText({ status: 'error', staleStreams: [], autoRestart: { attempts: 2, nextAt: 14_000, everyMs: null } }, 10_000)).toBe(
      'error · retry 3 in 4 s',
    );
  });
});

describe('numbers a trader reads', () => {
  it('writes spreads with basis points to two decimals and sizes with the lot decimals', async () => {
    const { formatSize, formatSpread, sizeUnitLabel } = await import('../../../renderer/src/lib/format.js');
    expect(formatSpread(64000, 64000.2, 1)).toBe('0.2 (0.03 bp)');
    expect(formatSpread(0.12, 0.12001, 5)).toBe('0.00001 (0.83 bp)');
    expect([formatSize(0.0175, '0.000001'), formatSize(2, '0.000001'), formatSize(1234.5, '0.01')]).toEqual(['0.017500', '2.000000', '1,234.50']);
    expect(formatSize(0.5, '0.00000001')).toBe('0.500000');
    expect(formatSize(12, '1')).toBe('12');
    expect(formatSize(12_345_678, '1')).toBe('12.35M');
    expect(sizeUnitLabel({ sizeUnit: 'BTC' }).short).toBe('BTC');
    expect(sizeUnitLabel({ sizeUnit: 'cont', contractValue: '0.01', contractUnit: 'BTC' })).toEqual({
      short: 'cont',
      title: 'Sizes in contracts (1 contract = 0.01 BTC)',
    });
  });
});

describe('streamFreshness', () => {
  it('shows values as live only while the feed runs and the stream is not stale, with the age otherwise', async () => {
    const { streamFreshness } = await import('../../../renderer/src/lib/format.js');
    const status = (state: string, stream: 'live' | 'stale' = 'live') => ({
      status: state,
      lastMessageAt: 1_000,
      streams: { trade: { state: stream, lastMessageAt: 1_000 } },
    });
    expect(streamFreshness(status('running'), 'trade', 5_000)).toEqual({ live: true, label: undefined });
    expect(streamFreshness(status('stopped'), 'trade', 41_000)).toEqual({ live: false, label: 'stopped 40 s ago' });
    expect(streamFreshness(status('running', 'stale'), 'trade', 13_000)).toEqual({ live: false, label: 'stale — last 12 s ago' });
    expect(streamFreshness(status('reconnecting'), 'trade', 3_000).label).toBe('reconnecting — last data 2 s ago');
    expect(streamFreshness(undefined, 'trade', 0).live).toBe(false);
  });
});
