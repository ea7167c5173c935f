// Host → UI delivery: serve-mode clients watching 20 symbols while the simulator (in its own
// process) generates a market at a stated rate. Two clients side by side: one that draws one
// symbol's book (as the page does: it says so with `setFocus`) and one that takes every book at
// the frame rate. Reports frames/s and bytes/frame for each, and the host process's CPU and
// memory over the run. Figures only.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { DATA_TYPES } from '../../app/core/types.js';
import { MarketHost } from '../../app/host/market-host.js';
import { startServeServer } from '../../main/serve/server.js';

/**
 * The generated market's pace in the load benches: book updates a second for each symbol, so
 * 2,000 a second in all for 20 symbols (100 each: OKX's tick-by-tick book channel at its fastest)
 * and for 10 (200 each). A stated rate, not "as fast as the simulator goes": that measured the
 * simulator (it once took a core to make 1,500 a second, and the browser starved beside it).
 */
export const BENCH_BOOK_UPDATES_PER_SECOND = 2000;

const root = path.resolve(import.meta.dirname, '../..');

/** The OKX simulator in a process of its own, each symbol's book changing `perSymbol` times a second. */
export async function startSimulator(symbols: number, perSymbol: number): Promise<{ wsUrl: string; restUrl: string; stop: () => void }> {
  const tickMs = String(1000 / perSymbol);
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'test/sim/okx/cli.ts'), '--tick-ms', tickMs, '--symbols', String(symbols)], {
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

/** One serve-mode client's view of the frames: counts every one, takes apart every tenth. */
class FrameCounter {
  frames = 0;
  bytes = 0;
  largest = 0;
  // Where the bytes go, from every tenth frame (parsing every one would load the host's process).
  readonly parts = { books: 0, bookLevels: 0, trades: 0, tickers: 0, candles: 0, statuses: 0, sampled: 0 };
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data: Buffer) => this.take(data));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  /** Sends a command and waits for its answer. */
  call(command: string, input: object): Promise<void> {
    this.ws.send(JSON.stringify({ kind: 'call', id: 1, command, input }));
    return new Promise((resolve) => {
      const onMessage = (data: Buffer): void => {
        if (!data.toString().startsWith('{"kind":"result"')) return;
        this.ws.off('message', onMessage);
        resolve();
      };
      this.ws.on('message', onMessage);
    });
  }

  reset(): void {
    this.frames = 0;
    this.bytes = 0;
    this.largest = 0;
    for (const key of Object.keys(this.parts) as (keyof typeof this.parts)[]) this.parts[key] = 0;
  }

  lines(label: string, elapsed: number): string[] {
    const { parts } = this;
    const per = (n: number): string => Math.round(n / Math.max(1, parts.sampled)).toLocaleString('en-US');
    return [
      `  ${label}:`,
      `    frames delivered            : ${(this.frames / elapsed).toFixed(1)} /s (cap 60)`,
      `    bytes per frame             : ${Math.round(this.bytes / Math.max(1, this.frames)).toLocaleString('en-US')} average, ${this.largest.toLocaleString('en-US')} largest`,
      `      of which (average)        : books ${per(parts.books)} (${(parts.bookLevels / Math.max(1, parts.sampled)).toFixed(0)} levels), trades ${per(parts.trades)}, tickers ${per(parts.tickers)}, candles ${per(parts.candles)}, statuses ${per(parts.statuses)}`,
    ];
  }

  private take(data: Buffer): void {
    this.frames += 1;
    this.bytes += data.length;
    this.largest = Math.max(this.largest, data.length);
    if (this.frames % 10 !== 0) return;
    const message = JSON.parse(data.toString()) as {
      kind?: string;
      payload?: { books?: { bids: string[]; asks: string[] }[]; trades?: unknown; tickers?: unknown; candles?: unknown; statuses?: unknown };
    };
    const frame = message.payload;
    if (message.kind !== 'event' || frame?.books === undefined) return;
    const { parts } = this;
    parts.sampled += 1;
    parts.books += JSON.stringify(frame.books).length;
    // Levels go flat: `[price, size, price, size, …]`.
    parts.bookLevels += frame.books.reduce((n, b) => n + (b.bids.length + b.asks.length) / 2, 0);
    parts.trades += JSON.stringify(frame.trades).length;
    parts.tickers += JSON.stringify(frame.tickers).length;
    parts.candles += JSON.stringify(frame.candles).length;
    parts.statuses += JSON.stringify(frame.statuses).length;
  }
}

export async function benchHostFrames(seconds: number, symbols = 20): Promise<string[]> {
  const perSymbol = BENCH_BOOK_UPDATES_PER_SECOND / symbols;
  const sim = await startSimulator(symbols, perSymbol);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
  const host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  await host.start();
  const server = await startServeServer({ host, staticDir: dataDir, port: 0 });
  const instruments = await fetch(`${sim.restUrl}/api/v5/public/instruments?instType=SPOT`).then(
    async (r) => ((await r.json()) as { data: { instId: string }[] }).data,
  );
  const ids: string[] = [];
  for (const { instId } of instruments.slice(0, symbols)) ids.push((await host.addSymbol('okx', instId, DATA_TYPES)).id);

  // The page: one symbol's ladder and depth chart drawn, the rest in the watchlist.
  const page = new FrameCounter(`ws://127.0.0.1:${server.port}/api`);
  // A client that takes every book at the frame rate (one that never calls setFocus).
  const every = new FrameCounter(`ws://127.0.0.1:${server.port}/api`);
  await Promise.all([page.opened(), every.opened()]);
  await page.call('setFocus', { ids: ids.slice(0, 1) });
  await new Promise((resolve) => setTimeout(resolve, 2000)); // books settle
  page.reset();
  every.reset();
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
  page.ws.close();
  every.ws.close();
  await server.close();
  await host.close();
  sim.stop();
  await rm(dataDir, { recursive: true, force: true });
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
  return [
    `Host → serve-mode clients, ${symbols} symbols (all data types), generated market ticking every ${1000 / perSymbol} ms a symbol (at most ${perSymbol} book updates/s), ${elapsed.toFixed(0)} s:`,
    `  market messages into the host : ${Math.round(messagesPerSecond).toLocaleString('en-US')} /s (last window)`,
    ...page.lines('the page (draws one book; the others at most every 500 ms)', elapsed),
    ...every.lines('a client taking every book at the frame rate', elapsed),
    `  host CPU (both clients)       : ${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(0)} % of one core`,
    `  host RSS                      : ${mib(early)} MiB in the first third, ${mib(late)} MiB in the last third, ${mib(peakRss)} MiB peak`,
  ];
}
