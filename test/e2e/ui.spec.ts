// What a trader sees, in Debian Chromium against serve mode and the loopback OKX and Binance simulators.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addSymbol, simFault, useWorld } from './world.js';

/** Best bid and best ask shown by the ladder (asks are listed highest first). */
async function bestPrices(page: Page): Promise<{ bid: number; ask: number; text: string }> {
  // One read of the DOM: both sides from the same render.
  const { asks, bids } = await page.getByTestId('ladder').evaluate((ladder) => ({
    asks: [...ladder.querySelectorAll('tr[data-side=ask] td.price')].map((td) => td.textContent),
    bids: [...ladder.querySelectorAll('tr[data-side=bid] td.price')].map((td) => td.textContent),
  }));
  const num = (s: string | null | undefined): number => Number((s ?? '').replace(/,/g, ''));
  return { ask: num(asks.at(-1)), bid: num(bids[0]), text: [...asks, ...bids].join('|') };
}

useWorld();

test('adding BTC-USDT and ETH-USDT shows both books updating, bids below asks; removing one removes it everywhere', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT');
  await addSymbol(page, 'ETH-USDT');
  for (const symbol of ['BTC-USDT', 'ETH-USDT']) {
    await page.getByTestId(`watch-${symbol}`).click();
    await expect.poll(async () => page.getByTestId('ladder').locator('tr[data-side=bid]').count()).toBeGreaterThanOrEqual(10);
    const first = await bestPrices(page);
    expect(first.bid).toBeGreaterThan(0);
    expect(first.bid).toBeLessThan(first.ask);
    await expect.poll(async () => (await bestPrices(page)).text).not.toBe(first.text);
    const later = await bestPrices(page);
    expect(later.bid).toBeLessThan(later.ask);
    await expect(page.getByTestId(`watch-${symbol}`).getByTestId('last')).not.toHaveText('—');
  }
  await expect(page.getByTestId('health').locator('[data-row]')).toHaveCount(2);

  // The page tells the host which book it draws: back on BTC, its ladder changes at the
  // market's pace (the simulator ticks every 50 ms), not at the 500 ms of a book out of focus.
  await page.getByTestId('watch-BTC-USDT').click();
  await expect(page.getByRole('region', { name: 'Candles' }).getByRole('heading')).toHaveText('BTC/USDT · OKX');
  const gaps = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const body = document.querySelector('[data-testid=ladder] tbody');
        if (body === null) return resolve([]);
        const times: number[] = [];
        const observer = new MutationObserver(() => {
          times.push(performance.now());
          if (times.length < 11) return;
          observer.disconnect();
          resolve(times.slice(1).map((t, i) => t - (times[i] ?? t)));
        });
        observer.observe(body, { subtree: true, childList: true, characterData: true, attributes: true });
      }),
  );
  expect(gaps).toHaveLength(10);
  expect(gaps.filter((gap) => gap < 300).length).toBeGreaterThanOrEqual(3);

  await page.getByRole('button', { name: 'Remove ETH-USDT' }).click();
  await expect(page.getByTestId('watch-ETH-USDT')).toHaveCount(0);
  await expect(page.getByTestId('health-okx:ETH-USDT')).toHaveCount(0);
  await expect(page.getByTestId('health').locator('[data-row]')).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Candles' }).getByRole('heading')).toHaveText('BTC/USDT · OKX');

  // Keyboard: Delete on a focused row removes it too.
  await page.getByTestId('watch-BTC-USDT').focus();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('watch-BTC-USDT')).toHaveCount(0);
  await expect(page.getByText('Nothing watched yet')).toBeVisible();
});

test('an invalid symbol shows an error and changes nothing', async ({ page }) => {
  await addSymbol(page, 'SOL-USDT');
  await page.getByLabel('Add symbol').fill('FOO-BAR');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('add-error')).toHaveText('OKX has no instrument FOO-BAR');
  await page.getByLabel('Add symbol').fill('BTC/USDT');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('add-error')).toContainText('"BTC/USDT" is not a valid OKX instrument id');
  await expect(page.locator('.watch-table tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('health').locator('[data-row]')).toHaveCount(1);
  await expect(page.getByTestId('ladder')).toBeVisible();
});

