// The world the browser tests run against: the loopback simulators of all five venues and serve
// mode (host + built UI) on fixed loopback ports, with a fresh data directory and an empty
// watchlist.
// The simulator's control endpoint (`POST /sim/fault`) lets tests break the exchange.

import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setLogLevel } from '../../app/core/logger.js';
import { MarketHost } from '../../app/host/market-host.js';
import { startServeServer } from '../../main/serve/server.js';
import { BinanceSimulator } from '../sim/binance/server.js';
import { BybitSimulator } from '../sim/bybit/server.js';
import { CoinbaseSimulator } from '../sim/coinbase/server.js';
import { KrakenSimulator } from '../sim/kraken/server.js';
import { OkxSimulator } from '../sim/okx/server.js';
import { NatsServer } from '../support/nats-server.js';
import { CollectorNode } from '../../app/cluster/collector-node.js';

export const E2E_PORT = Number(process.env['E2E_PORT'] ?? '18787');
export const SIM_PORT = Number(process.env['E2E_SIM_PORT'] ?? '18788');
/** A second host whose OKX cannot be reached (a machine without a network). */
export const OFFLINE_PORT = Number(process.env['E2E_OFFLINE_PORT'] ?? '18789');
export const BINANCE_SIM_PORT = Number(process.env['E2E_BINANCE_SIM_PORT'] ?? '18790');
export const BYBIT_SIM_PORT = Number(process.env['E2E_BYBIT_SIM_PORT'] ?? '18791');
export const COINBASE_SIM_PORT = Number(process.env['E2E_COINBASE_SIM_PORT'] ?? '18792');
export const KRAKEN_SIM_PORT = Number(process.env['E2E_KRAKEN_SIM_PORT'] ?? '18793');
/** A host on a cluster (a nats-server and one collector node) that cannot reach OKX itself. */
export const CLUSTER_PORT = Number(process.env['E2E_CLUSTER_PORT'] ?? '18794');

// The outage test provokes expected reconnect warnings; only errors belong in the test output.
if (process.env['TICKER_DECK_LOG_LEVEL'] === undefined) setLogLevel('error');
const root = path.resolve(import.meta.dirname, '../..');
const sim = await OkxSimulator.start({ port: SIM_PORT, tickMs: 50 });
const binance = await BinanceSimulator.start({ port: BINANCE_SIM_PORT, tickMs: 50 });
const bybit = await BybitSimulator.start({ port: BYBIT_SIM_PORT, tickMs: 50 });
const coinbase = await CoinbaseSimulator.start({ port: COINBASE_SIM_PORT, tickMs: 50 });
const kraken = await KrakenSimulator.start({ port: KRAKEN_SIM_PORT, tickMs: 50 });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-e2e-'));
await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
const host = new MarketHost({
  dataDir,
  exchangeParams: {
    okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl },
    binance: { wsUrl: binance.wsUrl('spot'), restUrl: binance.restUrl },
    'binance-futures': { wsUrl: binance.wsUrl('futures'), restUrl: binance.restUrl },
    bybit: { wsUrl: bybit.wsUrl, restUrl: bybit.restUrl },
    'bybit-spot': { wsUrl: bybit.wsUrl, restUrl: bybit.restUrl },
    coinbase: { wsUrl: coinbase.wsUrl, restUrl: coinbase.restUrl },
    kraken: { wsUrl: kraken.wsUrl, restUrl: kraken.restUrl },
  },
});
await host.start();
const server = await startServeServer({ host, staticDir: path.join(root, 'out/renderer'), port: E2E_PORT });
const offlineDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-e2e-offline-'));
await writeFile(path.join(offlineDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
// Port 9 refuses connections on loopback: like a first run with no network.
const unreachable = { wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9' };
const offlineHost = new MarketHost({
  dataDir: offlineDir,
  exchangeParams: {
    okx: { wsUrl: 'ws://127.0.0.1:9/ws/v5', restUrl: unreachable.restUrl },
    binance: unreachable,
    'binance-futures': unreachable,
    bybit: unreachable,
    'bybit-spot': unreachable,
  },
});
await offlineHost.start();
const offlineServer = await startServeServer({ host: offlineHost, staticDir: path.join(root, 'out/renderer'), port: OFFLINE_PORT });
// The cluster: a real nats-server, one collector node on the OKX simulator, and a host whose own
// OKX endpoints lead nowhere (whatever it shows of a cluster feed came through the node).
const nats = await NatsServer.start();
const node = await CollectorNode.start({ servers: nats.url, name: 'e2e-node-1', exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
const clusterDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-e2e-cluster-'));
await writeFile(path.join(clusterDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
const clusterHost = new MarketHost({
  dataDir: clusterDir,
  exchangeParams: { okx: { wsUrl: 'ws://127.0.0.1:9/ws/v5', restUrl: unreachable.restUrl } },
  nats: { servers: [nats.url] },
});
await clusterHost.start();
const clusterServer = await startServeServer({ host: clusterHost, staticDir: path.join(root, 'out/renderer'), port: CLUSTER_PORT });
process.stdout.write(
  `e2e world ready: ui ${server.url} simulators ${sim.restUrl} ${binance.restUrl} ${bybit.restUrl} ${coinbase.restUrl} ${kraken.restUrl} offline ui ${offlineServer.url}\n`,
);

const stop = (): void => {
  void server
    .close()
    .then(() => clusterServer.close())
    .then(() => clusterHost.close())
    .then(() => node.close())
    .then(() => nats.close())
    .then(() => offlineServer.close())
    .then(() => offlineHost.close())
    .then(() => host.close())
    .then(() => sim.close())
    .then(() => binance.close())
    .then(() => bybit.close())
    .then(() => coinbase.close())
    .then(() => kraken.close())
    .finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
