// The liquidity heatmap in Debian Chromium against the loopback simulators: book history drawn
// as colour through time with the trades and the best bid/ask on top, moved with the pointer,
// honest about a stopped feed, and fed by a replay in its recorded time.
import { expect, test, type Page } from '@playwright/test';
import { BTC_EVERYWHERE, callHost, useWorld, watch } from './world.js';

useWorld();

const BTC = BTC_EVERYWHERE;

interface MapState {
  columns: number;
  bubbles: number;
  start: number;
  end: number;
  low: number;
  high: number;
  edge: number;
  following: boolean;
  best: [number, number] | undefined;
}

async function mapState(page: Page): Promise<MapState> {
  return page.getByTestId('heatmap').evaluate((canvas) => {
    const d = (canvas as HTMLCanvasElement).dataset;
    const best = (d['best'] ?? '').split(',').map(Number);
    return {
      columns: Number(d['columns']),
      bubbles: Number(d['bubbles']),
      start: Number(d['start']),
      end: Number(d['end']),
      low: Number(d['low']),
      high: Number(d['high']),
      edge: Number(d['edge']),
      following: d['following'] === 'true',
      best: best.length === 2 && best.every(Number.isFinite) ? [best[0] ?? 0, best[1] ?? 0] : undefined,
    };
  });
}

/** Share of the plot's pixels in a vertical strip (x from `from` to `to`, as fractions of the plot) that are coloured by liquidity, and that are gap stripes. */
async function strip(page: Page, from: number, to: number): Promise<{ heat: number; gap: number }> {
  return page.getByTestId('heatmap').evaluate(
    (canvas, [a, b]) => {
      const c = canvas as HTMLCanvasElement;
      const plotW = c.width - 70;
      const plotH = c.height - 18;
      const x0 = Math.floor(plotW * (a ?? 0));
      const w = Math.max(1, Math.floor(plotW * (b ?? 1)) - x0);
      const data = c.getContext('2d')?.getImageData(x0, 0, w, plotH).data ?? new Uint8ClampedArray();
      let heat = 0;
      let gap = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, bl] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
        if ((r === 0x24 && g === 0x24 && bl === 0x2a) || (r === 0x30 && g === 0x30 && bl === 0x38)) gap += 1;
        else if (!(r === 0x12 && g === 0x16 && bl === 0x1b)) heat += 1;
      }
      const n = data.length / 4 || 1;
      return { heat: heat / n, gap: gap / n };
    },
    [from, to],
  );
}

test('the heatmap draws BTC’s book history with trades and the best bid and ask, zooms, pans and follows the market again', async ({ page }, testInfo) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.getByRole('region', { name: 'Candles' }).getByRole('button', { name: 'Heatmap' }).click();
  const map = page.getByTestId('heatmap');
  await expect(map).toBeVisible();
  // History builds at 10 columns a second; trades appear as bubbles; the bid line under the ask.
  await expect.poll(async () => (await mapState(page)).columns, { timeout: 30_000 }).toBeGreaterThan(30);
  await expect.poll(async () => (await mapState(page)).bubbles, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await mapState(page)).best !== undefined).toBe(true);
  const { best } = await mapState(page);
  expect(best?.[0]).toBeGreaterThan(best?.[1] ?? Number.POSITIVE_INFINITY);
  // The newest part of the map is coloured by resting size, the time before the page had data is not.
  await page.getByRole('group', { name: 'Heatmap span' }).getByRole('button', { name: '1m' }).click();
  await expect.poll(async () => (await strip(page, 0.9, 0.96)).heat, { timeout: 30_000 }).toBeGreaterThan(0.05);
  await expect(page.getByTestId('heatmap-state')).toHaveCount(0);

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(async () => (await strip(page, 0.9, 0.96)).heat).toBeGreaterThan(0.05);
  await page.screenshot({ path: testInfo.outputPath('heatmap-1280x800.png') });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await expect.poll(async () => (await strip(page, 0.9, 0.96)).heat).toBeGreaterThan(0.05);
  await page.screenshot({ path: testInfo.outputPath('heatmap-1600x1000.png') });

  // Wheel zooms time around the pointer; Shift+wheel zooms price; both while still following.
  const box = await map.boundingBox();
  if (box === null) throw new Error('no heatmap box');
  const before = await mapState(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect
    .poll(async () => {
      const s = await mapState(page);
      return s.end - s.start;
    })
    .toBeLessThan((before.end - before.start) * 0.9);
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 300);
  await page.keyboard.up('Shift');
  await expect
    .poll(async () => {
      const s = await mapState(page);
      return s.high - s.low;
    })
    .toBeGreaterThan((before.high - before.low) * 1.1);
  expect((await mapState(page)).following).toBe(true);

  // Dragging right looks back in time and stops following; "Live" returns to the present.
  const span = await mapState(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 200, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await mapState(page)).following).toBe(false);
  const panned = await mapState(page);
  expect(panned.end).toBeLessThan(span.end - (span.end - span.start) * 0.2);
  expect((panned.low + panned.high) / 2).not.toBe((span.low + span.high) / 2);
  // The hovered point reads out.
  await expect(page.getByTestId('heatmap-legend')).toContainText('P ');
  await page.getByRole('button', { name: 'Live', exact: true }).click();
  await expect.poll(async () => (await mapState(page)).following).toBe(true);
  await expect
    .poll(async () => {
      const s = await mapState(page);
      return s.end >= s.edge;
    })
    .toBe(true);

  // Another venue's map has history at once: the page kept every watchlist symbol's.
  await page.locator('[data-feed="binance:BTCUSDT"]').click();
  await expect.poll(async () => (await mapState(page)).columns).toBeGreaterThan(5);
});

