// A host on a cluster, as a trader uses it in Debian Chromium: a symbol taken from the cluster
// names the node feeding it and that node's health, its book is live although this host cannot
// reach the exchange; a recording kept on the cluster runs, is stopped, reported on (the node,
// nothing missing, nothing dropped by its limits) and exported.
import { expect, test } from '@playwright/test';
import { connectWebSocket } from '../support/contract-clients.js';
import { useWorld } from './world.js';

const clusterPort = Number(process.env['E2E_CLUSTER_PORT'] ?? '18794');
const clusterUrl = `http://127.0.0.1:${clusterPort}/`;

/** The cluster host as it was: no symbols, no sessions (those on the cluster deleted too). */
async function cleanCluster(): Promise<void> {
  const client = await connectWebSocket(`ws://127.0.0.1:${clusterPort}/api`);
  try {
    const recording = await client.call('getRecording', {});
    if (recording.ok && recording.value.clusterActive !== null) await client.call('stopRecording', { id: recording.value.clusterActive.id });
    const list = await client.call('getWatchlist', {});
    if (list.ok) for (const item of list.value) await client.call('removeSymbol', { id: item.id });
    const sessions = await client.call('listSessions', {});
    if (sessions.ok) for (const s of sessions.value) await client.call('deleteSession', { id: s.id });
  } finally {
    await client.close();
  }
}

useWorld({ url: clusterUrl, clean: cleanCluster });
// What a test left on the cluster (a recording, its stream) goes too.
test.afterEach(cleanCluster);

test('a symbol from the cluster shows its node; a recording on the cluster is stopped, reported on and exported', async ({ page }, testInfo) => {
  // From the cluster: the node collects it, this host (whose OKX leads nowhere) shows it live.
  await page.getByLabel('from the cluster').check();
  await page.getByLabel('Add symbol').fill('BTC-USDT');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const row = page.getByTestId('watch-BTC-USDT');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('via-node')).toHaveText('via e2e-node-1');
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-state', 'valid');
  await page.getByRole('tab', { name: 'Health' }).click();
  const via = page.getByTestId('via');
  await expect(via).toHaveText(/via e2e-node-1/);
  // The node's own collector is running: nothing after its name.
  await expect(via).not.toHaveClass(/warn/);
  await page.screenshot({ path: testInfo.outputPath('cluster-feed.png') });

  // A recording on the cluster, under limits of size and age.
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await page.getByLabel('Record on the cluster').check();
  await page.getByLabel('Cluster recording size limit').selectOption({ label: '10.0 GiB' });
  await page.getByLabel('Cluster recording age limit').selectOption({ label: '7 days' });
  await page.getByLabel('Session name').fill('e2e cluster');
  await expect(page.getByTestId('record-button')).toHaveText('● Record on the cluster');
  await page.getByTestId('record-button').click();
  const live = page.getByTestId('cluster-recording-live');
  await expect(live).toContainText('REC on the cluster e2e cluster');
  await expect(live).toContainText('started by');
  await expect.poll(async () => Number((await live.innerText()).match(/· ([\d,]+) records/)?.[1]?.replace(/,/g, '') ?? 0)).toBeGreaterThan(100);
  // One recording of every feed at a time: a second cannot be started meanwhile.
  await expect(page.getByTestId('record-button')).toBeDisabled();
  await live.getByRole('button', { name: 'Stop' }).click();
  await expect(live).toHaveCount(0);
  const session = page.getByTestId('session-e2e cluster');
  await expect(session.getByTestId('session-state')).toHaveText('complete');
  await expect(session.getByText('cluster', { exact: true })).toBeVisible();

  await session.getByRole('button', { name: 'Report' }).click();
  await expect(page.getByTestId('report-cluster')).toContainText('Nothing dropped by the limits.');
  await expect(page.getByTestId('report-cluster')).toContainText('kept at most 10.0 GiB, 7 days');
  const report = page.getByTestId('report');
  await expect(report).toContainText('okx:BTC-USDT');
  await expect(report).toContainText('e2e-node-1');
  await page.getByRole('region', { name: 'Sessions' }).screenshot({ path: testInfo.outputPath('cluster-sessions.png') });

  // Exported from this host, the tardis layout.
  await session.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).last().click();
  const result = page.getByTestId('export-result');
  await expect(result).toContainText('rows');
  const href = await result.getByRole('link', { name: 'Download' }).getAttribute('href');
  const csv = await (await page.request.get(new URL(href ?? '', clusterUrl).toString())).text();
  expect(csv.split('\n')[0]).toBe('exchange,symbol,timestamp,local_timestamp,id,side,price,amount');
  expect(csv.split('\n').length).toBeGreaterThan(2);
});