test('an exchange outage shows reconnecting then running; the restart button restarts the collector', async ({ page }) => {
  await addSymbol(page, 'BTC-USDT');
  const row = page.getByTestId('health-okx:BTC-USDT');
  await expect(row.getByTestId('status')).toHaveText('running');
  // Long enough that the once-a-second status frames show it even on a loaded machine.
  await simFault('outage', '&ms=6000');
  await expect(row.getByTestId('status')).toHaveText('reconnecting');
  // While the connection is down the book is not shown as live.
  await expect(page.getByTestId('book-not-live')).toBeVisible();
  await expect(row.getByTestId('status')).toHaveText('running', { timeout: 60_000 });
  await expect(page.getByTestId('ladder')).toBeVisible();
  expect(Number(await row.getByTestId('reconnects').innerText())).toBeGreaterThanOrEqual(1);

  await row.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(row.getByTestId('restarts')).toHaveText('1');
  await expect(row.getByTestId('status')).toHaveText('running');
  await row.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(row.getByTestId('status')).toHaveText('stopped');
  await row.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(row.getByTestId('status')).toHaveText('running');
});

test('a book whose channel dies while trades print is shown stale with its age, never live, and its recovery is shown', async ({ page }, testInfo) => {
  await addSymbol(page, 'BTC-USDT');
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-state', 'valid');
  // OKX stops pushing the book but keeps printing trades, and leaves resync requests unanswered.
  await simFault('ignore-unsubscribe', '&count=5');
  await simFault('mute', '&instId=BTC-USDT&channel=books');
  await expect(page.getByTestId('book-stale')).toContainText(/^STALE — last change \d+ s ago · resyncing · not valid for \d+ (ms|s)$/, { timeout: 60_000 });
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-state', 'stale');
  await expect(page.getByTestId('depth-chart')).toHaveAttribute('data-state', 'stale');
  await expect(page.getByTestId('depth-state')).toContainText('STALE');
  const row = page.getByTestId('health-okx:BTC-USDT');
  await expect(row.getByTestId('status')).toHaveText('stale');
  await expect(row.getByTestId('status-detail')).toContainText('stale: book');
  await expect(row.getByTestId('book')).toContainText(/^book stale \d+ s · resyncing/);
  await expect(page.getByTestId('watch-BTC-USDT').getByTestId('health-dot')).toHaveClass(/dot-stale/);
  // The age keeps counting between frames.
  const age = async (): Promise<number> => Number(/last change (\d+) s/.exec((await page.getByTestId('book-stale').textContent()) ?? '')?.[1] ?? '0');
  const first = await age();
  await expect.poll(age).toBeGreaterThan(first);
  await page.screenshot({ path: testInfo.outputPath('stale-book.png') });
  // The resync does not finish: after 15 s the recovery escalates, and the panel says so.
  await expect(row.getByTestId('book')).toContainText(/resubscribing \(escalation 1\)/, { timeout: 90_000 });
});

