// What every browser test shares: the world's ports, a clean watchlist before each test, the
// page's console watched for errors (a CSP violation or a React error fails the test), and
// small helpers that act as a trader would.
import { expect, test, type Page } from '@playwright/test';
import type { CommandInput, CommandName, CommandOutputs } from '../../main/contract.js';
import { connectWebSocket } from '../support/contract-clients.js';

export const port = Number(process.env['E2E_PORT'] ?? '18787');
export const simPort = Number(process.env['E2E_SIM_PORT'] ?? '18788');
export const offlinePort = Number(process.env['E2E_OFFLINE_PORT'] ?? '18789');

/** BTC on every venue of the simulators. */
export const BTC_EVERYWHERE = [
  { exchange: 'okx', symbol: 'BTC-USDT' },
  { exchange: 'binance', symbol: 'BTCUSDT' },
  { exchange: 'bybit', symbol: 'BTCUSDT' },
  { exchange: 'coinbase', symbol: 'BTC-USD' },
  { exchange: 'kraken', symbol: 'BTC/USD' },
] as const;

/** One command to the host over its own connection, as another client would send it; a refusal throws. */
export async function callHost<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutputs[K]> {
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/api`);
  try {
    const result = await client.call(command, input);
    if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
    return result.value;
  } finally {
    await client.close();
  }
}

/** Adds these symbols to the watchlist (as another client would). */
export async function watch(entries: readonly { exchange: string; symbol: string }[]): Promise<void> {
  for (const entry of entries) await callHost('addSymbol', entry);
}

export async function clearWatchlist(): Promise<void> {
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/api`);
  await client.call('stopReplay', {});
  const list = await client.call('getWatchlist', {});
  if (list.ok) for (const item of list.value) await client.call('removeSymbol', { id: item.id });
  await client.close();
}

export async function addSymbol(page: Page, symbol: string): Promise<void> {
  await page.getByLabel('Add symbol').fill(symbol);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId(`watch-${symbol}`)).toBeVisible();
}

export async function simFault(kind: string, extra = ''): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${simPort}/sim/fault?kind=${kind}${extra}`, { method: 'POST' });
  expect(response.ok).toBe(true);
}

/**
 * Registers the per-test hooks: a clean world, the UI open and connected, a quiet console. Another
 * host of the world (the cluster's) gives its own page and its own way of cleaning up.
 */
export function useWorld(options: { readonly url?: string; readonly clean?: () => Promise<void> } = {}): void {
  const clean = options.clean ?? clearWatchlist;
  const consoleProblems: string[] = [];
  test.beforeEach(async ({ page }) => {
    await clean();
    consoleProblems.length = 0;
    page.on('console', (message) => {
      if (message.type() === 'error') consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
    await page.goto(options.url ?? '/');
    await expect(page.getByTestId('connection')).toHaveText(/connected/);
  });
  test.afterEach(() => {
    // No CSP violation, no React error, no failed request.
    expect(consoleProblems).toEqual([]);
  });
}
