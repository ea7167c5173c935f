import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Keep test output readable: the app logs warnings and errors only.
    env: { TICKER_DECK_LOG_LEVEL: process.env['TICKER_DECK_LOG_LEVEL'] ?? 'silent' },
  },
});
