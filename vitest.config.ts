import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Unhandled rejections and uncaught exceptions fail the test they happen in.
    setupFiles: ['test/support/setup.ts'],
    // Safety bounds only: tests wait on events, and a loaded machine is slow, not wrong.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Keep test output readable: the app logs warnings and errors only.
    env: { TICKER_DECK_LOG_LEVEL: process.env['TICKER_DECK_LOG_LEVEL'] ?? 'silent' },
  },
});
