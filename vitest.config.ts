import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Model-based runs take seconds, not milliseconds; their budget is FC_NUM_RUNS, not a timer.
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