test('ladder, tape and candles are filled; timeframes switch; screenshots of the main views', async ({ page }, testInfo) => {
  await addSymbol(page, 'BTC-USDT');
  const ladderRows = page.getByTestId('ladder').locator('tr.level');
  await expect.poll(async () => ladderRows.count()).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('spread')).toContainText('Spread');
  await expect.poll(async () => page.getByTestId('tape').locator('tbody tr').count()).toBeGreaterThan(3);
  const chart = page.getByTestId('candle-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
  await expect(chart.locator('canvas').first()).toBeVisible();
  // Exactly one candle is still forming (drawn hollow), and the series has no hole.
  await expect(chart).toHaveAttribute('data-forming', '1');
  await expect(chart).toHaveAttribute('data-gaps', '0');
  await expect(page.getByTestId('depth-chart')).not.toHaveAttribute('data-points', '0');
  await page.screenshot({ path: testInfo.outputPath('main-1m.png') });
  await page.getByRole('region', { name: 'Order book' }).screenshot({ path: testInfo.outputPath('order-book.png') });
  await page.getByRole('region', { name: 'Trades' }).screenshot({ path: testInfo.outputPath('trades.png') });
  await page.getByRole('region', { name: 'Collector health' }).screenshot({ path: testInfo.outputPath('health.png') });

  for (const timeframe of ['5m', '1H', '1D']) {
    await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: timeframe, exact: true }).click();
    await expect(page.getByRole('button', { name: timeframe, exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(chart).toHaveAttribute('data-timeframe', timeframe);
    await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
    await expect(chart).toHaveAttribute('data-forming', '1');
  }
  await page.getByRole('region', { name: 'Candles' }).screenshot({ path: testInfo.outputPath('candles-1D.png') });

  // Each level's depth bar is drawn in proportion to its running total, the deepest shown at full width.
  const bars = await page.getByTestId('ladder').evaluate((ladder) =>
    [...ladder.querySelectorAll('tr.level')].map((row) => {
      const cell = row.querySelector('td.price');
      const bar = row.querySelector('.depth-bar');
      return {
        total: Number((row.querySelector('td:nth-child(3)')?.textContent ?? '').replace(/[^0-9.]/g, '')),
        drawn: (bar?.getBoundingClientRect().width ?? 0) / (cell?.getBoundingClientRect().width ?? 1),
      };
    }),
  );
  const deepest = Math.max(...bars.map((b) => b.total));
  expect(bars.length).toBeGreaterThanOrEqual(20);
  for (const { total, drawn } of bars) expect(drawn).toBeCloseTo(total / deepest, 1);
  expect(Math.max(...bars.map((b) => b.drawn))).toBeCloseTo(1, 2);

  // Grouping by 10 ticks makes coarser price steps.
  await page.getByLabel('Price grouping').selectOption({ index: 3 });
  const prices = (await page.getByTestId('ladder').locator('tr[data-side=bid] td.price').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
  expect(prices.length).toBeGreaterThan(3);
  const step = Number(((prices[0] ?? 0) - (prices[1] ?? 0)).toFixed(6));
  expect(step).toBeGreaterThanOrEqual(1);

  // The size filter hides small prints.
  await page.getByLabel('Minimum trade size').fill('1000000');
  await expect(page.getByTestId('tape').locator('tbody tr')).toHaveCount(0);
});

/** Cells in `selector` whose text does not fit (cut off or ending in an ellipsis). */
async function cutCells(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll((cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => `${cell.textContent ?? ''} (${cell.scrollWidth} > ${cell.clientWidth})`),
    );
}

test('the layout fits 1280×800, 1600×1000 and 2560×1440: nothing cut, nothing overlapping', async ({ page }, testInfo) => {
  await addSymbol(page, 'ETH-USDT');
  await addSymbol(page, 'BTC-USDT-SWAP');
  // The longest venue name too.
  await page.getByLabel('Exchange').selectOption('binance-futures');
  await addSymbol(page, 'BTCUSDT');
  await page.getByLabel('Exchange').selectOption('okx');
  await page.getByTestId('watch-BTC-USDT-SWAP').click();
  await expect.poll(async () => page.getByTestId('tape').locator('tbody tr').count()).toBeGreaterThan(5);
  for (const [width, height] of [
    [1280, 800],
    [1600, 1000],
    [2560, 1440],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect(page.getByTestId('ladder')).toBeVisible();
    // The ladder uses the height it has: more rows on a tall screen, none hidden below the panel.
    const bids = page.getByTestId('ladder').locator('tr[data-side=bid]');
    await expect.poll(async () => bids.count()).toBeGreaterThanOrEqual(height > 1000 ? 20 : 8);
    const clippedDown = await page.getByRole('region', { name: 'Order book' }).evaluate((panel) => panel.scrollHeight - panel.clientHeight);
    expect(clippedDown, `order book height at ${width}px`).toBeLessThanOrEqual(1);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow.x).toBeLessThanOrEqual(0);
    expect(overflow.y).toBeLessThanOrEqual(0);
    for (const name of ['Watchlist', 'Order book', 'Trades', 'Candles']) {
      // Nothing clipped sideways inside the panel (a cut-off column is unreadable), once the
      // workspace has laid its panes out for this window.
      await expect
        .poll(async () => page.getByRole('region', { name }).evaluate((panel) => panel.scrollWidth - panel.clientWidth), {
          message: `${name} content at ${width}px`,
        })
        .toBeLessThanOrEqual(1);
    }
    // No cell cut short: tape times keep their milliseconds, the spread row is whole.
    await expect
      .poll(
        async () => [
          ...(await cutCells(page, '[data-testid=tape] td, [data-testid=tape] th')),
          ...(await cutCells(page, '[data-testid=ladder] td, [data-testid=ladder] th')),
        ],
        { message: `cut cells at ${width}px` },
      )
      .toEqual([]);
    expect(await cutCells(page, '.watch-table td, .watch-table th'), `watchlist at ${width}px`).toEqual([]);
    expect(await page.getByTestId('tape').locator('tbody tr').first().locator('td').last().innerText()).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    // The watchlist shows the 24h column and every remove button inside its panel.
    const watch = await page.getByRole('region', { name: 'Watchlist' }).boundingBox();
    for (const button of await page.getByRole('button', { name: /^Remove / }).all()) {
      const box = await button.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0), `remove button at ${width}px`).toBeLessThanOrEqual((watch?.x ?? 0) + (watch?.width ?? 0));
    }
    // The last tape row is whole, never cut by the panel's edge.
    const tapeBody = await page.locator('.tape-body').boundingBox();
    const lastRow = await page.getByTestId('tape').locator('tbody tr').last().boundingBox();
    expect((lastRow?.y ?? 0) + (lastRow?.height ?? 0), `last tape row at ${width}px`).toBeLessThanOrEqual((tapeBody?.y ?? 0) + (tapeBody?.height ?? 0) + 0.5);
    // Candle bodies at least 3 px wide at this size.
    await expect.poll(async () => Number(await page.getByTestId('candle-chart').getAttribute('data-body-px'))).toBeGreaterThanOrEqual(3);
    for (const name of ['Watchlist', 'Order book', 'Trades', 'Candles', 'Collector health']) {
      const box = await page.getByRole('region', { name }).boundingBox();
      expect(box?.width ?? 0, `${name} at ${width}px`).toBeGreaterThan(150);
      expect((box?.x ?? 0) + (box?.width ?? 0), `${name} at ${width}px`).toBeLessThanOrEqual(width);
    }
    await page.screenshot({ path: testInfo.outputPath(`layout-${width}x${height}.png`) });
  }
});

