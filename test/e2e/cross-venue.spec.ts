// Cross-venue views in Debian Chromium, against the loopback simulators of all five venues:
// the aggregated tape and the consolidated book of one asset.
import { expect, test, type Page } from '@playwright/test';
import { BTC_EVERYWHERE, callHost, useWorld, watch } from './world.js';

useWorld();

/** BTC on every venue, and one other asset that must stay out of BTC's views. */
const BTC = BTC_EVERYWHERE;

async function stopCollector(id: string): Promise<void> {
  await callHost('stopCollector', { id });
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

async function ladderOf(page: Page): Promise<{ side: string; price: number; size: number; parts: { venue: string; size: number }[] }[]> {
  return page.getByTestId('consolidated-ladder').evaluate((table) =>
    [...table.querySelectorAll('tbody tr.level')].map((tr) => ({
      side: tr.getAttribute('data-side') ?? '',
      price: Number(tr.getAttribute('data-price')),
      size: Number(tr.querySelector('td:nth-child(2)')?.textContent?.replace(/,/g, '')),
      parts: [...tr.querySelectorAll('[data-venue]')].map((span) => ({
        venue: span.getAttribute('data-venue') ?? '',
        size: Number(span.getAttribute('data-size')),
      })),
    })),
  );
}

test('the consolidated book merges BTC’s books of one quote, split by venue, names what it leaves out, and merges quotes on demand', async ({
  page,
}, testInfo) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  const book = page.getByRole('region', { name: 'Order book' });
  await book.getByRole('button', { name: 'All BTC' }).click();
  const venues = page.getByTestId('consolidated-venues');
  // USDT books merge; the USD ones are left out and say why.
  for (const id of ['okx:BTC-USDT', 'binance:BTCUSDT', 'bybit:BTCUSDT'])
    await expect(venues.locator(`[data-included="${id}"]`)).toBeVisible({ timeout: 20_000 });
  for (const id of ['coinbase:BTC-USD', 'kraken:BTC/USD']) await expect(venues.locator(`[data-left="${id}"]`)).toContainText('priced in USD');

  // Levels grouped by the step, sizes split by venue (the parts add up), several venues on a
  // level. Buckets of 5 USD: the simulators' prices wander apart by dollars, so at the tick the
  // venues' levels near the merged touch need not meet.
  await book.getByLabel('Price grouping').selectOption('50');
  await expect
    .poll(async () => (await ladderOf(page)).filter((r) => new Set(r.parts.map((p) => p.venue)).size >= 2).length, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const rows = await ladderOf(page);
  expect(rows.filter((r) => r.side === 'bid').length).toBeGreaterThanOrEqual(3);
  expect(rows.filter((r) => r.side === 'ask').length).toBeGreaterThanOrEqual(3);
  for (const row of rows) {
    expect(Math.abs(row.parts.reduce((n, p) => n + p.size, 0) - row.size)).toBeLessThan(0.0002);
    expect(Math.abs(row.price / 5 - Math.round(row.price / 5))).toBeLessThan(1e-6);
  }
  // Only the USDT venues' sizes (which of them reach the rows near the touch depends on where
  // each simulator's price has walked).
  const venuesSeen = new Set(rows.flatMap((r) => r.parts.map((p) => p.venue)));
  for (const venue of venuesSeen) expect(['binance', 'bybit', 'okx']).toContain(venue);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('consolidated-book-1280x800.png') });

  // Quotes merged on demand: all five venues (the simulators' prices drift apart by tens of
  // dollars, as venues never would; buckets of 10 USD hold every one of them).
  await book.getByLabel('Merge quotes').check();
  for (const id of ['coinbase:BTC-USD', 'kraken:BTC/USD']) await expect(venues.locator(`[data-included="${id}"]`)).toBeVisible();
  await book.getByLabel('Price grouping').selectOption('100');
  await expect.poll(async () => new Set((await ladderOf(page)).flatMap((r) => r.parts.map((p) => p.venue))).size, { timeout: 20_000 }).toBe(5);
  for (const row of await ladderOf(page)) expect(Math.abs(row.price / 10 - Math.round(row.price / 10))).toBeLessThan(1e-6);
  // Deeper than the shallowest books reach, a level names the venues whose size there is unknown.
  await expect.poll(async () => page.getByTestId('consolidated-ladder').locator('tr.beyond').count()).toBeGreaterThan(0);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('consolidated-book-1600x1000.png') });

  // With the consolidated book shown the page focuses every venue's book of the asset: Binance's
  // share of the ladder changes at the market's pace (the simulators tick every 50 ms), not at
  // the 500 ms of a book out of focus.
  const gaps = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const ladder = document.querySelector('[data-testid=consolidated-ladder]');
        if (ladder === null) return resolve([]);
        const times: number[] = [];
        let shown = '';
        const observer = new MutationObserver(() => {
          const now = [...ladder.querySelectorAll('[data-venue=binance]')].map((span) => span.getAttribute('data-size')).join();
          if (now === shown) return;
          shown = now;
          times.push(performance.now());
          if (times.length < 11) return;
          observer.disconnect();
          resolve(times.slice(1).map((t, i) => t - (times[i] ?? t)));
        });
        observer.observe(ladder, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
  expect(gaps).toHaveLength(10);
  expect(gaps.filter((gap) => gap < 300).length).toBeGreaterThanOrEqual(3);

  // A venue whose book stops being valid is left out and named, and its size goes with it.
  await stopCollector('binance:BTCUSDT');
  await expect(venues.locator('[data-left="binance:BTCUSDT"]')).toBeVisible();
  await expect.poll(async () => (await ladderOf(page)).some((r) => r.parts.some((p) => p.venue === 'binance'))).toBe(false);
  await expect.poll(async () => (await ladderOf(page)).length).toBeGreaterThan(0);
});

