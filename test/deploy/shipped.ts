// The files in chatgpt-apps/deploy/, read the way the programs that use them read them (systemd,
// the env file, Caddy, nginx), and the tools that check them, found where Debian installs them.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const DEPLOY_DIR = join(REPO, 'chatgpt-apps', 'deploy');
export const GUIDE = join(REPO, 'chatgpt-apps', 'deploy.md');

/** Where the guide installs the code and the settings; the units and the wrapper name the same. */
export const APP_DIR = '/opt/agent-notes';
export const ENV_FILE = '/etc/agent-notes/env';
export const NODE = '/usr/bin/node';

export function shipped(name: string): string {
  return readFileSync(join(DEPLOY_DIR, name), 'utf8');
}

// ----------------------------------------------------------------------------------- systemd

/** A unit file: each section's assignments in order (keys may repeat, as ExecStartPost= may). */
export type Unit = Map<string, [key: string, value: string][]>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: [string, string][] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = [];
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (section === undefined || eq < 0) throw new Error(`not a unit-file line: ${raw}`);
    section.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** Every value of `key` in `section`. */
export function values(unit: Unit, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}

/** The one value of `key` in `section`; throws when it is missing or repeated. */
export function value(unit: Unit, section: string, key: string): string {
  const found = values(unit, section, key);
  if (found.length !== 1) throw new Error(`[${section}] ${key}= appears ${found.length} times`);
  return found[0]!;
}

/** systemd's time spans as used here: `25s`, `3s`, `30min`, or bare seconds. */
export function seconds(span: string): number {
  const match = /^(\d+)\s*(s|sec|min|m)?$/.exec(span);
  if (!match) throw new Error(`not a time span this test reads: ${span}`);
  return Number(match[1]) * (match[2] === 'min' || match[2] === 'm' ? 60 : 1);
}

/** The script of `/bin/sh -c '<script>'`, with systemd's %% and $$ turned into % and $. */
export function shellScript(execLine: string): string {
  const match = /^\/bin\/sh -c '(.*)'$/.exec(execLine);
  if (!match) throw new Error(`not a /bin/sh -c '...' line: ${execLine}`);
  return match[1]!.replaceAll('%%', '%').replaceAll('$$', '$');
}

/** `Environment=A=1 B=2` as pairs (no quoting is used in the shipped units). */
export function environment(unit: Unit): Record<string, string> {
  const pairs = values(unit, 'Service', 'Environment').flatMap((line) => line.split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

// ---------------------------------------------------------------------------------- env file

export interface EnvFile {
  /** The assignments that take effect, in order. */
  set: Record<string, string>;
  /** Every name, set or shown commented out (`#NAME=value`) as an option to uncomment. */
  named: string[];
}

export function parseEnvFile(text: string): EnvFile {
  const set: Record<string, string> = {};
  const named: string[] = [];
  for (const line of text.split('\n')) {
    const active = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    const commented = /^#\s?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (active) set[active[1]!] = active[2]!;
    const name = active?.[1] ?? commented?.[1];
    if (name !== undefined && !named.includes(name)) named.push(name);
  }
  return { set, named };
}

// ------------------------------------------------------------------------------------ tools

/** An executable on PATH or in Debian's sbin directories (nginx and nft live there), if any. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Prints why a check did not run, so a skipped validator is never silent. */
export function skipped(what: string, install: string): void {
  console.warn(`DEPLOY CHECK SKIPPED: ${what} (install it with: ${install})`);
}

/** Everything a child process said, for assertion messages. */
export function output(run: SpawnSyncReturns<string>): string {
  return `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, removed after the file's tests. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-notes-deploy-'));
  scratch.push(dir);
  return dir;
}

// ------------------------------------------------------------------------------------ nginx

/**
 * The shipped site inside a minimal nginx configuration of its own in `dir` (pid, logs, temp
 * paths there too), with a stand-in certificate for `host` in place of certbot's: the path of
 * the configuration. `edit` may change the site first (ports, upstream).
 */
export function nginxSandbox(site: string, dir: string, openssl: string, host: string, edit: (site: string) => string = (text) => text): string {
  const made = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${host}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make a certificate:\n${output(made)}`);
  const local = edit(site)
    .replace(`/etc/letsencrypt/live/${host}/fullchain.pem`, join(dir, 'cert.pem'))
    .replace(`/etc/letsencrypt/live/${host}/privkey.pem`, join(dir, 'key.pem'));
  writeFileSync(join(dir, 'site.conf'), local);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join(' ');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `pid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')};\nevents {}\nhttp {\n  access_log off;\n  ${temp}\n  include ${join(dir, 'site.conf')};\n}\n`);
  return conf;
}
