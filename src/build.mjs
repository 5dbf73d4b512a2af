// `npm run build` (run by `npm ci` through `prepare`): the TypeScript compiled to dist/ (types are
// checked by `npm test`, not here), the files it reads beside its modules copied after it, and a
// stamp whose time src/bin.js compares with the sources' to decide whether the build is current.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const at = (path) => new URL(path, root);
rmSync(at('dist'), { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies: src/bin.js then runs the sources through tsx.
  console.log('agent-notes: typescript is not installed, so nothing was compiled; the sources run through tsx');
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', new URL('tsconfig.build.json', root).pathname], { stdio: 'inherit' });
// Every file beside the modules that they read at run time (the stylesheet, the favicon, ...).
for (const entry of readdirSync(at('src'), { withFileTypes: true, recursive: true })) {
  if (!entry.isFile() || /\.(ts|js|mjs)$/.test(entry.name)) continue;
  const from = `${entry.parentPath}/${entry.name}`;
  const to = from.replace(fileURLToPath(at('src')), fileURLToPath(at('dist/src/')));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
}
// The version is read from ../../package.json of src/cli and src/mcp; in dist/ that is this copy.
cpSync(at('package.json'), at('dist/package.json'));
writeFileSync(at('dist/BUILT'), `${new Date().toISOString()}\n`);
