// Nothing lost, nothing crashed: concurrent commands against one host leave valid files that
// reflect the last command, a full disk (a real ENOSPC from /dev/full) stops what it must with
// a clear notice, and a damaged watchlist never blocks the start.
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileOpeners } from '../../../app/core/atomic-file.js';
import { HostError, MarketHost } from '../../../app/host/market-host.js';
import type { SessionMeta } from '../../../app/recording/format.js';
import { waitFor } from '../../support/loopback-server.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let sim: OkxSimulator;
let host: MarketHost;
let dataDir: string;
const openers = { ...fileOpeners };

async function startHost(watchlist: string = JSON.stringify({ version: 1, entries: [] })): Promise<void> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-safety-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), watchlist);
  host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  await host.start();
}

async function json(file: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(dataDir, file), 'utf8')) as unknown;
}

/** Every temporary file left anywhere in the data folder. */
async function leftovers(): Promise<string[]> {
  const files = await readdir(dataDir, { recursive: true });
  return files.filter((f) => /\.(tmp|partial)$/.test(f));
}

async function recordedSession(name: string): Promise<string> {
  await host.recordings.start(name);
  await waitFor(() => (host.recordings.state().active?.counts.events ?? 0) > 20, 'some recorded events');
  return (await host.recordings.stop()).id;
}

beforeEach(async () => {
  sim = await OkxSimulator.start({ tickMs: 25 });
});

afterEach(async () => {
  Object.assign(fileOpeners, openers);
  await host.close();
  await sim.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('concurrent commands', () => {
  it('two simultaneous adds of one symbol: exactly one succeeds, the other is told it is already there, nothing gets stuck', async () => {
    await startHost();
    const results = await Promise.allSettled([host.addSymbol('okx', 'BTC-USDT', ['orderbook']), host.addSymbol('okx', 'btc-usdt', ['orderbook'])]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(HostError);
    expect(refused?.status === 'rejected' && (refused.reason as Error).message).toBe('BTC-USDT is already in the watchlist.');
    await waitFor(() => [...host.feeds()][0]?.collector.getBook() !== undefined, 'a valid book');
    await host.removeSymbol('okx:BTC-USDT');
    await host.addSymbol('okx', 'BTC-USDT', ['orderbook']);
    await waitFor(() => [...host.feeds()][0]?.collector.getBook() !== undefined, 'a valid book after re-adding');
  });

  it('20 simultaneous removes and adds leave a valid watchlist.json holding exactly what is left', async () => {
    await startHost();
    const symbols = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'DOGE-USDT', 'TON-USDT', 'XRP-USDT', 'ADA-USDT', 'LTC-USDT', 'BTC-USDT-SWAP', 'ETH-USDT-SWAP'];
    for (const symbol of symbols) await host.addSymbol('okx', symbol, ['ticker']);
    const commands: Promise<unknown>[] = [];
    for (const symbol of symbols.slice(0, 9)) commands.push(host.removeSymbol(`okx:${symbol}`));
    for (const symbol of symbols.slice(0, 9)) commands.push(host.addSymbol('okx', symbol, ['trade']).catch(() => undefined));
    for (const symbol of symbols.slice(0, 2)) commands.push(host.removeSymbol(`okx:${symbol}`).catch(() => undefined));
    await Promise.all(commands);
    const saved = (await json('watchlist.json')) as { entries: { symbol: string }[] };
    expect(saved.entries.map((e) => e.symbol).sort()).toEqual(
      host
        .watchlist()
        .map((w) => w.symbol)
        .sort(),
    );
    expect(await leftovers()).toEqual([]);
  });

  it('20 simultaneous limit changes: settings.json is valid and holds the last', async () => {
    await startHost();
    const limits = Array.from({ length: 20 }, (_, i) => (i + 1) * 1024 ** 3);
    await Promise.all(limits.map((bytes) => host.recordings.setLimit(bytes)));
    expect(await json('settings.json')).toEqual({ recordingLimitBytes: 20 * 1024 ** 3 });
    expect(host.recordings.state().limitBytes).toBe(20 * 1024 ** 3);
    expect(await leftovers()).toEqual([]);
  });

  it('20 simultaneous renames of a session: session.json is valid and holds the last name', async () => {
    await startHost();
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'ticker']);
    const id = await recordedSession('first');
    await Promise.all(Array.from({ length: 20 }, (_, i) => host.recordings.rename(id, `name ${i + 1}`)));
    expect(((await json(`sessions/${id}/session.json`)) as { name: string }).name).toBe('name 20');
    expect((await host.recordings.list()).map((s) => s.name)).toEqual(['name 20']);
    expect(await leftovers()).toEqual([]);
  });

  it('renaming a session while it records sticks', async () => {
    await startHost();
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'ticker']);
    const started = await host.recordings.start('old name');
    await host.recordings.rename(started.id, 'new name');
    expect(host.recordings.state().active?.name).toBe('new name');
    const stopped = await host.recordings.stop();
    expect(stopped.name).toBe('new name');
    expect(((await json(`sessions/${started.id}/session.json`)) as { name: string }).name).toBe('new name');
  });

  it('two exports of the same session, table and format at the same time both succeed', async () => {
    await startHost();
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'ticker']);
    await waitFor(() => [...host.feeds()][0]?.tradeSeq !== 0, 'a trade');
    const id = await recordedSession('twice');
    const [a, b] = await Promise.all([
      host.recordings.export(id, { table: 'trades', format: 'csv' }),
      host.recordings.export(id, { table: 'trades', format: 'csv' }),
    ]);
    expect(a.rows).toBeGreaterThan(0);
    expect(b.rows).toBe(a.rows);
    expect(a.path).toBe(b.path);
    expect((await readFile(a.path, 'utf8')).split('\n').filter((l) => l !== '')).toHaveLength(a.rows + 1);
    expect(await leftovers()).toEqual([]);
  });
});

