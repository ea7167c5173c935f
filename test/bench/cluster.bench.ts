// Through the cluster: 50 symbols of the generated market collected by a collector node (a
// process of its own, as in production) and taken by a host through NATS (a real nats-server),
// each through a NatsFeedCollector as the host does. Reports the events a second the host
// receives and the latency NATS adds from the node's receipt of a message to the host's event
// (p50 / p99; same machine, same clock). Figures only.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { clusterWatchlist, putClusterEntry } from '../../app/cluster/collector-node.js';
import { NatsFeedCollector, natsTransport } from '../../app/cluster/nats-feed-collector.js';
import { createCollectorConfig } from '../../app/core/config.js';
import { NatsServer } from '../support/nats-server.js';
import { BENCH_BOOK_UPDATES_PER_SECOND, startSimulator } from './host-frames.bench.js';

const root = path.resolve(import.meta.dirname, '../..');

function startNode(url: string, sim: { wsUrl: string; restUrl: string }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/node/cli.ts', '--nats', url, '--name', 'bench-node'], {
      cwd: root,
      env: { ...process.env, TICKER_DECK_OKX_WS_URL: sim.wsUrl, TICKER_DECK_OKX_REST_URL: sim.restUrl, TICKER_DECK_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString();
      if (output.includes('collector node started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`collector node exited (${String(code)}): ${output.slice(-500)}`)));
  });
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function benchCluster(seconds: number, symbols = 50): Promise<string[]> {
  const perSymbol = BENCH_BOOK_UPDATES_PER_SECOND / symbols;
  const sim = await startSimulator(symbols, perSymbol);
  const server = await NatsServer.start();
  const node = await startNode(server.url, sim);
  const nc = await connect({ servers: server.url });
  const feeds: NatsFeedCollector[] = [];
  try {
    // Every instrument the simulator lists (spot and contracts), up to `symbols`.
    const instruments: { instId: string }[] = [];
    for (const type of ['SPOT', 'SWAP', 'FUTURES']) {
      instruments.push(
        ...(await fetch(`${sim.restUrl}/api/v5/public/instruments?instType=${type}`).then(
          async (r) => ((await r.json()) as { data: { instId: string }[] }).data,
        )),
      );
    }
    const kv = await clusterWatchlist(nc);
    let events = 0;
    let measuring = false;
    const latencies: number[] = [];
    for (const { instId } of instruments.slice(0, symbols)) {
      const config = { exchange: 'okx', symbol: instId, dataTypes: ['trade', 'orderbook', 'ticker'] as ('trade' | 'orderbook' | 'ticker')[] };
      await putClusterEntry(kv, config);
      const feed = new NatsFeedCollector(createCollectorConfig(config), { transport: natsTransport(nc) });
      feed.on('data', (event) => {
        if (!measuring) return;
        events += 1;
        // Every fifth: enough for the quantiles, bounded.
        if (events % 5 === 0 && latencies.length < 500_000) latencies.push(Date.now() - event.receivedAt);
      });
      feeds.push(feed);
      await feed.start();
    }
    // Until every book came through valid, then a few seconds more to settle.
    const deadline = Date.now() + 60_000;
    while (feeds.some((f) => f.getBook() === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const valid = feeds.filter((f) => f.getBook() !== undefined).length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    measuring = true;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    const resyncs = feeds.reduce((n, f) => n + f.bookResyncs, 0);
    return [
      `Through NATS (nats-server 2.9, loopback; one collector node process; ${feeds.length} symbols of the generated market, ${BENCH_BOOK_UPDATES_PER_SECOND.toLocaleString('en-US')} book updates a second in all, with trades and tickers; ${elapsed.toFixed(0)} s):`,
      `  books valid at the host          : ${valid} of ${feeds.length}`,
      `  events into the host             : ${Math.round(events / elapsed).toLocaleString('en-US')} /s`,
      `  node → host latency p50 / p99 / max: ${quantile(sorted, 0.5)} / ${quantile(sorted, 0.99)} / ${sorted.at(-1) ?? 0} ms (from the node's receipt of the exchange message)`,
      `  book resyncs during the run      : ${resyncs}`,
    ];
  } finally {
    for (const feed of feeds) await feed.stop();
    await nc.close();
    node.kill('SIGTERM');
    await server.close();
    sim.stop();
  }
}
