// Cross-venue views in Debian Chromium, against the loopback simulators of all five venues:
// the aggregated tape of one asset.
import { expect, test, type Page } from '@playwright/test';
import { connectWebSocket } from '../support/contract-clients.js';
import { port, useWorld } from './world.js';

useWorld();

/** BTC on every venue, and one other asset that must stay out of BTC's views. */
const BTC = [
  { exchange: 'okx', symbol: 'BTC-USDT' },
  { exchange: 'binance', symbol: 'BTCUSDT' },
  { exchange: 'bybit', symbol: 'BTCUSDT' },
  { exchange: 'coinbase', symbol: 'BTC-USD' },
  { exchange: 'kraken', symbol: 'BTC/USD' },
] as const;

async function watch(entries: readonly { exchange: string; symbol: string }[]): Promise<void> {
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/api`);
  try {
    for (const entry of entries) expect((await client.call('addSymbol', entry)).ok).toBe(true);
  } finally {
    await client.close();
  }
}

async function stopCollector(id: string): Promise<void> {
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/api`);
  try {
    expect((await client.call('stopCollector', { id })).ok).toBe(true);
  } finally {
    await client.close();
  }
}

/** Counts the tones the page starts (Web Audio replaced before the app loads). */
const AUDIO_PROBE = `
  window.__tones = 0;
  class FakeParam { setValueAtTime() {} exponentialRampToValueAtTime() {} set value(v) {} }
  class FakeNode { constructor() { this.gain = new FakeParam(); this.frequency = new FakeParam(); } connect(n) { return n; } start() { window.__tones += 1; } stop() {} }
  window.AudioContext = class { constructor() { this.state = 'running'; this.currentTime = 0; this.destination = {}; }
    resume() { return Promise.resolve(); } close() { this.state = 'closed'; return Promise.resolve(); }
    createOscillator() { return new FakeNode(); } createGain() { return new FakeNode(); } };
`;

async function rowsOf(page: Page): Promise<{ venue: string; notional: number; tier: number; ts: number; notLive: boolean }[]> {
  return page.getByTestId('asset-rows').evaluate((table) =>
    [...table.querySelectorAll('tbody tr')].map((tr) => ({
      venue: tr.getAttribute('data-venue') ?? '',
      notional: Number(tr.querySelector('[data-notional]')?.getAttribute('data-notional')),
      tier: Number(/tier-(\d)/.exec(tr.className)?.[1] ?? -1),
      ts: Number(tr.querySelector('[data-ts]')?.getAttribute('data-ts')),
      notLive: tr.classList.contains('not-live'),
    })),
  );
}

test('the aggregated tape shows BTC’s prints on all five venues, newest first, valued, filtered, with volume, tones and a stopped venue named', async ({
  page,
}, testInfo) => {
  await page.addInitScript({ content: AUDIO_PROBE });
  await page.reload();
  await watch([...BTC, { exchange: 'okx', symbol: 'ETH-USDT' }]);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  const trades = page.getByRole('region', { name: 'Trades' });
  await trades.getByRole('button', { name: 'All BTC' }).click();
  const chips = page.getByTestId('asset-venues');
  for (const venue of ['OKX', 'Binance', 'Bybit', 'Coinbase', 'Kraken']) await expect(chips).toContainText(venue);
  await expect(chips).not.toContainText('ETH');

  // Prints of every venue arrive, tagged; newest first; larger prints drawn larger.
  await expect.poll(async () => new Set((await rowsOf(page)).map((r) => r.venue)).size, { timeout: 20_000 }).toBe(5);
  const rows = await rowsOf(page);
  expect(rows.map((r) => r.ts)).toEqual([...rows.map((r) => r.ts)].sort((a, b) => b - a));
  for (const row of rows) {
    expect(row.notional).toBeGreaterThan(0);
    expect(row.tier).toBe(row.notional >= 1e6 ? 3 : row.notional >= 1e5 ? 2 : row.notional >= 1e4 ? 1 : 0);
  }
  // Rolling volume over a minute and five.
  const volume = page.getByTestId('asset-volume');
  await expect(volume.locator('[data-window="60"]')).toHaveText(/1m buy [\d.]+[KMB]? sell [\d.]+[KMB]?/);
  await expect.poll(async () => (await volume.locator('[data-window="300"]').innerText()) !== '5m buy 0.000 sell 0.000').toBe(true);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('aggregated-tape-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('aggregated-tape-1600x1000.png') });

  // A notional threshold: only prints at least that large.
  await page.getByLabel('Minimum notional').fill('5000');
  await expect.poll(async () => (await rowsOf(page)).length, { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await rowsOf(page)).every((r) => r.notional >= 5000)).toBe(true);

  // Tones for prints above the second threshold, none when it is out of reach or off.
  await page.getByLabel('Sound threshold').fill('1');
  await page.getByLabel('Sound for large prints').check();
  await expect.poll(async () => page.evaluate(() => (window as unknown as { __tones: number }).__tones), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.getByLabel('Sound for large prints').uncheck();
  const heard = await page.evaluate(() => (window as unknown as { __tones: number }).__tones);
  const before = (await rowsOf(page)).map((r) => r.ts).join();
  await expect.poll(async () => (await rowsOf(page)).map((r) => r.ts).join()).not.toBe(before);
  expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBe(heard);

  // A venue that stops is named as such, and its prints are greyed, never shown as live.
  await stopCollector('kraken:BTC/USD');
  await expect(chips.locator('.venue-kraken')).toContainText('stopped');
  await expect.poll(async () => (await rowsOf(page)).filter((r) => r.venue === 'kraken').every((r) => r.notLive)).toBe(true);
  await expect.poll(async () => (await rowsOf(page)).some((r) => r.venue !== 'kraken' && !r.notLive)).toBe(true);
});