test('the venue strip shows BTC on every venue live, with spread, volume and basis to a chosen reference, and names a stopped one', async ({
  page,
}, testInfo) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.getByRole('tab', { name: 'Venues' }).click();
  const strip = page.getByTestId('venue-strip');
  const row = (id: string) => strip.locator(`[data-venue-row="${id}"]`);
  for (const { exchange, symbol } of BTC) await expect(row(`${exchange}:${symbol}`)).toHaveAttribute('data-live', 'true', { timeout: 20_000 });
  await expect(row('okx:BTC-USDT').locator('td').nth(4)).toHaveText('reference');
  // Every other venue has a basis to OKX, in bp, from live mids (the simulators' prices differ by design).
  for (const id of ['binance:BTCUSDT', 'bybit:BTCUSDT', 'coinbase:BTC-USD', 'kraken:BTC/USD']) {
    await expect(row(id).locator('[data-basis]')).toHaveText(/^[+-]\d+\.\d\d$/);
    const mid = Number(await row(id).locator('[data-mid]').getAttribute('data-mid'));
    const okxMid = Number(await row('okx:BTC-USDT').locator('[data-mid]').getAttribute('data-mid'));
    const basis = Number(await row(id).locator('[data-basis]').getAttribute('data-basis'));
    // Within a tick or two of the figure the mids give (both move between the reads).
    expect(Math.abs(basis - ((mid - okxMid) / okxMid) * 10_000)).toBeLessThan(1);
  }
  await expect(row('okx:BTC-USDT').locator('td').nth(2)).toHaveText(/^\d+\.\d\d$/);
  await expect(row('okx:BTC-USDT').locator('td').nth(3)).not.toHaveText('—');

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('venue-strip-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('venue-strip-1600x1000.png') });

  // Another reference: OKX now has a basis, Binance is the reference.
  await page.getByLabel('Reference venue').selectOption('binance:BTCUSDT');
  await expect(row('binance:BTCUSDT').locator('td').nth(4)).toHaveText('reference');
  await expect(row('okx:BTC-USDT').locator('[data-basis]')).toHaveText(/^[+-]\d+\.\d\d$/);

  // A stopped venue is greyed, says so, and has no basis.
  await stopCollector('kraken:BTC/USD');
  await expect(row('kraken:BTC/USD')).toHaveAttribute('data-live', 'false');
  await expect(row('kraken:BTC/USD')).toContainText('stopped');
  await expect(row('kraken:BTC/USD').locator('[data-basis]')).toHaveText('—');
});

