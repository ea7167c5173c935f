// The screens a trader must be able to trust, tried as a trader would: candles that close and
// never lose a minute, a chart that zooms, pans and reads out OHLCV, values of a stopped feed
// greyed with their age, a compact health strip whose details keep the error history, replays
// that survive a reload and can be stopped, grouping over the whole book, readable numbers and
// words, and a plain message when the exchange cannot be reached.
import { expect, test } from '@playwright/test';
import { addSymbol, offlinePort, simFault, useWorld } from './world.js';

useWorld();

test('a three-minute watch: exactly one forming candle per timeframe, every minute kept, nothing missing', async ({ page }) => {
  test.setTimeout(360_000);
  await addSymbol(page, 'BTC-USDT');
  const chart = page.getByTestId('candle-chart');
  const timeframes = page.getByRole('group', { name: 'Timeframe' });
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
  const firstOpen = Number(await chart.getAttribute('data-last-open'));
  const started = Date.now();
  let checks = 0;
  while (Date.now() - started < 180_000) {
    for (const timeframe of ['1m', '5m', '1H', '1D']) {
      await timeframes.getByRole('button', { name: timeframe, exact: true }).click();
      await expect(chart).toHaveAttribute('data-timeframe', timeframe);
      await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
      await expect(chart, `${timeframe} forming candles`).toHaveAttribute('data-forming', '1');
      await expect(chart, `${timeframe} holes`).toHaveAttribute('data-gaps', '0');
    }
    // Watch the 1m chart for a while: minutes pass while it is open and all stay on it.
    await timeframes.getByRole('button', { name: '1m', exact: true }).click();
    await expect(chart).toHaveAttribute('data-timeframe', '1m');
    await page.waitForTimeout(15_000);
    await expect(chart).toHaveAttribute('data-forming', '1');
    await expect(chart).toHaveAttribute('data-gaps', '0');
    checks += 1;
  }
  expect(checks).toBeGreaterThanOrEqual(5);
  // At least three new minutes were added while watching, with no hole between them.
  expect(Number(await chart.getAttribute('data-last-open')) - firstOpen).toBeGreaterThanOrEqual(3 * 60_000);
});

test('the candle chart zooms with the wheel, pans by dragging, reads out OHLCV under the crosshair, bodies never under 3 px', async ({ page }, testInfo) => {
  await addSymbol(page, 'ETH-USDT');
  const chart = page.getByTestId('candle-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
  await expect.poll(async () => Number(await chart.getAttribute('data-bar-spacing'))).toBeGreaterThan(0);
  const box = await chart.boundingBox();
  if (box === null) throw new Error('no chart');
  const spacing = async (): Promise<number> => Number(await chart.getAttribute('data-bar-spacing'));
  const before = await spacing();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect.poll(spacing, { message: 'zoomed in' }).toBeGreaterThan(before);
  // Zoomed all the way out, bodies stay at least 3 px wide.
  for (let i = 0; i < 12; i += 1) await page.mouse.wheel(0, 600);
  await expect.poll(async () => Number(await chart.getAttribute('data-body-px'))).toBeGreaterThanOrEqual(3);
  // The legend follows the crosshair: a candle on the left is an older one.
  const legend = page.getByTestId('candle-legend');
  await page.mouse.move(box.x + box.width - 80, box.y + box.height / 3);
  await expect(legend).toContainText(/O [\d,.]+\s*H [\d,.]+\s*L [\d,.]+\s*C [\d,.]+\s*V [\d.,KMB]+/);
  const right = await legend.innerText();
  await page.mouse.move(box.x + 60, box.y + box.height / 3);
  await expect.poll(async () => legend.innerText()).not.toBe(right);
  await expect(legend).toContainText(/^\d{4}-\d\d-\d\d \d\d:\d\d/);
  // Dragging pans back in time: the newest candle leaves the right edge.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 250, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  await page.screenshot({ path: testInfo.outputPath('chart-zoomed-panned.png') });
});

test('a stopped feed greys its values and says how old they are; its book says stopped, not invalid', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT');
  await expect.poll(async () => page.getByTestId('tape').locator('tbody tr').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('tape')).toHaveAttribute('data-live', 'true');
  const row = page.getByTestId('health-okx:BTC-USDT');
  await row.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(row.getByTestId('status')).toHaveText('stopped');
  await expect(page.getByTestId('tape')).toHaveAttribute('data-live', 'false');
  await expect(page.getByTestId('tape-state')).toHaveText(/^stopped (\d+ ms|\d+ s) ago$/);
  await expect(page.getByTestId('watch-BTC-USDT').getByTestId('last')).toHaveAttribute('data-live', 'false');
  await expect(page.getByTestId('book-not-live')).toHaveText('Feed stopped — not live');
  await expect(page.getByTestId('chart-state')).toContainText('STOPPED — last update');
  // The age keeps counting.
  await expect(page.getByTestId('tape-state')).toHaveText(/^stopped [2-9] s ago$/);
  await row.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('tape')).toHaveAttribute('data-live', 'true');
});

