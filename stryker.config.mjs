// Stryker over one area of mutation-areas.json, chosen by MUTATION_AREA (default: core); run them
// through `npm run mutation [area]`, which also prints the scores side by side.
import { readFileSync } from 'node:fs';

const areas = JSON.parse(readFileSync(new URL('./mutation-areas.json', import.meta.url), 'utf8'));
const area = process.env.MUTATION_AREA ?? 'core';
if (!Object.hasOwn(areas, area) || area.startsWith('$')) throw new Error(`unknown mutation area "${area}"`);

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: areas[area].mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${area}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${area}/mutation.json` },
  tempDirName: '.stryker-tmp',
};