test('the venue strip gives perpetuals their mark, index, funding and open interest (OKX, Binance, Bybit), and spot none', async ({ page }, testInfo) => {
  const perps = [
    { exchange: 'okx', symbol: 'BTC-USDT-SWAP' },
    { exchange: 'binance-futures', symbol: 'BTCUSDT' },
  ];
  await watch([...BTC, ...perps]);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.getByRole('tab', { name: 'Venues' }).click();
  const strip = page.getByTestId('venue-strip');
  const row = (id: string) => strip.locator(`[data-venue-row="${id}"]`);
  const figure = async (id: string, name: string): Promise<number> => Number((await row(id).locator(`[data-${name}]`).getAttribute(`data-${name}`)) ?? '');
  // Bybit's BTCUSDT is its linear perpetual.
  for (const id of ['okx:BTC-USDT-SWAP', 'binance-futures:BTCUSDT', 'bybit:BTCUSDT']) {
    await expect.poll(async () => Number.isFinite(await figure(id, 'oi')) && (await figure(id, 'oi')) > 0, { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => Number.isFinite(await figure(id, 'funding')) && (await figure(id, 'mark')) > 0 && (await figure(id, 'index')) > 0).toBe(true);
    await expect(row(id).locator('[data-funding]')).toHaveText(/^-?\d+\.\d{4} % in \d/);
    expect(Math.abs(await figure(id, 'funding'))).toBeLessThan(0.01);
  }
  for (const id of ['okx:BTC-USDT', 'binance:BTCUSDT', 'coinbase:BTC-USD', 'kraken:BTC/USD']) {
    await expect(row(id).locator('[data-funding]')).toHaveCount(0);
    await expect(row(id)).toContainText('—');
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('venue-strip-perpetuals-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('venue-strip-perpetuals-1600x1000.png') });
});

async function cvdOf(page: Page): Promise<Record<string, { value: number; partial: boolean }>> {
  return page
    .getByTestId('cvd-legend')
    .evaluate((legend) =>
      Object.fromEntries(
        [...legend.querySelectorAll('[data-venue]')].map((span) => [
          span.getAttribute('data-venue') ?? '',
          { value: span.getAttribute('data-value') === '' ? Number.NaN : Number(span.getAttribute('data-value')), partial: span.classList.contains('partial') },
        ]),
      ),
    );
}

test('CVD under the price chart: every venue of the asset and their sum, a stopped venue marked, another asset only its own', async ({ page }, testInfo) => {
  await watch([...BTC, { exchange: 'okx', symbol: 'ETH-USDT' }]);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  const legend = page.getByTestId('cvd-legend');
  await expect(legend).toBeVisible();
  // Each venue's line and the sum, all with values once trades have been counted.
  await expect
    .poll(
      async () =>
        Object.entries(await cvdOf(page))
          .filter(([, v]) => Number.isFinite(v.value))
          .map(([k]) => k)
          .sort(),
      { timeout: 30_000 },
    )
    .toEqual(['all', 'binance', 'bybit', 'coinbase', 'kraken', 'okx']);
  const venues = await cvdOf(page);
  expect(Object.keys(venues)).not.toContain('eth');
  // The pane is drawn: the chart has a second pane under the candles.
  await expect.poll(async () => page.getByTestId('candle-chart').locator('table tr').count()).toBeGreaterThanOrEqual(3);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('cvd-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('cvd-1600x1000.png') });

  // A venue that stops: its newest period is marked as a gap, and so is the sum.
  await stopCollector('bybit:BTCUSDT');
  await expect.poll(async () => (await cvdOf(page))['bybit']?.partial, { timeout: 30_000 }).toBe(true);
  expect((await cvdOf(page))['all']?.partial).toBe(true);
  await expect.poll(async () => (await cvdOf(page))['okx']?.partial).toBe(false);

  // Hidden and shown again on request.
  await legend.getByRole('button', { name: 'Hide' }).click();
  await expect(legend).toHaveCount(0);
  await page.getByRole('button', { name: 'Show CVD' }).click();
  await expect(page.getByTestId('cvd-legend')).toBeVisible();

  // Another asset has only its own venue.
  await page.locator('[data-feed="okx:ETH-USDT"]').click();
  await expect.poll(async () => Object.keys(await cvdOf(page)), { timeout: 30_000 }).toEqual(['okx']);
});
