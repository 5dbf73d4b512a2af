#!/usr/bin/env node
// Entry point of the `agent-notes` command. Runs the JavaScript compiled into dist/ (by `npm ci`,
// through the prepare script) when that build is newer than every source file; otherwise the
// TypeScript sources through tsx, so an edited file is never shadowed by a stale build.
// The compiled server starts faster and holds about 50 MB less (no transpiler, no source maps).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Under a high allocation rate V8 lets the heap grow to several times the live data before a full
// collection: after the bench's tools/list load, 308 MB of heap for 158 MB live and 391 MB
// resident. Growing by at most 25% over the live data kept the same load at 194 MB resident, and
// a server loading 100k grants and notes at 432 MB instead of 597 MB (50%), which a small VPS
// needs more than CPU: tools/list then costs about 1,160 instead of 766 us in the collector's
// favour. V8 reads the factor at every collection, so it can be set here; a value given on the
// command line wins (`node --heap-growing-percent=0 src/bin.js serve` gives V8's own).
const HEAP_GROWING = '--heap-growing-percent';
if (![...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(HEAP_GROWING))) setFlagsFromString(`${HEAP_GROWING}=25`);

const root = new URL('../', import.meta.url);
const built = new URL('dist/BUILT', root);

/** The newest modification time of the sources under `dir`. */
function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|js|mjs|css|json)$/.test(entry.name)) time = Math.max(time, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return time;
}

function buildIsCurrent() {
  if (process.env.AGENT_NOTES_FROM_SOURCE === '1' || !existsSync(built)) return false;
  const stamp = statSync(built).mtimeMs;
  return ['src', 'spec', 'model'].every((dir) => newest(new URL(dir, root)) <= stamp) && statSync(new URL('package.json', root)).mtimeMs <= stamp;
}

if (buildIsCurrent()) {
  await import(new URL('dist/src/cli/main.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli/main.ts');
}
