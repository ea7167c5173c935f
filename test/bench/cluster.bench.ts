// Through the cluster: 50 symbols of the generated market collected by a collector node (a
// process of its own, as in production) and taken by a host through NATS (a real nats-server),
// each through a NatsFeedCollector as the host does. Reports the events a second the host
// receives and the latency NATS adds from the node's receipt of a message to the host's event
// (p50 / p99; same machine, same clock). Figures only.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { ClusterRecordings } from '../../app/cluster/cluster-recordings.js';
import { exportSession } from '../../app/recording/export.js';
import { startNodeProcess } from '../support/node-process.js';
import { clusterWatchlist, putClusterEntry } from '../../app/cluster/collector-node.js';
import { NatsFeedCollector, natsTransport } from '../../app/cluster/nats-feed-collector.js';
import { createCollectorConfig } from '../../app/core/config.js';
import { NatsServer } from '../support/nats-server.js';
import { BENCH_BOOK_UPDATES_PER_SECOND, startSimulator } from './host-frames.bench.js';

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function benchCluster(seconds: number, symbols = 50): Promise<string[]> {
  const perSymbol = BENCH_BOOK_UPDATES_PER_SECOND / symbols;
  const sim = await startSimulator(symbols, perSymbol);
  const server = await NatsServer.start();
  const node = await startNodeProcess('bench-node', server.url, { TICKER_DECK_OKX_WS_URL: sim.wsUrl, TICKER_DECK_OKX_REST_URL: sim.restUrl });
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
    const recording = await benchRecording(nc, seconds);
    return [
      `Through NATS (nats-server 2.9, loopback; one collector node process; ${feeds.length} symbols of the generated market, ${BENCH_BOOK_UPDATES_PER_SECOND.toLocaleString('en-US')} book updates a second in all, with trades and tickers; ${elapsed.toFixed(0)} s):`,
      `  books valid at the host          : ${valid} of ${feeds.length}`,
      `  events into the host             : ${Math.round(events / elapsed).toLocaleString('en-US')} /s`,
      `  node → host latency p50 / p99 / max: ${quantile(sorted, 0.5)} / ${quantile(sorted, 0.99)} / ${sorted.at(-1) ?? 0} ms (from the node's receipt of the exchange message)`,
      `  book resyncs during the run      : ${resyncs}`,
      ...recording,
    ];
  } finally {
    for (const feed of feeds) await feed.stop();
    await nc.close();
    node.kill('SIGTERM');
    await server.close();
    sim.stop();
  }
}

/** A recording on the cluster of the same feeds: what it stores a second, and how fast it exports. */
async function benchRecording(nc: Parameters<typeof ClusterRecordings.open>[0], seconds: number): Promise<string[]> {
  const recordings = await ClusterRecordings.open(nc, { host: 'bench' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-cluster-rec-'));
  try {
    const started = await recordings.start({ maxBytes: 8 * 1024 ** 3, maxAgeMs: 0 });
    const from = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const meta = await recordings.stop(started.id);
    const elapsed = (performance.now() - from) / 1000;
    const lines = [
      `  recording on the cluster (JetStream file store): ${Math.round(meta.counts.records / elapsed).toLocaleString('en-US')} messages/s, ${(meta.counts.bytes / 1024 ** 2 / elapsed).toFixed(1)} MiB/s (${meta.counts.rawFrames.toLocaleString('en-US')} raw frames, ${meta.counts.events.toLocaleString('en-US')} events in ${elapsed.toFixed(0)} s)`,
    ];
    for (const table of ['trades', 'incremental_book_L2'] as const) {
      const t0 = performance.now();
      const result = await exportSession(recordings.source(meta.id), meta, { table, format: 'csv', path: path.join(dir, `${table}.csv`) });
      const s = (performance.now() - t0) / 1000;
      lines.push(
        `  export from the stream, ${table.padEnd(19)}: ${Math.round(result.rows / s).toLocaleString('en-US')} rows/s (${result.rows.toLocaleString('en-US')} rows, ${Math.round(meta.counts.records / s).toLocaleString('en-US')} messages read/s, report included)`,
      );
    }
    await recordings.delete(meta.id);
    return lines;
  } finally {
    recordings.close();
    await rm(dir, { recursive: true, force: true });
  }
}
