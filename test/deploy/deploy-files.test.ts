// The deploy files in chatgpt-apps/deploy/, as chatgpt-apps/deploy.md installs them: each one
// checked by the program that reads it on the server (systemd-analyze, caddy, nginx, nft) where
// that program is installed, and all of them checked against each other and against the settings
// the server really reads. A validator that is missing is reported, never silently passed.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';
import {
  APP_DIR, DEPLOY_DIR, ENV_FILE, GUIDE, NODE, REPO,
  environment, findTool, nginxSandbox, output, parseEnvFile, parseUnit, scratchDir, seconds, shellScript, shipped, skipped, value, values,
} from './shipped.ts';

const UNITS = ['agent-notes.service', 'agent-notes-backup.service', 'agent-notes-backup.timer'];
const env = parseEnvFile(shipped('env.example'));
const service = parseUnit(shipped('agent-notes.service'));
const backup = parseUnit(shipped('agent-notes-backup.service'));
const publicHost = new URL(env.set.PUBLIC_URL ?? 'missing:').hostname;
const upstream = `${env.set.HOST}:${env.set.PORT}`;

/** `unshare -n` when it works here (root): the check then runs with no network at all. */
const offline: string[] = (() => {
  const unshare = findTool('unshare');
  return unshare !== undefined && spawnSync(unshare, ['-n', 'true']).status === 0 ? [unshare, '-n'] : [];
})();

function run(command: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const [program, ...args] = [...offline, ...command];
  return spawnSync(program!, args, { encoding: 'utf8', timeout: 30_000, ...options });
}

// ----------------------------------------------------------------------------- validators

const systemdAnalyze = findTool('systemd-analyze');
if (!systemdAnalyze) skipped('systemd-analyze verify of the unit files', 'apt-get install -y systemd');

describe.skipIf(!systemdAnalyze)('systemd units', () => {
  /** The units in a scratch directory, the paths of the installed layout pointing into this checkout. */
  function verify(edit: (name: string, text: string) => string = (_, text) => text): { status: number | null; lines: string[]; dir: string } {
    const dir = scratchDir();
    for (const name of UNITS) {
      const text = shipped(name).replaceAll(NODE, process.execPath).replaceAll(APP_DIR, REPO);
      writeFileSync(join(dir, name), edit(name, text));
    }
    const result = spawnSync(systemdAnalyze!, ['verify', '--man=no', ...UNITS.map((name) => join(dir, name))], { encoding: 'utf8', cwd: dir });
    return { status: result.status, lines: output(result).split('\n').filter((line) => line.trim() !== ''), dir };
  }

  it('[DEPLOY-01] systemd-analyze verify accepts the service, the backup service and the timer without a word', () => {
    const { status, lines, dir } = verify();
    const about = lines.filter((line) => line.includes(dir) || UNITS.some((name) => line.includes(name)));
    const other = lines.filter((line) => !about.includes(line));
    if (other.length > 0) console.warn(`systemd-analyze said about other units:\n${other.join('\n')}`);
    expect(about, 'systemd-analyze verify about the shipped units').toEqual([]);
    expect(status, lines.join('\n')).toBe(0);
  });

  it('[DEPLOY-01] the same check fails on a misspelt key and on a missing program', () => {
    const typo = verify((name, text) => (name === 'agent-notes.service' ? text.replace('ProtectHome=yes', 'ProtectHom=yes') : text));
    expect(typo.lines.join('\n')).toMatch(/Unknown key.*ProtectHom/);
    const missing = verify((name, text) => (name === 'agent-notes.service' ? text.replace(`ExecStart=${process.execPath}`, 'ExecStart=/nonexistent/node') : text));
    expect(missing.status).not.toBe(0);
  });
});

const caddy = findTool('caddy');
if (!caddy) skipped('caddy validate of the Caddyfile', 'apt-get install -y caddy');