test('a stopped feed is striped on the heatmap and named, never drawn as resting liquidity', async ({ page }) => {
  await watch(BTC);
  await page.locator('[data-feed="okx:BTC-USDT"]').click();
  await page.getByRole('region', { name: 'Candles' }).getByRole('button', { name: 'Heatmap' }).click();
  await page.getByRole('group', { name: 'Heatmap span' }).getByRole('button', { name: '1m' }).click();
  await expect.poll(async () => (await strip(page, 0.9, 0.96)).heat, { timeout: 30_000 }).toBeGreaterThan(0.05);
  await callHost('stopCollector', { id: 'okx:BTC-USDT' });
  await expect(page.getByTestId('heatmap-state')).toContainText('stopped');
  // The time since the stop: stripes, not the last book carried on.
  await expect
    .poll(
      async () => {
        const { gap, heat } = await strip(page, 0.93, 0.96);
        return gap > 0.95 && heat < 0.02;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
});

test('a recorded session replays into the heatmap in its recorded time, labelled as a replay', async ({ page }) => {
  await callHost('addSymbol', BTC[0]);
  const sessions = await callHost('listSessions', {});
  for (const s of sessions) await callHost('deleteSession', { id: s.id });
  const meta = await callHost('startRecording', { name: 'heatmap replay' });
  // Five seconds of the market, with its books and trades in the file.
  await expect
    .poll(
      async () => {
        const active = (await callHost('getRecording', {})).active;
        return (active?.counts.records ?? 0) > 200 && Date.now() - meta.startedAt > 5_000;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await callHost('stopRecording', {});
  await callHost('startReplay', { id: meta.id, speed: '1' });
  const replayRow = page.locator('.watch-table tr', { hasText: 'REPLAY' });
  await expect(replayRow).toHaveCount(1);
  await replayRow.click();
  await page.getByRole('region', { name: 'Candles' }).getByRole('button', { name: 'Heatmap' }).click();
  await expect(page.getByTestId('heatmap-state')).toContainText('REPLAY');
  await expect.poll(async () => (await mapState(page)).columns, { timeout: 30_000 }).toBeGreaterThan(10);
  // Its present is the recorded time being played, seconds behind the clock, not now.
  const state = await mapState(page);
  expect(state.edge).toBeGreaterThanOrEqual(meta.startedAt);
  expect(state.edge).toBeLessThan(Date.now() - 3_000);
  await callHost('stopReplay', {});
  await callHost('deleteSession', { id: meta.id });
});
