// Workspaces in Debian Chromium: the default layout fitting every window, panes added, pinned
// to symbols, moved, resized and removed, layouts saved (surviving a reload), switched,
// exported and imported, the host refusing a bad one, and Ctrl+K symbol search.
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_WORKSPACES } from '../../main/contract.js';
import { BTC_EVERYWHERE, callHost, useWorld, watch } from './world.js';

useWorld();

test.afterEach(async () => {
  await callHost('saveWorkspaces', { state: DEFAULT_WORKSPACES });
});

const BTC = BTC_EVERYWHERE;

interface Box {
  id: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

async function panes(page: Page): Promise<Box[]> {
  return page.getByTestId('workspace').evaluate((workspace) =>
    [...workspace.querySelectorAll<HTMLElement>('.pane')].map((pane) => {
      const r = pane.getBoundingClientRect();
      return { id: pane.dataset['paneId'] ?? '', kind: pane.dataset['paneKind'] ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

async function gridOf(page: Page, id: string): Promise<{ x: number; y: number; w: number; h: number }> {
  const pane = page.locator(`[data-pane-id="${id}"]`);
  const read = async (name: string): Promise<number> => Number(await pane.getAttribute(`data-grid-${name}`));
  return { x: await read('x'), y: await read('y'), w: await read('w'), h: await read('h') };
}

test('the default layout fits 1280×800 and scales to 1600×1000 and 2560×1440: every pane inside the window, none overlapping', async ({ page }, testInfo) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  for (const [width, height] of [
    [1280, 800],
    [1600, 1000],
    [2560, 1440],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect.poll(async () => (await panes(page)).length).toBe(6);
    // The grid has settled on this size: the panel at the bottom ends near the window's bottom.
    await expect
      .poll(async () => {
        const all = await panes(page);
        return Math.max(...all.map((p) => p.y + p.height));
      })
      .toBeGreaterThan(height - 20);
    const all = await panes(page);
    for (const p of all) {
      expect(p.x, p.id).toBeGreaterThanOrEqual(0);
      expect(p.x + p.width, p.id).toBeLessThanOrEqual(width + 0.5);
      expect(p.y + p.height, p.id).toBeLessThanOrEqual(height + 0.5);
    }
    for (const a of all)
      for (const b of all) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;
        expect(overlap, `${a.id} and ${b.id}`).toBe(false);
      }
    // The ladder and the chart grow with the window.
    const book = all.find((p) => p.kind === 'book');
    expect(book?.width ?? 0).toBeGreaterThan(width * 0.18);
    expect(book?.height ?? 0).toBeGreaterThan(height * 0.6);
    if (width !== 2560) await page.screenshot({ path: testInfo.outputPath(`workspace-default-${width}x${height}.png`) });
  }
});

test('panes are added, pinned to symbols side by side, moved, resized and removed; the layout survives a reload', async ({ page }, testInfo) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.getByRole('button', { name: 'Edit layout' }).click();
  // Room for a heatmap where the depth chart was, then a second chart pinned to Kraken.
  await page.getByRole('button', { name: 'Remove the Depth pane' }).click();
  await expect(page.locator('[data-pane-kind="depth"]')).toHaveCount(0);
  await page.getByLabel('Add pane').selectOption('heatmap');
  const heatmapPane = page.locator('[data-pane-kind="heatmap"]');
  await expect(heatmapPane).toHaveCount(1);
  expect(await gridOf(page, 'heatmap')).toMatchObject({ x: 5, y: 10 });
  await heatmapPane.getByLabel('Symbol of the Heatmap pane').selectOption('kraken:BTC/USD');
  await expect(heatmapPane.getByTestId('pane-pin')).toContainText('Kraken');
  await expect(heatmapPane.getByTestId('heatmap')).toBeVisible();
  // The selection moves; the pinned pane stays on Kraken, the chart follows the selection.
  await page.locator('[data-feed="binance:BTCUSDT"]').click();
  await expect(heatmapPane.getByTestId('pane-pin')).toContainText('Kraken');
  await expect(page.locator('[data-pane-id="chart"]').locator('h2')).toContainText('Binance');

  // Resize the book narrower from its corner, then move the tape by its grip.
  const book = page.locator('[data-pane-id="book"]');
  const before = await gridOf(page, 'book');
  const handle = book.locator('.react-resizable-handle');
  const hb = await handle.boundingBox();
  if (hb === null) throw new Error('no resize handle');
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x - 120, hb.y - 150, { steps: 10 });
  await page.mouse.up();
  await expect.poll(async () => (await gridOf(page, 'book')).w).toBeLessThan(before.w);
  const resized = await gridOf(page, 'book');
  expect(resized.h).toBeLessThan(before.h);

  // Move the tape left, into the room the book left, by its grip.
  const tapeBefore = await gridOf(page, 'tape');
  const grip = page.locator('[data-pane-id="tape"] .pane-grip');
  const gb = await grip.boundingBox();
  if (gb === null) throw new Error('no grip');
  await page.mouse.move(gb.x + 10, gb.y + gb.height / 2);
  await page.mouse.down();
  await page.mouse.move(gb.x - 120, gb.y + gb.height / 2, { steps: 10 });
  await page.mouse.up();
  await expect.poll(async () => (await gridOf(page, 'tape')).x).toBeLessThan(tapeBefore.x);

  for (const [width, height] of [
    [1280, 800],
    [1600, 1000],
  ] as const) {
    await page.setViewportSize({ width, height });
    // Laid out for this window: the bottom panel reaches its bottom.
    await expect.poll(async () => Math.max(...(await panes(page)).map((p) => p.y + p.height))).toBeGreaterThan(height - 20);
    await page.screenshot({ path: testInfo.outputPath(`workspace-edited-${width}x${height}.png`) });
  }

  // Saved on the host: a reload shows the same layout.
  await expect.poll(async () => (await callHost('getWorkspaces', {})).workspaces[0]?.panes.find((p) => p.id === 'book')?.w).toBe(resized.w);
  await page.reload();
  await expect(page.locator('[data-pane-kind="heatmap"]').getByTestId('pane-pin')).toContainText('Kraken');
  expect(await gridOf(page, 'book')).toEqual(resized);
  await expect(page.locator('[data-pane-kind="depth"]')).toHaveCount(0);
});

test('workspaces are made, switched, exported and imported; a bad import is refused and said', async ({ page }) => {
  await callHost('addSymbol', BTC[0]);
  await page.getByRole('button', { name: 'Edit layout' }).click();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByLabel('Workspace name').fill('Scalping');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Workspace', { exact: true })).toHaveValue('scalping');
  // Its own layout: a consolidated book and an aggregated tape added only here.
  await page.getByLabel('Add pane').selectOption('consolidated');
  await page.getByLabel('Add pane').selectOption('assetTape');
  await expect(page.locator('[data-pane-kind="consolidated"]')).toHaveCount(1);
  await page.getByLabel('Workspace', { exact: true }).selectOption('trading');
  await expect(page.locator('[data-pane-kind="consolidated"]')).toHaveCount(0);
  await page.getByLabel('Workspace', { exact: true }).selectOption('scalping');
  await expect(page.locator('[data-pane-kind="consolidated"]')).toHaveCount(1);
  await expect(page.locator('[data-pane-kind="consolidated"]').getByTestId('consolidated-ladder')).toBeVisible();

  // Export, then import it back as a new workspace with the same panes.
  await page.getByRole('button', { name: 'Export' }).click();
  const text = await page.getByTestId('workspace-json').inputValue();
  expect(JSON.parse(text)).toMatchObject({ format: 'ticker-deck-workspace', version: 1, workspace: { name: 'Scalping' } });
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByLabel('Workspace JSON to import').fill(text);
  await page.getByRole('button', { name: 'Import', exact: true }).last().click();
  await expect(page.getByLabel('Workspace', { exact: true })).toHaveValue('scalping-imported');
  await expect(page.locator('[data-pane-kind="assetTape"]')).toHaveCount(1);
  await expect.poll(async () => (await callHost('getWorkspaces', {})).workspaces.map((w) => w.name)).toEqual(['Trading', 'Scalping', 'Scalping (imported)']);

  // A file whose panes the host cannot accept: refused, said, and the layout unchanged.
  const bad = JSON.stringify({
    format: 'ticker-deck-workspace',
    version: 1,
    workspace: { name: 'Broken', panes: [{ id: 'x', kind: 'teleprinter', symbol: null, x: 0, y: 0, w: 4, h: 4 }], alerts: [] },
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByLabel('Workspace JSON to import').fill(bad);
  await page.getByRole('button', { name: 'Import', exact: true }).last().click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('workspace-problem')).toContainText('Not imported');
  await expect(page.getByTestId('workspace-problem')).toContainText('kind');
  await expect(page.getByLabel('Workspace', { exact: true })).toHaveValue('scalping-imported');
  await expect.poll(async () => (await callHost('getWorkspaces', {})).workspaces).toHaveLength(3);

  // Delete the imported one; the last one cannot be deleted.
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByLabel('Workspace', { exact: true })).not.toHaveValue('scalping-imported');
});

test('Ctrl+K finds a watched symbol and shows it, or adds one from any venue', async ({ page }) => {
  await callHost('addSymbol', BTC[0]);
  await callHost('addSymbol', BTC[4]);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('symbol-palette');
  await expect(palette).toBeVisible();
  await page.getByLabel('Search symbols').fill('kraken');
  await expect(palette.locator('[data-choice="kraken:BTC/USD"]')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.locator('[data-feed="kraken:BTC/USD"]')).toHaveAttribute('aria-selected', 'true');

  // Not in the watchlist yet: found on its venue, added and shown.
  await page.keyboard.press('Control+k');
  await page.getByLabel('Search symbols').fill('ETH-USDT');
  const eth = palette.locator('[data-choice="okx:ETH-USDT"]');
  await expect(eth).toBeVisible();
  await eth.getByRole('button').click();
  await expect(page.locator('[data-feed="okx:ETH-USDT"]')).toHaveAttribute('aria-selected', 'true');
  // Escape closes it without a choice.
  await page.keyboard.press('Control+k');
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);
});
