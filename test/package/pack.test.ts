// The package as another project's CI gets it: `npm pack`, then `npm install <tarball>` into an
// empty folder (its dependencies from the registry, the npm cache first), and the installed
// `agent-notes` runs `fuzz` and `conformance` against a server of ours on 127.0.0.1 with no source
// tree around it. The install is the slow part (about 50 s with a cold cache, seconds warm).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let server: TestServer;
let bin: string;
let packed: { filename: string; files: { path: string }[] };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'agent-notes-pack-'));
  // --ignore-scripts: `prepare` would rebuild dist/ in this tree while other test files run the CLI
  // from it. The tarball holds the sources (dist/ is not in `files`), which the installed bin runs through tsx.
  const output = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  packed = (JSON.parse(output) as (typeof packed)[])[0]!;
  const tarball = join(work, packed.filename);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "ci-of-another-project", "private": true }\n');
  execFileSync(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', tarball], { cwd: project, stdio: 'ignore', timeout: 170_000 });
  bin = join(project, 'node_modules', '.bin', 'agent-notes');
  server = await startTestServer({ users: ['alice'] });
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

function installed(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: join(work, 'project'), env: { ...process.env, AGENT_NOTES_PASSWORD: PASSWORD } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stdout }));
  });
}

describe('[package] the npm tarball, installed elsewhere', () => {
  it('[FUZZ-03] holds the sources the command runs and none of the tests, benchmarks or planted bugs', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('src/bin.js');
    expect(paths).toContain('spec/fuzz/run.ts');
    expect(paths).toContain('model/model.ts');
    expect(paths.filter((path) => /^(test|bench)\//.test(path))).toEqual([]);
    // The installed copy is its own, not a link back into this tree.
    expect(realpathSync(bin).startsWith(ROOT)).toBe(false);
  });

  it('[FUZZ-03][FUZZ-02] runs agent-notes fuzz against a local server, JUnit report included', async () => {
    const junit = join(work, 'fuzz.xml');
    const run = await installed(['fuzz', server.url, '--user', 'alice', '--seed', '3', '--budget', '10', '--rate', '500', '--out', join(work, 'found'), '--junit', junit]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^10 runs \(\+0 shrinking\), \d+ steps, \d+ requests in [\d.]+ s, seed 3: 0 MUST divergence\(s\)/m);
    expect(readFileSync(junit, 'utf8')).toContain('name="no MUST divergence from the reference model at');
  }, 60_000);

  it('[FUZZ-03][REQ-09] explains a scenario of the library it ships', async () => {
    const run = await installed(['explain', join(work, 'project', 'node_modules', 'agent-notes', 'spec', 'scenarios', 'ec-18-code-reuse.yaml')]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^ok: \d+ steps, model and core agree, every expectation held$/m);
  }, 60_000);

  it('[FUZZ-03][REQ-09] runs agent-notes conformance against a local server', async () => {
    const run = await installed(['conformance', server.url, '--user', 'alice']);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\d+ passed, 0 failed/);
  }, 60_000);
});