/** A feed's row, selected: ladder, last price, health, tape and candles are live, and named by venue. */
async function expectLiveFeed(page: Page, row: Locator, heading: string): Promise<void> {
  await row.click();
  await expect(page.getByRole('region', { name: 'Candles' }).getByRole('heading')).toHaveText(heading);
  // Linear and USDⓈ-M quantities are in the base asset, as on the venue: BTC, not contracts.
  await expect(page.getByTestId('ladder').locator('th', { hasText: 'Size (BTC)' })).toBeVisible();
  await expect.poll(async () => page.getByTestId('ladder').locator('tr[data-side=bid]').count()).toBeGreaterThanOrEqual(10);
  const first = await bestPrices(page);
  expect(first.bid).toBeGreaterThan(0);
  expect(first.bid).toBeLessThan(first.ask);
  await expect.poll(async () => (await bestPrices(page)).text).not.toBe(first.text);
  await expect(row.getByTestId('last')).not.toHaveText('—');
  await expect(row.getByTestId('health-dot')).toHaveAttribute('aria-label', 'health running');
  await expect.poll(async () => page.getByTestId('tape').locator('tbody tr').count()).toBeGreaterThan(0);
  // Candles: REST history plus the live kline stream, one forming, no hole.
  const chart = page.getByTestId('candle-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles'))).toBeGreaterThanOrEqual(100);
  await expect(chart).toHaveAttribute('data-forming', '1');
  await expect(chart).toHaveAttribute('data-gaps', '0');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

