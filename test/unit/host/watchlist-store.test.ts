import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHLIST, WatchlistStore, type EntryCheck } from '../../../app/host/watchlist-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-watchlist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (): string => path.join(dir, 'watchlist.json');
const saved = async (): Promise<unknown> => JSON.parse(await readFile(file(), 'utf8')) as unknown;
const okxOnly: EntryCheck = (entry) =>
  entry.exchange === 'okx'
    ? { id: `okx:${entry.symbol.toUpperCase()}`, entry: { ...entry, symbol: entry.symbol.toUpperCase() } }
    : { problem: `exchange "${entry.exchange}" is not supported` };

describe('WatchlistStore', () => {
  it('starts with BTC on every venue and all four data types', async () => {
    const all = ['trade', 'orderbook', 'ticker', 'candles'];
    expect(await new WatchlistStore(dir).load()).toEqual({
      entries: [
        { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: all },
        { exchange: 'binance', symbol: 'BTCUSDT', dataTypes: all },
        { exchange: 'binance-futures', symbol: 'BTCUSDT', dataTypes: all },
        { exchange: 'bybit', symbol: 'BTCUSDT', dataTypes: all },
        { exchange: 'bybit-spot', symbol: 'BTCUSDT', dataTypes: all },
        { exchange: 'coinbase', symbol: 'BTC-USD', dataTypes: all },
        { exchange: 'kraken', symbol: 'BTC/USD', dataTypes: all },
      ],
      problems: [],
      keptAs: null,
    });
    expect(DEFAULT_WATCHLIST).toHaveLength(7);
  });

  it('saves and restores, leaving no temporary file', async () => {
    const store = new WatchlistStore(dir);
    const entries = [{ exchange: 'okx', symbol: 'ETH-USDT', dataTypes: ['trade' as const] }];
    await store.save(entries);
    expect((await new WatchlistStore(dir).load()).entries).toEqual(entries);
    expect(await readdir(dir)).toEqual(['watchlist.json']);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['an unknown layout', JSON.stringify({ version: 2, list: [] })],
  ])('keeps a file that is %s aside and starts from the default', async (_name, content) => {
    await writeFile(file(), content);
    const loaded = await new WatchlistStore(dir).load();
    expect(loaded.entries).toEqual(DEFAULT_WATCHLIST);
    expect(loaded.problems[0]).toMatch(/the default list is used instead$/);
    const aside = (await readdir(dir)).filter((f) => f !== 'watchlist.json');
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^watchlist\.json\.damaged-/);
    expect(await readFile(path.join(dir, aside[0] ?? ''), 'utf8')).toBe(content);
    expect(await saved()).toEqual({ version: 1, entries: DEFAULT_WATCHLIST });
  });

  it('keeps every good entry of a file with duplicates, unknown exchanges and unreadable entries, and reports each once', async () => {
    const content = JSON.stringify({
      version: 1,
      entries: [
        { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] },
        { exchange: 'okx', symbol: 'btc-usdt', dataTypes: ['orderbook'] },
        { exchange: 'nowhere', symbol: 'AAA-BBB', dataTypes: ['trade'] },
        { exchange: 'okx', symbol: '', dataTypes: ['trade'] },
        'garbage',
        { exchange: 'okx', symbol: 'ETH-USDT', dataTypes: ['funding'] },
        { exchange: 'okx', symbol: 'SOL-USDT', dataTypes: ['ticker'] },
      ],
    });
    await writeFile(file(), content);
    const loaded = await new WatchlistStore(dir).load(okxOnly);
    expect(loaded.entries).toEqual([
      { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] },
      { exchange: 'okx', symbol: 'SOL-USDT', dataTypes: ['ticker'] },
    ]);
    expect(loaded.problems).toHaveLength(6);
    expect(loaded.problems[0]).toBe('watchlist entry 2 (okx:BTC-USDT) repeats an earlier entry and was left out');
    expect(loaded.problems[1]).toBe('watchlist entry 3 (nowhere AAA-BBB) was left out: exchange "nowhere" is not supported');
    expect(loaded.problems[2]).toMatch(/^watchlist entry 4 is unreadable \(symbol: .*\) and was left out$/);
    expect(loaded.problems[5]).toMatch(/^the original file was kept as watchlist\.json\.damaged-/);
    expect(await readFile(loaded.keptAs ?? '', 'utf8')).toBe(content);
    expect(await saved()).toEqual({ version: 1, entries: loaded.entries });
    // Cleaned once: the next start finds nothing to report.
    expect((await new WatchlistStore(dir).load(okxOnly)).problems).toEqual([]);
  });

  it('never blocks the start when watchlist.json is a folder', async () => {
    await mkdir(file());
    const loaded = await new WatchlistStore(dir).load();
    expect(loaded.entries).toEqual(DEFAULT_WATCHLIST);
    expect(loaded.problems[0]).toBe('watchlist.json was not used: it is a folder, not a file; the default list is used instead');
    expect(await saved()).toEqual({ version: 1, entries: DEFAULT_WATCHLIST });
  });

  it('serializes concurrent saves: the file always parses and ends with the latest list', async () => {
    const store = new WatchlistStore(dir);
    let current: { exchange: string; symbol: string; dataTypes: 'trade'[] }[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20; i += 1) {
      current = [...current, { exchange: 'okx', symbol: `S${i}-USDT`, dataTypes: ['trade'] }];
      const snapshot = current;
      writes.push(store.save(() => snapshot));
      writes.push(
        readFile(file(), 'utf8').then(
          (text) => void JSON.parse(text),
          () => undefined,
        ),
      );
    }
    await Promise.all(writes);
    expect(((await saved()) as { entries: unknown[] }).entries).toHaveLength(20);
    expect(await readdir(dir)).toEqual(['watchlist.json']);
  });
});
