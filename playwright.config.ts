import { defineConfig } from '@playwright/test';

const port = Number(process.env['E2E_PORT'] ?? '18787');

// Browser tests run in Debian's Chromium (never a downloaded browser) against serve mode and
// the loopback OKX simulator. `npm run build` must have produced out/renderer first.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  // Safety bounds only: every wait is on a condition, and a loaded machine is slow, not wrong.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'node_modules/.bin/tsx test/e2e/server.ts',
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