for (const venue of [
  {
    name: 'Binance',
    spot: { id: 'binance', label: 'BTC/USDT · Binance' },
    perp: { id: 'binance-futures', label: 'BTC/USDT perp · Binance Futures', venue: 'Binance Futures' },
  },
  { name: 'Bybit', spot: { id: 'bybit-spot', label: 'BTC/USDT · Bybit Spot' }, perp: { id: 'bybit', label: 'BTC/USDT perp · Bybit', venue: 'Bybit' } },
]) {
  test(`${venue.name} spot and perpetuals are found by one search beside OKX, stream live books, tape and candles, and are named by venue`, async ({
    page,
  }) => {
    await page.getByLabel('Add symbol').fill('BTC');
    const suggestions = page.getByTestId('suggestions');
    // The same asset on every venue, side by side, named the trader's way.
    for (const name of ['BTC/USDT · OKX', venue.spot.label, venue.perp.label]) {
      await expect(suggestions.getByRole('button', { name: new RegExp(`^${escapeRegExp(name)} `) })).toBeVisible();
    }
    await suggestions.getByRole('button', { name: new RegExp(`^${escapeRegExp(venue.spot.label)} BTCUSDT`) }).click();
    const spot = page.locator(`[data-feed="${venue.spot.id}:BTCUSDT"]`);
    await expect(spot).toBeVisible();
    await expect(spot).toContainText(venue.name);
    // The search is done with once its pick is added: the box is empty for the next one.
    await expect(page.getByLabel('Add symbol')).toHaveValue('');
    await page.getByLabel('Add symbol').fill('BTC');
    await suggestions.getByRole('button', { name: new RegExp(`^${escapeRegExp(venue.perp.label)} BTCUSDT`) }).click();
    const perp = page.locator(`[data-feed="${venue.perp.id}:BTCUSDT"]`);
    await expect(perp).toBeVisible();
    await expectLiveFeed(page, spot, venue.spot.label);
    await expectLiveFeed(page, perp, venue.perp.label);
    await expect(page.getByTestId(`health-${venue.spot.id}:BTCUSDT`)).toBeVisible();
    await expect(page.getByTestId(`health-${venue.perp.id}:BTCUSDT`)).toBeVisible();
    await page.getByRole('button', { name: `Remove BTCUSDT (${venue.perp.venue})` }).click();
    await expect(perp).toHaveCount(0);
    await expect(spot).toBeVisible();
    await page.getByRole('button', { name: `Remove BTCUSDT (${venue.spot.label.split(' · ')[1] ?? ''})` }).click();
    await expect(spot).toHaveCount(0);
  });
}

for (const venue of [
  { name: 'Coinbase', id: 'coinbase', symbol: 'BTC-USD', label: 'BTC/USD · Coinbase', how: 'candles built from trades' },
  { name: 'Kraken', id: 'kraken', symbol: 'BTC/USD', label: 'BTC/USD · Kraken', how: 'a checksum-verified book' },
]) {
  test(`${venue.name} is found by the same search and streams live: ${venue.how}, tape and candles, named by venue`, async ({ page }) => {
    await page.getByLabel('Add symbol').fill('BTC');
    const suggestions = page.getByTestId('suggestions');
    await suggestions.getByRole('button', { name: new RegExp(`^${escapeRegExp(venue.label)} ${escapeRegExp(venue.symbol)}`) }).click();
    const row = page.locator(`[data-feed="${venue.id}:${venue.symbol}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(venue.name);
    await expectLiveFeed(page, row, venue.label);
    await expect(page.getByTestId(`health-${venue.id}:${venue.symbol}`)).toBeVisible();
    await page.getByRole('button', { name: `Remove ${venue.symbol} (${venue.name})` }).click();
    await expect(row).toHaveCount(0);
  });
}

test('a part of the app whose script cannot be loaded says so in its place; the rest keeps running', async ({ browser, baseURL }) => {
  // A page of its own: the failed request and React's report of it belong to this test.
  const context = await browser.newContext(baseURL === undefined ? {} : { baseURL });
  try {
    const page = await context.newPage();
    await page.route(/\/assets\/CandleChart-[^/]+\.js$/, (route) => route.abort());
    await page.goto('/');
    await addSymbol(page, 'BTC-USDT');
    await expect(page.getByTestId('load-failed')).toContainText('The charts could not be loaded');
    await expect(page.getByTestId('load-failed').getByRole('button', { name: 'Reload' })).toBeVisible();
    // The ladder and the tape beside it still stream.
    await expect.poll(async () => page.getByTestId('ladder').locator('tr[data-side=bid]').count()).toBeGreaterThanOrEqual(5);
    await expect(page.getByTestId('tape').locator('tbody tr').first()).toBeVisible();
  } finally {
    await context.close();
  }
});
