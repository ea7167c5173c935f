// The whole path when a node dies: two collector node processes and a host (which cannot reach
// the exchange itself) on a real nats-server. The node feeding the host's symbol is killed with
// kill -9; the host never shows the book as live meanwhile, says the node went silent, and once
// the other node takes the feed over it says so, resyncs the book from that node and is valid
// again: no gap left unreported.

import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarketHost } from '../../../app/host/market-host.js';
import { waitFor } from '../../support/loopback-server.js';
import { NatsServer } from '../../support/nats-server.js';
import { killAll, startNodeProcess } from '../../support/node-process.js';
import { OkxSimulator } from '../../sim/okx/server.js';

let server: NatsServer;
let sim: OkxSimulator;
let dataDir: string;
let host: MarketHost;
const nodes: ChildProcess[] = [];

beforeEach(async () => {
  server = await NatsServer.start();
  sim = await OkxSimulator.start({ tickMs: 20 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-takeover-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
  host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' } }, nats: { servers: [server.url] } });
  await host.start();
});

afterEach(async () => {
  killAll(nodes);
  await host.close();
  await sim.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a node killed under a host’s feed', () => {
  it('is reported: silent node, book not live, takeover named, book resynced from the new node', { timeout: 120_000 }, async () => {
    const env = { TICKER_DECK_OKX_WS_URL: sim.wsUrl, TICKER_DECK_OKX_REST_URL: sim.restUrl };
    const byName = new Map<string, ChildProcess>();
    for (const name of ['n1', 'n2']) {
      const child = await startNodeProcess(name, server.url, env);
      nodes.push(child);
      byName.set(name, child);
    }
    await host.addSymbol('okx', 'BTC-USDT', ['trade', 'orderbook'], 'nats');
    const status = () => host.statuses().find((s) => s.id === 'okx:BTC-USDT');
    await waitFor(() => status()?.book?.state === 'valid' && status()?.viaHealth === 'running', 'a valid book through a node');
    const first = status()?.via ?? '';
    const survivor = first === 'n1' ? 'n2' : 'n1';
    const resyncsBefore = status()?.resyncs ?? 0;

    byName.get(first)?.kill('SIGKILL');
    // While nobody publishes it: the node is said to be silent and the book is not shown as live.
    await waitFor(() => status()?.viaHealth === 'silent' && status()?.status === 'stale', 'the node said to be silent, the feed stale');
    expect(status()?.via).toBe(first);
    await waitFor(() => status()?.errors.some((e) => e.message.includes(`node ${first} went silent`)) === true, 'the silence said');

    // The other node takes it over within the lease time; the host names it and resyncs from it.
    await waitFor(
      () => status()?.via === survivor && status()?.book?.state === 'valid' && status()?.viaHealth === 'running',
      'the feed through the other node',
    );
    expect(status()?.status).toBe('running');
    expect(status()?.resyncs ?? 0).toBeGreaterThan(resyncsBefore);
    expect(
      status()
        ?.errors.map((e) => e.message)
        .join('\n'),
    ).toContain(`node ${survivor} took the feed over from ${first}`);
  });
});