describe.skipIf(!caddy)('Caddyfile', () => {
  it('[DEPLOY-02] caddy validate accepts the Caddyfile as shipped, with no network and no warning', () => {
    // Caddy keeps its state under HOME and XDG_*: a scratch directory, so nothing is left behind.
    const home = scratchDir();
    const result = run([caddy!, 'validate', '--config', join(DEPLOY_DIR, 'Caddyfile'), '--adapter', 'caddyfile'], {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') },
    });
    const text = output(result);
    expect(result.status, text).toBe(0);
    expect(text).toContain('Valid configuration');
    // "not formatted" and any other warning or error Caddy logs while adapting and provisioning.
    expect(text.split('\n').filter((line) => /"level":"(warn|error)"/.test(line)), text).toEqual([]);
  });
});

const nginx = findTool('nginx');
const openssl = findTool('openssl');
if (!nginx) skipped('nginx -t of the nginx site', 'apt-get install -y nginx');
else if (!openssl) skipped('nginx -t of the nginx site (needs openssl for a stand-in certificate)', 'apt-get install -y openssl');

describe.skipIf(!nginx || !openssl)('nginx site', () => {
  it('[DEPLOY-03] nginx -t accepts the site file inside a minimal nginx configuration, without a warning', () => {
    const dir = scratchDir();
    const conf = nginxSandbox(shipped('nginx.conf'), dir, openssl!, publicHost);
    const result = run([nginx!, '-t', '-e', join(dir, 'error.log'), '-p', dir, '-c', conf]);
    const text = output(result);
    expect(result.status, text).toBe(0);
    expect(text).toContain('test is successful');
    expect(text, 'nginx warnings').not.toMatch(/\[(warn|emerg|alert|crit|error)\]/);
  });
});

const nft = findTool('nft');
if (!nft) skipped('nft -c of nftables.conf', 'apt-get install -y nftables');
else if (offline.length === 0) skipped('nft -c of nftables.conf (it checks inside a private network namespace: needs root and unshare)', 'run the tests as root');

describe('firewall', () => {
  it.skipIf(!nft || offline.length === 0)('[DEPLOY-04] nft -c accepts the ruleset (checked in a network namespace of its own)', () => {
    const result = run([nft!, '-c', '-f', join(DEPLOY_DIR, 'nftables.conf')]);
    expect(result.status, output(result)).toBe(0);
  });

  it('[DEPLOY-04] the ruleset drops by default and opens SSH, HTTP and HTTPS only, never the app port', () => {
    const rules = shipped('nftables.conf').split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(rules.join('\n')).toMatch(/hook input priority filter; policy drop;/);
    const opened = (proto: string) =>
      rules.flatMap((line) => {
        const match = new RegExp(`^\\s*${proto} dport (\\{[^}]*\\}|\\d+) accept`).exec(line);
        return match ? match[1]!.replace(/[{}]/g, '').split(',').map((port) => Number(port.trim())) : [];
      }).sort((a, b) => a - b);
    expect(opened('tcp')).toEqual([22, 80, 443]);
    expect(opened('udp')).toEqual([443]);
    expect(opened('tcp')).not.toContain(Number(env.set.PORT));
  });
});

// ---------------------------------------------------------------------------- consistency

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every variable the server reads: `env.NAME` or `env['NAME']` anywhere in src/, and the names src/config.ts passes to its readers. */
function variablesTheServerReads(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(REPO, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]*)/g)) names.add(match[1]!);
  }
  for (const match of readFileSync(join(REPO, 'src', 'config.ts'), 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g)) names.add(match[1]!);
  return names;
}

