// The session player's pacing: a replay waiting for a record far ahead in recorded time stops at
// once when asked, and says it was stopped.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Trade } from '../../../app/core/types.js';
import { encodeLine, segmentName, type FeedInfo, type SessionMeta } from '../../../app/recording/format.js';
import { ReplayCollector, SessionPlayer } from '../../../app/recording/replay.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-player-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const feed: FeedInfo = { id: 'okx:BTC-USDT', exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'], raw: false };
const trade = (t: number, id: string): Trade => ({
  kind: 'trade',
  exchange: 'okx',
  symbol: 'BTC-USDT',
  exchangeTs: t,
  receivedAt: t,
  tradeId: id,
  side: 'buy',
  price: 100,
  priceStr: '100',
  size: 1,
  sizeStr: '1',
  fills: 1,
});

it('stops a 1x replay that is waiting an hour for its next record, at once', async () => {
  const start = 1_700_000_000_000;
  const hour = 3_600_000;
  await writeFile(
    path.join(dir, segmentName(1)),
    [trade(start, 'a'), trade(start + hour, 'b')].map((e) => encodeLine({ t: e.receivedAt, c: feed.id, k: 'ev', e })).join(''),
  );
  const meta: SessionMeta = {
    version: 1,
    id: 'paced',
    name: 'paced',
    startedAt: start,
    endedAt: start + hour,
    state: 'complete',
    pid: process.pid,
    feeds: [feed],
    counts: { records: 2, rawFrames: 0, events: 2, bytes: 0, dropped: 0 },
    limitReached: false,
    tornLines: 0,
  };
  const collector = new ReplayCollector(feed);
  const trades: string[] = [];
  const firstTrade = new Promise<void>((resolve) =>
    collector.on('data', (event) => {
      if (event.kind !== 'trade') return;
      trades.push(event.tradeId);
      resolve();
    }),
  );
  const player = new SessionPlayer(dir, meta, 1, new Map([[feed.id, collector]]));
  const finished = new Promise<{ records: number; stopped: boolean }>((resolve) => player.once('finished', resolve));
  player.start();
  await firstTrade;
  await player.stop();
  expect(await finished).toEqual({ records: 1, stopped: true });
  expect(trades).toEqual(['a']);
});
