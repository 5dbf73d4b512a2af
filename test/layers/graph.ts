// `npm run layers`: draws the imports between the folders of src/ (and model/) as a mermaid
// flowchart and writes it into README.md between <!-- layers:start --> and <!-- layers:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import { repoRoot, runCruise } from './cruise.ts';

const START = '<!-- layers:start -->';
const END = '<!-- layers:end -->';

const chart = await runCruise(['src', 'model'], {
  overrides: {
    outputType: 'mermaid',
    collapse: '^(model|src/[^/]+)', // one node per folder of src/ (or top-level file), one for model/
    includeOnly: '^(src|model)/', // our own modules; packages and built-ins would crowd the picture
    exclude: '^src/bin\\.js$', // the launcher: it only loads src/cli through tsx
    reporterOptions: { mermaid: { minify: false } },
  },
});

// The reporter draws left to right; top down shows the layers as ARCHITECTURE.md states them.
const picture = String(chart).trim().replace(/^flowchart LR/, 'flowchart TD');

const readmeFile = `${repoRoot}README.md`;
const readme = readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} markers`);
const updated = `${readme.slice(0, start + START.length)}\n\`\`\`mermaid\n${picture}\n\`\`\`\n${readme.slice(end)}`;
writeFileSync(readmeFile, updated);
console.log(updated === readme ? 'README.md: the layers picture is current' : 'README.md: the layers picture is updated');
