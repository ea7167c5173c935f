// Host → UI delivery: a serve-mode client watching 20 symbols while the simulator (in its own
// process) pushes as fast as it can. Reports frames/s, bytes/frame and the host process's CPU
// and memory over the run. Figures only.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { DATA_TYPES } from '../../app/core/types.js';
import { MarketHost } from '../../app/host/market-host.js';
import { startServeServer } from '../../main/serve/server.js';

const root = path.resolve(import.meta.dirname, '../..');

export async function startSimulator(symbols: number): Promise<{ wsUrl: string; restUrl: string; stop: () => void }> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'test/sim/okx/cli.ts'), '--tick-ms', '1', '--symbols', String(symbols)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /ws (\S+) rest (\S+)/.exec(text);
      if (match?.[1] !== undefined && match[2] !== undefined) resolve({ wsUrl: match[1], restUrl: match[2], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
}

export async function benchHostFrames(seconds: number, symbols = 20): Promise<string[]> {
  const sim = await startSimulator(symbols);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
  const host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  await host.start();
  const server = await startServeServer({ host, staticDir: dataDir, port: 0 });
  const instruments = await fetch(`${sim.restUrl}/api/v5/public/instruments?instType=SPOT`).then(
    async (r) => ((await r.json()) as { data: { instId: string }[] }).data,
  );
  for (const { instId } of instruments.slice(0, symbols)) await host.addSymbol('okx', instId, DATA_TYPES);

  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`);
  let frames = 0;
  let bytes = 0;
  let largest = 0;
  // Where the bytes go, from every tenth frame (parsing every one would load the host's process).
  const parts = { books: 0, bookLevels: 0, trades: 0, tickers: 0, candles: 0, statuses: 0, sampled: 0 };
  ws.on('message', (data: Buffer) => {
    frames += 1;
    bytes += data.length;
    largest = Math.max(largest, data.length);
    if (frames % 10 !== 0) return;
    const message = JSON.parse(data.toString()) as {
      kind?: string;
      payload?: { books?: { bids: string[]; asks: string[] }[]; trades?: unknown; tickers?: unknown; candles?: unknown; statuses?: unknown };
    };
    const frame = message.payload;
    if (message.kind !== 'event' || frame?.books === undefined) return;
    parts.sampled += 1;
    parts.books += JSON.stringify(frame.books).length;
    // Levels go flat: `[price, size, price, size, …]`.
    parts.bookLevels += frame.books.reduce((n, b) => n + (b.bids.length + b.asks.length) / 2, 0);
    parts.trades += JSON.stringify(frame.trades).length;
    parts.tickers += JSON.stringify(frame.tickers).length;
    parts.candles += JSON.stringify(frame.candles).length;
    parts.statuses += JSON.stringify(frame.statuses).length;
  });
  await new Promise((resolve) => ws.once('open', resolve));
  await new Promise((resolve) => setTimeout(resolve, 2000)); // books settle
  frames = 0;
  bytes = 0;
  largest = 0;
  for (const key of Object.keys(parts) as (keyof typeof parts)[]) parts[key] = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let peakRss = 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    rssSamples.push(rss);
  }, 1000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const statuses = host.statuses();
  const messagesPerSecond = statuses.reduce((sum, s) => sum + s.messagesPerSecond, 0);
  const third = Math.max(1, Math.floor(rssSamples.length / 3));
  const early = rssSamples.slice(0, third).reduce((a, b) => a + b, 0) / third;
  const late = rssSamples.slice(-third).reduce((a, b) => a + b, 0) / third;
  ws.close();
  await server.close();
  await host.close();
  sim.stop();
  await rm(dataDir, { recursive: true, force: true });
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
  const per = (n: number): string => Math.round(n / Math.max(1, parts.sampled)).toLocaleString('en-US');
  return [
    `Host → serve-mode client, ${symbols} symbols (all data types), simulator at maximum rate, ${elapsed.toFixed(0)} s:`,
    `  market messages into the host : ${Math.round(messagesPerSecond).toLocaleString('en-US')} /s (last window)`,
    `  frames delivered              : ${(frames / elapsed).toFixed(1)} /s (cap 60)`,
    `  bytes per frame               : ${Math.round(bytes / Math.max(1, frames)).toLocaleString('en-US')} average, ${largest.toLocaleString('en-US')} largest`,
    `    of which (average)          : books ${per(parts.books)} (${(parts.bookLevels / Math.max(1, parts.sampled)).toFixed(0)} levels), trades ${per(parts.trades)}, tickers ${per(parts.tickers)}, candles ${per(parts.candles)}, statuses ${per(parts.statuses)}`,
    `  host CPU                      : ${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(0)} % of one core`,
    `  host RSS                      : ${mib(early)} MiB in the first third, ${mib(late)} MiB in the last third, ${mib(peakRss)} MiB peak`,
  ];
}