describe('the files agree with each other and with the server', () => {
  it('[DEPLOY-05] every variable env.example sets or offers commented out is one the server reads', () => {
    const read = variablesTheServerReads();
    const unknown = env.named.filter((name) => !read.has(name));
    expect(unknown, 'names in env.example that no code reads').toEqual([]);
    for (const name of ['PUBLIC_URL', 'HOST', 'PORT', 'DATA_DIR', 'TRUST_PROXY', 'TRUST_PROXY_ADDRESSES', 'SHUTDOWN_TIMEOUT', 'LOG_LEVEL']) {
      expect(Object.keys(env.set), `env.example sets ${name}`).toContain(name);
    }
  });

  it('[DEPLOY-05] the server reads env.example as the guide means it', () => {
    const config = configFromEnv({ ...env.set });
    expect(config).toMatchObject({ host: '127.0.0.1', port: Number(env.set.PORT), publicUrl: env.set.PUBLIC_URL, dataDir: env.set.DATA_DIR, logLevel: env.set.LOG_LEVEL });
    expect(config.trustProxy, 'TRUST_PROXY=on turns it on').toBe(true);
    expect(config.trustedProxies).toEqual(env.set.TRUST_PROXY_ADDRESSES!.split(',').map((entry) => entry.trim()));
  });

  it('[DEPLOY-05] env.example puts the server on loopback behind a proxy it trusts, at an https origin', () => {
    expect(env.set.HOST).toBe('127.0.0.1');
    expect(env.set.TRUST_PROXY).toBe('on');
    expect(env.set.TRUST_PROXY_ADDRESSES?.split(',')).toContain('127.0.0.1');
    const url = new URL(env.set.PUBLIC_URL!);
    expect(url.protocol).toBe('https:');
    expect(url.origin).toBe(env.set.PUBLIC_URL);
  });

  it('[DEPLOY-05] the service writes exactly the DATA_DIR of env.example, and the backup can reach it', () => {
    const dataDir = env.set.DATA_DIR!;
    expect(value(service, 'Service', 'ReadWritePaths')).toBe(dataDir);
    expect(join('/var/lib', value(service, 'Service', 'StateDirectory'))).toBe(dataDir);
    const backupWrites = value(backup, 'Service', 'ReadWritePaths').split(/\s+/);
    expect(backupWrites).toContain(dataDir);
    expect(backupWrites).toContain(environment(backup).BACKUP_DIR);
  });

  it('[DEPLOY-05] both units and the wrapper name the same settings file, program, user and directory', () => {
    const wrapper = shipped('agent-notes');
    for (const unit of [service, backup]) {
      expect(value(unit, 'Service', 'EnvironmentFile')).toBe(ENV_FILE);
      expect(value(unit, 'Service', 'User')).toBe('agent-notes');
      expect(value(unit, 'Service', 'WorkingDirectory')).toBe(APP_DIR);
    }
    expect(wrapper).toContain(`env_file=\${AGENT_NOTES_ENV:-${ENV_FILE}}`);
    expect(wrapper).toContain(`app_dir=\${AGENT_NOTES_APP:-${APP_DIR}}`);
    expect(wrapper).toContain('service_user=${AGENT_NOTES_USER:-agent-notes}');
    expect(wrapper).toContain(`${NODE} "$app_dir/src/bin.js"`);
    expect(shellScript(value(backup, 'Service', 'ExecStart'))).toContain(`${NODE} ${APP_DIR}/src/bin.js backup `);
  });

  it('[DEPLOY-05] Caddy and nginx proxy to the HOST:PORT of env.example, for the host name of PUBLIC_URL', () => {
    const caddyfile = shipped('Caddyfile').split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(caddyfile.map((line) => line.trim()).filter((line) => line.startsWith('reverse_proxy'))).toEqual([`reverse_proxy ${upstream}`]);
    expect(caddyfile.filter((line) => /^\S.*\{$/.test(line)).map((line) => line.replace(/\s*\{$/, ''))).toEqual([publicHost]);

    const site = shipped('nginx.conf').split('\n').filter((line) => !line.trim().startsWith('#')).map((line) => line.trim());
    expect(site.filter((line) => line.startsWith('proxy_pass'))).toEqual([`proxy_pass http://${upstream};`]);
    expect(site.filter((line) => line.startsWith('server_name'))).toEqual([`server_name ${publicHost};`, `server_name ${publicHost};`]);
    expect(site.filter((line) => line.startsWith('ssl_certificate')).every((line) => line.includes(`/live/${publicHost}/`))).toBe(true);
    for (const header of ['Host $host', 'X-Forwarded-Proto $scheme', 'X-Forwarded-For $remote_addr']) {
      expect(site, `nginx sets ${header}`).toContain(`proxy_set_header ${header};`);
    }
  });

  it('[DEPLOY-05] a stop gets more time than the SHUTDOWN_TIMEOUT that requests in flight may take', () => {
    const stop = seconds(value(service, 'Service', 'TimeoutStopSec'));
    expect(stop).toBeGreaterThanOrEqual(Number(env.set.SHUTDOWN_TIMEOUT) + 10);
    expect(value(service, 'Service', 'KillSignal')).toBe('SIGTERM');
  });
});

describe('the service unit', () => {
  it('[DEPLOY-06] runs `serve` as its own user, restarts on failure and is sandboxed to its data directory', () => {
    expect(value(service, 'Service', 'ExecStart')).toBe(`${NODE} ${APP_DIR}/src/bin.js serve`);
    expect(existsSync(join(REPO, 'src', 'bin.js'))).toBe(true);
    const expected: Record<string, string> = {
      Type: 'simple', User: 'agent-notes', Group: 'agent-notes', Restart: 'on-failure',
      NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', StateDirectoryMode: '0700',
    };
    for (const [key, wanted] of Object.entries(expected)) expect(value(service, 'Service', key), key).toBe(wanted);
    expect(seconds(value(service, 'Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(value(service, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('[DEPLOY-06] leaves out the hardening that would break V8 (MemoryDenyWriteExecute) or the lock\'s look at /proc', () => {
    expect(values(service, 'Service', 'MemoryDenyWriteExecute').filter((v) => v === 'yes' || v === 'true')).toEqual([]);
    expect(values(service, 'Service', 'ProcSubset')).toEqual([]);
    expect(values(service, 'Service', 'ProtectProc')).toEqual([]);
    // The CLI verbs reach the running server over <DATA_DIR>/control.sock.
    expect(value(service, 'Service', 'RestrictAddressFamilies').split(/\s+/)).toContain('AF_UNIX');
  });
});

// ------------------------------------------------------------------------- running the shell

/** A stand-in for src/bin.js that prints what it was started with, or writes the backup it is asked for. */
function fakeApp(): string {
  const app = scratchDir();
  chmodSync(app, 0o755);
  mkdirSync(join(app, 'src'));
  writeFileSync(
    join(app, 'src', 'bin.js'),
    `const [verb, target] = process.argv.slice(2);
if (verb === 'backup') require('node:fs').writeFileSync(target, '{}');
else console.log(JSON.stringify({ argv: process.argv.slice(2), uid: process.getuid(), cwd: process.cwd(), env: process.env }));
`,
  );
  chmodSync(join(app, 'src', 'bin.js'), 0o644);
  return app;
}

const asRoot = process.getuid?.() === 0;
const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
const wrapperUser = asRoot ? (nobody.status === 0 ? 'nobody' : undefined) : userInfo().username;
if (!existsSync(NODE)) skipped(`the agent-notes wrapper (it runs ${NODE})`, 'apt-get install -y nodejs');
else if (wrapperUser === undefined) skipped('the agent-notes wrapper as another user (no user nobody here)', 'useradd nobody');

describe.skipIf(!existsSync(NODE) || wrapperUser === undefined)('the agent-notes wrapper', () => {
  function wrapper(envFile: string, app: string, args: string[]): SpawnSyncReturns<string> {
    return spawnSync('/bin/sh', [join(DEPLOY_DIR, 'agent-notes'), ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AGENT_NOTES_ENV: envFile, AGENT_NOTES_APP: app, AGENT_NOTES_USER: wrapperUser! },
    });
  }

  it('[DEPLOY-07] runs the CLI as the service user, in the app directory, with exactly the settings of env.example', () => {
    const app = fakeApp();
    const envFile = join(app, 'env');
    writeFileSync(envFile, shipped('env.example'));
    chmodSync(envFile, 0o644);
    const result = wrapper(envFile, app, ['user', 'add', 'two words']);
    expect(result.status, output(result)).toBe(0);
    const seen = JSON.parse(result.stdout) as { argv: string[]; uid: number; cwd: string; env: Record<string, string> };
    expect(seen.argv).toEqual(['user', 'add', 'two words']);
    expect(seen.uid).toBe(Number(spawnSync('id', ['-u', wrapperUser!], { encoding: 'utf8' }).stdout.trim()));
    expect(seen.cwd).toBe(app);
    for (const [name, wanted] of Object.entries(env.set)) expect(seen.env[name], name).toBe(wanted);
    for (const name of env.named.filter((n) => !(n in env.set))) expect(seen.env[name], `${name} stays unset`).toBeUndefined();
  });

  it('[DEPLOY-07] reads values as systemd does (quotes removed, nothing expanded) and refuses a line that is not NAME=value', () => {
    const app = fakeApp();
    const envFile = join(app, 'env');
    writeFileSync(envFile, '# a comment\n\nQUOTED="two words"\nSINGLE=\'x\'\nDOLLAR=$HOME\nEQUALS=a=b\n');
    chmodSync(envFile, 0o644);
    const seen = JSON.parse(wrapper(envFile, app, ['--version']).stdout) as { env: Record<string, string> };
    expect([seen.env.QUOTED, seen.env.SINGLE, seen.env.DOLLAR, seen.env.EQUALS]).toEqual(['two words', 'x', '$HOME', 'a=b']);

    writeFileSync(envFile, 'PUBLIC_URL=https://notes.example.com\nexport HOST=0.0.0.0\n');
    const refused = wrapper(envFile, app, ['--version']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('not a NAME=value line: export HOST=0.0.0.0');
  });
});

describe('the backup service', () => {
  it('[DEPLOY-08] names a new backup by date and time, then keeps the newest BACKUP_KEEP and nothing else it made', () => {
    const app = fakeApp();
    const dir = join(scratchDir(), 'backups');
    mkdirSync(dir);
    const keep = Number(environment(backup).BACKUP_KEEP);
    expect(keep).toBeGreaterThan(1);
    const old = Array.from({ length: keep + 1 }, (_, i) => `notes-2020${String(1 + Math.floor(i / 28)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}-031500.json`);
    for (const name of [...old, 'something-else.txt']) writeFileSync(join(dir, name), '{}');

    const shellEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(process.env.TZ ? { TZ: process.env.TZ } : {}), ...environment(backup), BACKUP_DIR: dir };
    const local = (line: string) => shellScript(line).replaceAll(NODE, process.execPath).replaceAll(APP_DIR, app);
    const day = (at: Date) => `${at.getFullYear()}${String(at.getMonth() + 1).padStart(2, '0')}${String(at.getDate()).padStart(2, '0')}`;
    const before = day(new Date());
    const start = spawnSync('/bin/sh', ['-c', local(value(backup, 'Service', 'ExecStart'))], { encoding: 'utf8', env: shellEnv });
    expect(start.status, output(start)).toBe(0);
    const made = readdirSync(dir).filter((name) => !old.includes(name) && name !== 'something-else.txt');
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^notes-\d{8}-\d{6}\.json$/);
    expect([before, day(new Date())]).toContain(made[0]!.slice(6, 14));

    const post = spawnSync('/bin/sh', ['-c', local(value(backup, 'Service', 'ExecStartPost'))], { encoding: 'utf8', env: shellEnv });
    expect(post.status, output(post)).toBe(0);
    const left = readdirSync(dir).sort();
    expect(left.filter((name) => name.startsWith('notes-'))).toEqual([...old.slice(2), made[0]!].sort());
    expect(left).toContain('something-else.txt');
    expect(value(parseUnit(shipped('agent-notes-backup.timer')), 'Timer', 'Unit')).toBe('agent-notes-backup.service');
  });
});

// ---------------------------------------------------------------------------------- guide

describe('the deploy guide', () => {
  const guide = readFileSync(GUIDE, 'utf8');

  it('[DEPLOY-09] every relative link in deploy.md names a file that exists, and every shipped file is linked', () => {
    const links = [...guide.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:/.test(link) && !link.startsWith('#'));
    expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((link) => !existsSync(resolve(dirname(GUIDE), link.replace(/#.*$/, ''))));
    expect(missing, 'links to nothing').toEqual([]);
    const installedFrom = [...guide.matchAll(new RegExp(`${APP_DIR}/chatgpt-apps/deploy/([\\w.-]+)`, 'g'))].map((match) => match[1]!);
    expect(installedFrom.filter((name) => !existsSync(join(DEPLOY_DIR, name))), 'files the commands copy that do not exist').toEqual([]);
    const unlinked = readdirSync(DEPLOY_DIR).filter((name) => !links.includes(`deploy/${name}`));
    expect(unlinked, 'shipped files the guide never links').toEqual([]);
  });
});
