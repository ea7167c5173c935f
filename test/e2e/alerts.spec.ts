// Alerts in Debian Chromium against the simulators: a large print, a price crossing a level and
// a feed that stops, set in the Alerts tab, fired by the host, shown as toasts, listed, sent
// through the browser's Notification API once allowed, and kept with the workspace.
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_WORKSPACES } from '../../main/contract.js';
import { BTC_EVERYWHERE, callHost, useWorld, watch } from './world.js';

useWorld();

test.afterEach(async () => {
  await callHost('saveWorkspaces', { state: DEFAULT_WORKSPACES });
});

/** The browser's Notification API, replaced before the app loads: permission granted on request, each notification counted. */
const NOTIFICATION_PROBE = `
  window.__notifications = [];
  window.Notification = class {
    static permission = 'default';
    static requestPermission() { window.Notification.permission = 'granted'; return Promise.resolve('granted'); }
    constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
    close() {}
  };
`;

async function addAlert(page: Page, kind: 'price' | 'print' | 'stale', value: string, symbol: string, direction?: 'above' | 'below'): Promise<void> {
  const panel = page.getByRole('region', { name: 'Alerts' });
  await panel.getByLabel('Alert kind').selectOption(kind);
  if (direction !== undefined) await panel.getByLabel('Direction').selectOption(direction);
  await panel.getByLabel(kind === 'price' ? 'Price' : kind === 'print' ? 'Notional' : 'Seconds').fill(value);
  await panel.getByLabel('Alert symbol').selectOption(symbol);
  await panel.getByRole('button', { name: 'Add alert' }).click();
}

test('alerts fire for a large print, a price crossing and a stopped feed: toasts, the fired list, system notifications, kept with the workspace', async ({
  page,
}, testInfo) => {
  await page.addInitScript({ content: NOTIFICATION_PROBE });
  await page.reload();
  // BTC on all five venues.
  await watch(BTC_EVERYWHERE);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.getByRole('tab', { name: 'Alerts' }).click();
  const panel = page.getByRole('region', { name: 'Alerts' });
  await panel.getByRole('button', { name: 'System notifications off' }).click();
  await expect(panel.getByRole('button', { name: 'System notifications on' })).toBeVisible();

  // A draft that is not an alert is refused in words.
  await addAlert(page, 'print', '', 'okx:BTC-USDT');
  await expect(panel.getByTestId('alert-error')).toHaveText('Type a notional greater than zero.');

  // Any print of OKX BTC (notional 1 USDT or more).
  await addAlert(page, 'print', '1', 'okx:BTC-USDT');
  const toasts = page.getByTestId('alert-toasts');
  await expect(toasts.locator('[data-kind="print"]').first()).toContainText(/BTC\/USDT · OKX: (buy|sell) of [\d.]+K? USDT at/, { timeout: 30_000 });
  await expect(panel.getByTestId('fired-alerts').locator('[data-kind="print"]').first()).toBeVisible();
  await expect.poll(async () => page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications.length)).toBeGreaterThan(0);
  const first = await page.evaluate(() => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications[0]);
  expect(first?.title).toBe('Ticker Deck alert');
  expect(first?.body).toMatch(/BTC\/USDT · OKX/);
  // Switched off: that alert stays, but quiet.
  await panel.locator('[data-alert="print-1"]').getByRole('checkbox').uncheck();

  // The price crossing the last price, either way: the market's walk crosses it soon.
  const last = Number((await page.locator('[data-feed="okx:BTC-USDT"] [data-testid="last"]').innerText()).replace(/,/g, ''));
  await addAlert(page, 'price', String(last), 'okx:BTC-USDT', 'above');
  await addAlert(page, 'price', String(last), 'okx:BTC-USDT', 'below');
  await expect(panel.getByTestId('fired-alerts').locator('[data-kind="price"]').first()).toContainText(/crossed (above|below)/, { timeout: 60_000 });

  // Kraken stops: not live for a second is said.
  await addAlert(page, 'stale', '1', 'kraken:BTC/USD');
  await callHost('stopCollector', { id: 'kraken:BTC/USD' });
  await expect(toasts.locator('[data-kind="stale"]')).toContainText(/BTC\/USD · Kraken has not been live for \d+ s \(stopped\)/, { timeout: 30_000 });

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: testInfo.outputPath('alerts-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath('alerts-1600x1000.png') });

  // Kept with the workspace: after a reload the four alerts are there, the print one off.
  await page.reload();
  await page.getByRole('tab', { name: 'Alerts' }).click();
  const rows = page.getByRole('region', { name: 'Alerts' }).getByTestId('alert-list').locator('tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.first().getByRole('checkbox')).not.toBeChecked();
  const saved = await callHost('getWorkspaces', {});
  expect(saved.workspaces[0]?.alerts.map((a) => a.kind)).toEqual(['print', 'price', 'price', 'stale']);
  // Removing one removes it from the workspace.
  await rows.first().getByRole('button').click();
  await expect(rows).toHaveCount(3);
});