test('health is a compact strip by default; details show every counter and keep the error history out of a green row', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT');
  const panel = page.getByRole('region', { name: 'Collector health' });
  const compact = await panel.boundingBox();
  expect(compact?.height ?? 0).toBeLessThan(110);
  const row = page.getByTestId('health-okx:BTC-USDT');
  await expect(row.getByTestId('status')).toHaveText('running');
  // A reconnect leaves an error behind; once running again it is history, not a warning.
  await simFault('drop');
  await expect.poll(async () => Number(await row.getByTestId('reconnects').innerText())).toBeGreaterThanOrEqual(1);
  await expect(row.getByTestId('status')).toHaveText('running');
  await expect(row.locator('.problem')).toHaveText('');
  await expect(row.getByTestId('book')).toHaveText(/book valid/);
  await expect(row).toContainText(/lag \d+ ms/);
  await page.getByTestId('health-toggle').click();
  const expanded = await panel.boundingBox();
  expect(expanded?.height ?? 0).toBeGreaterThan(compact?.height ?? 0);
  const detail = page.getByTestId('health-okx:BTC-USDT');
  await expect(detail.locator('.last-error .warn')).toHaveCount(0);
  await detail.getByTestId('error-history-toggle').click();
  await expect(page.getByTestId('error-history')).toContainText('reconnecting');
  await page.getByTestId('health-toggle').click();
  await expect(page.getByTestId('health-toggle')).toHaveText('Details');
});

test('a replay survives a page reload, is labelled REPLAY everywhere, and leaves nothing behind when stopped', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT');
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await page.getByLabel('Session name').fill('reload me');
  await page.getByTestId('record-button').click();
  await expect
    .poll(async () => Number((await page.getByTestId('recording-live').innerText()).match(/· ([\d,]+) records/)?.[1]?.replace(/,/g, '') ?? 0))
    .toBeGreaterThan(50);
  await page.getByTestId('record-button').click();
  const session = page.getByTestId('session-reload me');
  await expect(session.getByTestId('session-state')).toHaveText('complete');
  await session.getByRole('button', { name: 'Replay max' }).click();
  await expect(page.getByTestId('replay-top')).toContainText('finished');

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
  const replayRow = page.locator('.watch-table tr', { hasText: 'REPLAY' });
  await expect(replayRow).toHaveCount(1);
  await expect(page.getByTestId('replay-top')).toContainText('REPLAY reload me · finished');
  await replayRow.click();
  await expect(page.getByRole('region', { name: 'Candles' }).getByRole('heading')).toContainText('REPLAY');
  await expect(page.getByRole('region', { name: 'Order book' }).getByRole('heading')).toContainText('REPLAY');
  await expect(page.getByTestId('health').locator('[data-row]', { hasText: 'REPLAY' })).toHaveCount(1);
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await expect(page.getByRole('region', { name: 'Sessions' }).getByRole('button', { name: 'Stop replay' })).toBeVisible();
  // The row's own button stops it as well: everything of the replay goes.
  await replayRow.getByRole('button', { name: 'Stop the replay of reload me' }).click();
  await expect(replayRow).toHaveCount(0);
  await expect(page.getByTestId('replay-top')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByTestId('health').locator('[data-row]', { hasText: 'REPLAY' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Delete reload me' }).click();
});

test('grouping aggregates the whole book; spreads in bp with two decimals; contract sizes carry their unit', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT-SWAP');
  const ladder = page.getByTestId('ladder');
  await expect.poll(async () => ladder.locator('tr[data-side=bid]').count()).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('spread')).toHaveText(/^Spread [\d.,]+ \(\d+\.\d{2} bp\) · Mid [\d,.]+/);
  await expect(ladder.locator('th', { hasText: 'Size (cont)' })).toHaveAttribute('title', 'Sizes in contracts (1 contract = 0.01 BTC)');
  // Ten ticks a bucket over all 400 levels: a full ladder, not one or two rows.
  await page.getByLabel('Price grouping').selectOption({ index: 3 });
  await expect
    .poll(async () => {
      const prices = (await ladder.locator('tr[data-side=bid] td.price').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
      const steps = prices.slice(1).map((p, i) => Number(((prices[i] ?? 0) - p).toFixed(6)));
      return prices.length >= 8 && steps.every((s) => s === 1);
    })
    .toBe(true);
  await page.getByLabel('Price grouping').selectOption({ index: 5 });
  await expect.poll(async () => ladder.locator('tr[data-side=bid]').count()).toBeGreaterThanOrEqual(3);
});

test('error texts are a trader’s words', async ({ page }) => {
  await page.getByLabel('Add symbol').fill('X'.repeat(70));
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('add-error')).toHaveText('Symbol is too long (max 64 characters)');
});

test('offline, the app says plainly that the exchange cannot be reached and how to see it anyway', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${offlinePort}/`);
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
  await page.getByLabel('Add symbol').fill('BTC-USDT');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('watch-BTC-USDT')).toBeVisible();
  await expect(page.getByTestId('notice').first()).toContainText(/^OKX cannot be reached from this machine: connection refused.*run `npm run demo`/);
  await expect(page.getByTestId('health-okx:BTC-USDT').locator('.problem')).toContainText('connection refused');
  await page.getByTestId('watch-BTC-USDT').getByRole('button', { name: 'Remove BTC-USDT' }).click();
  await expect(page.getByTestId('watch-BTC-USDT')).toHaveCount(0);
});
