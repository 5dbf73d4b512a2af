// The tests that judge one mutation area (MUTATION_AREA, see mutation-areas.json): for the core its
// example tests and the model runs; for a shell area the HTTP and MCP suites that exercise it. The
// rest of the suite would only make each mutant slower to judge.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const areas = JSON.parse(readFileSync(new URL('./mutation-areas.json', import.meta.url), 'utf8')) as Record<string, { tests: string[] }>;
const area = areas[process.env.MUTATION_AREA ?? 'core'];
if (!area) throw new Error(`unknown mutation area "${process.env.MUTATION_AREA}"`);

export default defineConfig({
  test: {
    include: area.tests,
    testTimeout: 600_000,
  },
});
