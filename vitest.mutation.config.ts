// The tests that judge the pure core, for the mutation run (`npm run mutation`): the example tests
// of src/core and the model-based runs. The HTTP, browser and process suites would only make each
// mutant slower to judge.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/records/**/*.test.ts', 'test/model-based/core-vs-model.test.ts', 'test/races/commit-queue.test.ts'],
    testTimeout: 600_000,
  },
});
