// The UI under load: Debian Chromium (through Playwright) showing 10 symbols that stream from
// the simulator's generated market (2,000 book updates a second in all, with their trades and
// tickers). Reports display frames per second, the longest main-thread tasks, the page
// process's CPU and JS heap growth. Figures only.

import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DATA_TYPES } from '../../app/core/types.js';
import { MarketHost } from '../../app/host/market-host.js';
import { startServeServer } from '../../main/serve/server.js';
import { BENCH_BOOK_UPDATES_PER_SECOND, startSimulator } from './host-frames.bench.js';

const root = path.resolve(import.meta.dirname, '../..');

interface PageStats {
  frames: number;
  longest: number;
  longTasks: number;
  heap: number;
}

/** A long main-thread task: page time it started and how long it ran (ms). */
type LongTask = readonly [start: number, duration: number];

/**
 * Runs in the page before the app (a plain string: bundler helpers must not leak into it).
 * Counts display frames and records long main-thread tasks.
 */
const PAGE_PROBE = `
  const stats = { frames: 0, longest: 0, longTasks: 0, heap: 0, deltas: [], last: 0, recording: false, tasks: [] };
  window.__bench = stats;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      stats.longTasks += 1;
      stats.longest = Math.max(stats.longest, entry.duration);
      if (stats.tasks.length < 10000) stats.tasks.push([entry.startTime, entry.duration]);
    }
  }).observe({ type: 'longtask', buffered: true });
  const tick = (t) => {
    stats.frames += 1;
    if (stats.recording && stats.last > 0 && stats.deltas.length < 100000) stats.deltas.push(t - stats.last);
    stats.last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

export async function benchRenderer(seconds: number, symbols = 10): Promise<string[]> {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'renderer'], { cwd: root, stdio: 'ignore' });
  const perSymbol = BENCH_BOOK_UPDATES_PER_SECOND / symbols;
  const sim = await startSimulator(symbols, perSymbol);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ticker-deck-bench-ui-'));
  await writeFile(path.join(dataDir, 'watchlist.json'), JSON.stringify({ version: 1, entries: [] }));
  const host = new MarketHost({ dataDir, exchangeParams: { okx: { wsUrl: sim.wsUrl, restUrl: sim.restUrl } } });
  await host.start();
  const server = await startServeServer({ host, staticDir: path.join(root, 'out/renderer'), port: 0 });
  const instruments = await fetch(`${sim.restUrl}/api/v5/public/instruments?instType=SPOT`).then(
    async (r) => ((await r.json()) as { data: { instId: string }[] }).data,
  );
  for (const { instId } of instruments.slice(0, symbols)) await host.addSymbol('okx', instId, DATA_TYPES);

  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-precise-memory-info',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript({ content: PAGE_PROBE });
    // Which script chunks the first screen loads (with symbols, so the charts' chunks too).
    const loaded = new Set<string>();
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) loaded.add(path.basename(new URL(response.url()).pathname));
    });
    await page.goto(server.url);
    await page.getByTestId('ladder').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(3000);
    const heapOf = async (): Promise<number> => Number(await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0'));
    const stats = (): Promise<PageStats> => page.evaluate<PageStats>('({ ...window.__bench })');
    // CPU time of the page's process (its main thread, compositor and raster threads) and the GPU process.
    const browserSession = await browser.newBrowserCDPSession();
    const cpuTimes = async (): Promise<{ renderer: number; gpu: number }> => {
      const info = (await browserSession.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
      const sum = (type: string): number => info.processInfo.filter((p) => p.type === type).reduce((n, p) => n + p.cpuTime, 0);
      return { renderer: sum('renderer'), gpu: sum('GPU') };
    };
    const cpuBefore = await cpuTimes();
    const before = await stats();
    const heapBefore = await heapOf();
    const started = performance.now();
    // Switch the selected symbol and the candle timeframe now and then, as a trader would;
    // the long tasks that start within a second of each are charged to it.
    const rows = page.locator('.watch-table tbody tr');
    const count = await rows.count();
    const timeframes = page.getByRole('group', { name: 'Timeframe' }).getByRole('button');
    const timeframeCount = await timeframes.count();
    const switches: number[] = [];
    const timeframeChanges: number[] = [];
    const pageNow = async (): Promise<number> => Number(await page.evaluate('performance.now()'));
    for (let step = 0, elapsed = 0; elapsed < seconds * 1000; step += 1, elapsed = performance.now() - started) {
      await page.waitForTimeout(1500);
      if (step % 2 === 0) {
        switches.push(await pageNow());
        await rows.nth((step / 2 + 1) % count).click();
      } else {
        timeframeChanges.push(await pageNow());
        await timeframes.nth(((step - 1) / 2 + 1) % timeframeCount).click();
      }
    }
    await page.waitForTimeout(1000);
    const after = await stats();
    const cpuAfter = await cpuTimes();
    const messagesPerSecond = host.statuses().reduce((sum, s) => sum + s.messagesPerSecond, 0);
    const tasks = await page.evaluate<LongTask[]>('window.__bench.tasks');
    const charged = (actions: readonly number[]): string => {
      // The browser reports only tasks over 50 ms.
      const worst = actions.map((at) => Math.max(0, ...tasks.filter(([start]) => start >= at - 50 && start < at + 1000).map(([, d]) => d)));
      const over = worst.filter((d) => d > 50);
      return over.length === 0
        ? `no task over 50 ms in ${worst.length}`
        : `${over.length} of ${worst.length} with a task over 50 ms (longest ${Math.max(...over).toFixed(0)} ms, median of those ${median(over).toFixed(0)} ms)`;
    };
    const heapAfter = await heapOf();
    const elapsed = (performance.now() - started) / 1000;
    const framesReceived = await page.getByTestId('frame-stats').innerText();
    const chart = await chartInteraction(page, Math.min(10, seconds));
    const heatmap = await heatmapFigures(page, Math.min(10, seconds), async () => (await cpuTimes()).renderer);
    const assets = path.join(root, 'out/renderer/assets');
    const chunks = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    const sizes = await Promise.all(chunks.map(async (f) => [f, (await stat(path.join(assets, f))).size] as const));
    const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
    const chunkLine = (f: string, size: number): string => `${f.replace(/-[\w-]{8}\.js$/, '')} ${kib(size)}${loaded.has(f) ? '' : ' (not loaded)'}`;
    const frames = after.frames - before.frames;
    const pageCpu = cpuAfter.renderer - cpuBefore.renderer;
    return [
      `Renderer in Chromium, ${symbols} symbols, generated market ticking every ${1000 / perSymbol} ms a symbol (at most ${perSymbol} book updates/s), ${elapsed.toFixed(0)} s (symbol or timeframe switched every 1.5 s):`,
      `  market messages into the host : ${Math.round(messagesPerSecond).toLocaleString('en-US')} /s (last window)`,
      `  display frames              : ${(frames / elapsed).toFixed(1)} /s`,
      `  page process CPU            : ${((pageCpu / elapsed) * 100).toFixed(0)} % of a core (${((pageCpu * 1000) / Math.max(1, frames)).toFixed(1)} ms a display frame), GPU process ${(((cpuAfter.gpu - cpuBefore.gpu) / elapsed) * 100).toFixed(0)} %`,
      `  longest main-thread task    : ${after.longest.toFixed(0)} ms since load (${after.longTasks - before.longTasks} tasks over 50 ms during the run)`,
      `  symbol switches             : ${charged(switches)}`,
      `  timeframe changes           : ${charged(timeframeChanges)}`,
      `  host frames received / coalesced: ${framesReceived}`,
      `  JS heap                     : ${(heapBefore / 1048576).toFixed(1)} MiB → ${(heapAfter / 1048576).toFixed(1)} MiB`,
      `  script chunks (minified)    : ${sizes
        .sort((a, b) => b[1] - a[1])
        .map(([f, size]) => chunkLine(f, size))
        .join(', ')}`,
      `  candle chart, wheel zoom and drag pan for ${chart.seconds} s (same live load):`,
      `    frame time p50 / p95 / max : ${chart.p50.toFixed(1)} / ${chart.p95.toFixed(1)} / ${chart.max.toFixed(1)} ms (${chart.fps.toFixed(1)} frames/s)`,
      ...heatmap,
    ];
  } finally {
    await browser.close();
    await server.close();
    await host.close();
    sim.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Zooms with the wheel and pans by dragging across the candle chart; frame-time figures meanwhile. */
async function chartInteraction(page: Page, seconds: number, testId = 'candle-chart'): Promise<FrameTimes> {
  const box = await page.getByTestId(testId).boundingBox();
  if (box === null) return { seconds: 0, p50: 0, p95: 0, max: 0, fps: 0 };
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.evaluate('window.__bench.deltas = []; window.__bench.last = 0; window.__bench.recording = true;');
  const started = performance.now();
  let step = 0;
  while (performance.now() - started < seconds * 1000) {
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, step % 2 === 0 ? -240 : 240);
    await page.mouse.down();
    await page.mouse.move(x + (step % 2 === 0 ? 180 : -180), y, { steps: 12 });
    await page.mouse.up();
    step += 1;
  }
  return frameTimes(page, seconds);
}

interface FrameTimes {
  seconds: number;
  p50: number;
  p95: number;
  max: number;
  fps: number;
}

/** Display frame times recorded since `window.__bench.recording` was set. */
async function frameTimes(page: Page, seconds: number): Promise<FrameTimes> {
  const deltas = (await page.evaluate<number[]>('(window.__bench.recording = false, window.__bench.deltas)')).sort((a, b) => a - b);
  const at = (q: number): number => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))] ?? 0;
  const total = deltas.reduce((a, b) => a + b, 0);
  return { seconds, p50: at(0.5), p95: at(0.95), max: deltas.at(-1) ?? 0, fps: total === 0 ? 0 : (deltas.length * 1000) / total };
}

/**
 * The liquidity heatmap of the selected symbol open under the same load: frame times while it
 * follows the market, then while it is zoomed and dragged; the page's CPU, and the memory every
 * symbol's book history holds.
 */
async function heatmapFigures(page: Page, seconds: number, cpu: () => Promise<number>): Promise<string[]> {
  await page.getByRole('button', { name: 'Heatmap' }).click();
  const map = page.getByTestId('heatmap');
  await map.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(2000);
  const cpuBefore = await cpu();
  await page.evaluate('window.__bench.deltas = []; window.__bench.last = 0; window.__bench.recording = true;');
  const started = performance.now();
  await page.waitForTimeout(seconds * 1000);
  const watching = await frameTimes(page, seconds);
  const cpuShare = (await cpu()) - cpuBefore;
  const watchSeconds = (performance.now() - started) / 1000;
  const moving = await chartInteraction(page, seconds, 'heatmap');
  const data = await page.evaluate<Record<string, string | undefined>>("({ ...document.querySelector('[data-testid=heatmap]').dataset })");
  const line = (t: FrameTimes): string => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)} / ${t.max.toFixed(1)} ms (${t.fps.toFixed(1)} frames/s)`;
  return [
    `  liquidity heatmap open (same live load, every symbol's book history kept):`,
    `    following the market ${seconds} s, frame time p50 / p95 / max : ${line(watching)}; page process ${((cpuShare / watchSeconds) * 100).toFixed(0)} % of a core`,
    `    wheel zoom and drag pan ${moving.seconds} s, frame time p50 / p95 / max : ${line(moving)}`,
    `    history: ${data['columns'] ?? '?'} columns of the shown symbol, ${((Number(data['bytes']) || 0) / 1048576).toFixed(1)} MiB for all symbols' books`,
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
