import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WATCHLIST, WatchlistStore } from '../../../app/host/watchlist-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-watchlist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WatchlistStore', () => {
  it('starts with OKX BTC-USDT and all four data types', async () => {
    expect(await new WatchlistStore(dir).load()).toEqual([{ exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade', 'orderbook', 'ticker', 'candles'] }]);
    expect(DEFAULT_WATCHLIST).toHaveLength(1);
  });

  it('saves and restores', async () => {
    const store = new WatchlistStore(dir);
    const entries = [{ exchange: 'okx', symbol: 'ETH-USDT', dataTypes: ['trade' as const] }];
    await store.save(entries);
    expect(await new WatchlistStore(dir).load()).toEqual(entries);
    expect(await readdir(dir)).toEqual(['watchlist.json']);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['wrong shape', JSON.stringify({ version: 1, entries: [{ exchange: 'okx', symbol: '', dataTypes: ['trade'] }] })],
    ['unknown data type', JSON.stringify({ version: 1, entries: [{ exchange: 'okx', symbol: 'X', dataTypes: ['funding'] }] })],
  ])('keeps a damaged file (%s) aside and falls back to the default', async (_name, content) => {
    await writeFile(path.join(dir, 'watchlist.json'), content);
    expect(await new WatchlistStore(dir).load()).toEqual(DEFAULT_WATCHLIST);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^watchlist\.json\.damaged-\d+$/);
    expect(await readFile(path.join(dir, files[0] ?? ''), 'utf8')).toBe(content);
  });
});
