// src/bin.js chooses what to run: the compiled build in dist/ while it is newer than every source,
// the TypeScript sources through tsx otherwise (or when AGENT_NOTES_FROM_SOURCE=1). Tried on a copy
// of the entry point in a tree of stubs, so the real dist/ is never touched while other tests run.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'agent-notes-bin-'));
  for (const dir of ['src/cli', 'spec', 'model', 'dist/src/cli']) mkdirSync(join(root, dir), { recursive: true });
  cpSync(join(REPO, 'src/bin.js'), join(root, 'src/bin.js'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'src/cli/main.ts'), "const from: string = 'the sources'; console.log(from);\n");
  writeFileSync(join(root, 'spec/a.ts'), 'export {};\n');
  writeFileSync(join(root, 'model/a.ts'), 'export {};\n');
  writeFileSync(join(root, 'dist/src/cli/main.js'), "console.log('the build');\n");
  const past = new Date(Date.now() - 60_000);
  for (const file of ['package.json', 'src/bin.js', 'src/cli/main.ts', 'spec/a.ts', 'model/a.ts']) utimesSync(join(root, file), past, past);
  writeFileSync(join(root, 'dist/BUILT'), 'now\n');
  return root;
}

const run = (root: string, env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [join(root, 'src/bin.js')], { env: { ...process.env, AGENT_NOTES_FROM_SOURCE: '', ...env }, encoding: 'utf8' }).stdout.trim();

describe('[OPS-CLI-01] the entry point', () => {
  it('[OPS-CLI-01] runs the compiled build while it is newer than every source', () => {
    expect(run(tree())).toBe('the build');
  });

  it('[OPS-CLI-01] runs the sources through tsx once any of them is newer than the build, or without a build', () => {
    const edited = tree();
    writeFileSync(join(edited, 'spec/a.ts'), 'export const changed = 1;\n');
    const later = new Date(Date.now() + 5_000); // an edit after the build (same-millisecond times are not real)
    utimesSync(join(edited, 'spec/a.ts'), later, later);
    expect(run(edited)).toBe('the sources');
    const unbuilt = tree();
    spawnSync('rm', ['-rf', join(unbuilt, 'dist')]);
    expect(run(unbuilt)).toBe('the sources');
  });

  it('[OPS-CLI-01] AGENT_NOTES_FROM_SOURCE=1 runs the sources even with a current build', () => {
    expect(run(tree(), { AGENT_NOTES_FROM_SOURCE: '1' })).toBe('the sources');
  });
});
