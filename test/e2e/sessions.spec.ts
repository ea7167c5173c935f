// Recording, replay and export as a trader does them, in Debian Chromium against serve mode.
import { expect, test } from '@playwright/test';
import { connectWebSocket } from '../support/contract-clients.js';

const port = Number(process.env['E2E_PORT'] ?? '18787');

test.beforeEach(async ({ page }) => {
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/api`);
  const list = await client.call('getWatchlist', {});
  if (list.ok) for (const item of list.value) if (item.replayOf === undefined) await client.call('removeSymbol', { id: item.id });
  await client.call('stopReplay', {});
  const sessions = await client.call('listSessions', {});
  if (sessions.ok) for (const s of sessions.value) await client.call('deleteSession', { id: s.id });
  await client.close();
  await page.goto('/');
  await expect(page.getByTestId('connection')).toHaveText(/connected/);
});

test('record a session, replay it labelled as a replay, export it and read its report', async ({ page }, testInfo) => {
  await page.getByLabel('Add symbol').fill('BTC-USDT');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('ladder')).toBeVisible();

  await page.getByRole('tab', { name: 'Sessions' }).click();
  await page.getByLabel('Session name').fill('e2e open');
  await page.getByTestId('record-button').click();
  await expect(page.getByTestId('rec-indicator')).toBeVisible();
  await expect(page.getByTestId('recording-live')).toContainText('REC e2e open');
  await expect
    .poll(async () => Number((await page.getByTestId('recording-live').innerText()).match(/· ([\d,]+) records/)?.[1]?.replace(/,/g, '') ?? 0))
    .toBeGreaterThan(50);
  await page.getByTestId('record-button').click();
  await expect(page.getByTestId('rec-indicator')).toHaveCount(0);
  const row = page.getByTestId('session-e2e open');
  await expect(row.getByTestId('session-state')).toHaveText('complete');

  // The cross-venue views on: a replay is still shown on its own, never mixed with live venues.
  await page.getByRole('region', { name: 'Trades' }).getByRole('button', { name: 'All BTC' }).click();
  await page.getByRole('region', { name: 'Order book' }).getByRole('button', { name: 'All BTC' }).click();
  await expect(page.getByTestId('asset-tape')).toBeVisible();

  // Replay at maximum speed: the replayed feed appears, labelled, with its own valid book.
  await row.getByRole('button', { name: 'Replay max' }).click();
  await expect(page.getByTestId('replay-live')).toContainText('REPLAY e2e open');
  const replayRow = page.locator('.watch-table tr', { hasText: 'REPLAY' });
  await expect(replayRow).toHaveCount(1);
  await replayRow.click();
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('asset-tape')).toHaveCount(0);
  await expect(page.getByTestId('consolidated-ladder')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Trades' }).getByRole('button', { name: 'All BTC' })).toHaveCount(0);
  await expect(page.getByTestId('replay-live')).toContainText('finished', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('replay.png') });
  await page.getByRole('region', { name: 'Sessions' }).getByRole('button', { name: 'Stop replay' }).click();
  await expect(replayRow).toHaveCount(0);

  // Export trades as CSV: the browser gets a download link to a real tardis-layout file.
  await row.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();
  const result = page.getByTestId('export-result');
  await expect(result).toContainText('rows');
  const href = await result.getByRole('link', { name: 'Download' }).getAttribute('href');
  const csv = await (await page.request.get(href ?? '')).text();
  expect(csv.split('\n')[0]).toBe('exchange,symbol,timestamp,local_timestamp,id,side,price,amount');
  expect(csv.split('\n').length).toBeGreaterThan(2);
  await page.getByRole('region', { name: 'Sessions' }).screenshot({ path: testInfo.outputPath('sessions.png') });

  await row.getByRole('button', { name: 'Report' }).click();
  await expect(page.getByTestId('report')).toContainText('okx:BTC-USDT');

  await row.getByRole('button', { name: 'Delete e2e open' }).click();
  await expect(row).toHaveCount(0);
});