describe('a full disk', () => {
  /** Every new temporary file and every recording segment writes to /dev/full from now on. */
  function fillTheDisk(): void {
    fileOpeners.temporary = async (temporary) => {
      await (await open(temporary, 'wx')).close();
      return open('/dev/full', 'a');
    };
    fileOpeners.append = () => open('/dev/full', 'a');
  }

  it('stops recording with a warning the UI shows, keeps honest counts, lets stop work, leaves no temporary file', async () => {
    await startHost();
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook', 'ticker']);
    fileOpeners.append = () => open('/dev/full', 'a');
    const started = await host.recordings.start('doomed');
    let stopped: SessionMeta | undefined;
    let asked = false;
    host.recordings.on('recording', () => {
      // The moment the failure stops the recording, a stop from the trader gets its result.
      if (asked || host.recordings.state().active !== null) return;
      asked = true;
      void host.recordings.stop().then((meta) => (stopped = meta));
    });
    await waitFor(() => stopped !== undefined, 'recording stopped by the failure');
    expect(stopped?.id).toBe(started.id);
    expect(stopped?.state).toBe('complete');
    const state = host.recordings.state();
    expect(state.warning).toMatch(
      /^Recording stopped: the disk is full \(ENOSPC\)\. [\d,]+ records? (was|were) not written; everything before them is kept\.$/,
    );
    expect(host.notices().map((n) => [n.level, n.message])).toContainEqual(['error', state.warning]);
    const meta = (await host.recordings.list()).find((s) => s.id === started.id);
    expect(meta?.state).toBe('complete');
    expect(meta?.counts.dropped).toBeGreaterThan(0);
    // Nothing reached the disk, so nothing counts as recorded.
    expect(meta?.counts.records).toBe(0);
    await expect(host.recordings.stop()).rejects.toThrow('Nothing is being recorded.');
    expect(await leftovers()).toEqual([]);
  });

  it('keeps the app running: a watchlist change is in effect and the failure to save it is a notice; settings say why', async () => {
    await startHost();
    fillTheDisk();
    const added = await host.addSymbol('okx', 'ETH-USDT', ['ticker']);
    expect(added.id).toBe('okx:ETH-USDT');
    expect(host.notices().map((n) => n.message)).toContain(
      'Could not save watchlist.json: the disk is full (ENOSPC). The watchlist change is in effect but not saved yet.',
    );
    await expect(host.recordings.setLimit(5 * 1024 ** 3)).rejects.toThrow(
      'Could not save settings.json: the disk is full (ENOSPC). The new limit applies until the app closes.',
    );
    await expect(host.recordings.start('nope')).rejects.toThrow(/the disk is full \(ENOSPC\)/);
    expect(await leftovers()).toEqual([]);
    // Room again: the next save holds the whole current list.
    Object.assign(fileOpeners, openers);
    await host.addSymbol('okx', 'SOL-USDT', ['ticker']);
    expect(((await json('watchlist.json')) as { entries: { symbol: string }[] }).entries.map((e) => e.symbol)).toEqual(['ETH-USDT', 'SOL-USDT']);
  });
});

describe('a damaged watchlist', () => {
  it('never blocks the start: good entries load, each problem is one notice, the original is kept aside', async () => {
    const original = JSON.stringify({
      version: 1,
      entries: [
        { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['ticker'] },
        { exchange: 'okx', symbol: 'BTC-USDT', dataTypes: ['trade'] },
        { exchange: 'krakenish', symbol: 'XBT-USD', dataTypes: ['trade'] },
        { exchange: 'okx', symbol: 42 },
        { exchange: 'okx', symbol: 'ETH-USDT', dataTypes: ['ticker'] },
      ],
    });
    await startHost(original);
    expect(host.watchlist().map((w) => w.id)).toEqual(['okx:BTC-USDT', 'okx:ETH-USDT']);
    const messages = host.notices().map((n) => n.message);
    expect(messages).toHaveLength(4);
    expect(messages[1]).toMatch(/^watchlist entry 3 \(krakenish XBT-USD\) was left out: Exchange "krakenish" is not supported/);
    const aside = (await readdir(dataDir)).find((f) => f.startsWith('watchlist.json.damaged-'));
    expect(await readFile(path.join(dataDir, aside ?? ''), 'utf8')).toBe(original);
    await waitFor(() => host.statuses().every((s) => s.status === 'running'), 'both collectors running');
  });
});
