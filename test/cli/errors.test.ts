// Bad settings, arguments and environments, as an operator meets them: every verb and `serve`
// answers with one line saying what is wrong and how to fix it, and a non-zero exit code; the
// stack trace only with LOG_LEVEL=debug. And --help and --version on every verb.
import { spawn } from 'node:child_process';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram, version } from '../../src/cli/program.ts';
import { ServerProcess } from '../kit/child-server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real command, asynchronously (so several run at once), with `env` over a clean environment. */
function agentNotes(args: string[], env: NodeJS.ProcessEnv = {}, options: { uid?: number; gid?: number; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const { uid, gid, timeoutMs = 20_000 } = options;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`agent-notes ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Exactly one line on standard error, no stack frame, and a non-zero exit. */
function oneLineFailure(ran: Ran, expected: string | RegExp): void {
  const lines = ran.stderr.trimEnd().split('\n');
  expect(lines, ran.stderr).toHaveLength(1);
  expect(ran.stderr).not.toMatch(/\n\s+at /);
  if (typeof expected === 'string') expect(lines[0]).toBe(expected);
  else expect(lines[0]).toMatch(expected);
  expect(ran.status).not.toBe(0);
  expect(ran.status).not.toBeNull();
}

const blockers: { close(): void }[] = [];
afterEach(() => {
  for (const blocker of blockers.splice(0)) blocker.close();
});

describe('[cli] start-up errors are one line', () => {
  it('[OPS-CLI-01] a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    blockers.push(blocker);
    const { port } = blocker.address() as { port: number };
    const dataDir = await tempDataDir();
    const ran = await agentNotes(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
    oneLineFailure(ran, `agent-notes: 127.0.0.1:${port} is already in use (another agent-notes, or another program); stop it or set PORT to a free port`);
    // The data directory was released: a start on a free port works at once.
    const server = await ServerProcess.on(dataDir);
    await server.start();
    await server.kill();
  });

  it('[OPS-CLI-01] DATA_DIR pointing at a file, and a data directory the process cannot write', async () => {
    const root = await tempDataDir();
    await mkdir(root, { recursive: true });
    const file = join(root, 'a-file');
    await writeFile(file, 'not a directory');
    oneLineFailure(await agentNotes(['serve'], { DATA_DIR: file }), `agent-notes: ${file} is a file, not a directory: point DATA_DIR at a directory`);

    const locked = join(root, 'owned-by-root');
    await mkdir(locked, { mode: 0o700 });
    // As root the mode alone stops nobody, so the server runs as nobody (uid 65534) then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() !== 0) await chmod(locked, 0o500);
    await chmod(root, 0o755);
    const ran = await agentNotes(['serve'], { DATA_DIR: locked, HOME: '/tmp' }, asNobody);
    oneLineFailure(ran, /^agent-notes: (permission denied on \S+: run as the user that owns the data directory|operation not permitted on \S+: run as the user that owns the data directory|data directory \S+ is open to others)/);
  });

  it('[OPS-CLI-01] settings the server does not know: LOG_LEVEL, HOST, TRUST_PROXY, TRUST_PROXY_ADDRESSES, SHUTDOWN_TIMEOUT', async () => {
    const dataDir = await tempDataDir();
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ LOG_LEVEL: 'verbose' }, 'agent-notes: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
      [{ HOST: '999.1.1.1' }, 'agent-notes: HOST must be an IP address of this machine, such as 127.0.0.1 (behind a reverse proxy) or 0.0.0.0 (every interface), or localhost (got "999.1.1.1")'],
      [{ TRUST_PROXY: 'yes' }, 'agent-notes: TRUST_PROXY must be on or off (got "yes")'],
      [{ TRUST_PROXY: 'on', TRUST_PROXY_ADDRESSES: '127.0.0.1,proxy.lan' }, 'agent-notes: TRUST_PROXY_ADDRESSES entries must be IP addresses or CIDR ranges such as 127.0.0.1 or 10.0.0.0/8 (got "proxy.lan")'],
      [{ SHUTDOWN_TIMEOUT: '10s' }, 'agent-notes: SHUTDOWN_TIMEOUT must be a whole number from 0 to 600 (got "10s")'],
    ];
    const runs = await Promise.all(cases.map(([env]) => agentNotes(['serve'], { DATA_DIR: dataDir, ...env })));
    runs.forEach((ran, i) => {
      oneLineFailure(ran, cases[i]![1]);
      expect(ran.status).toBe(2);
    });
  });

  it('[OPS-CLI-01] a bad setting in a CLI verb is one line too (MAX_CLIENTS=10000000 agent-notes user add bob)', async () => {
    oneLineFailure(await agentNotes(['user', 'add', 'bob'], { DATA_DIR: await tempDataDir(), MAX_CLIENTS: '10000000' }), 'agent-notes: MAX_CLIENTS must be a whole number from 1 to 1000000 (got "10000000")');
  });

  it('[OPS-CLI-01] a truncated snapshot and a corrupt keys.json stop start-up with what to do; LOG_LEVEL=debug adds the stack', async () => {
    const dataDir = await tempDataDir();
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(join(dataDir, 'agent-notes.json'), '{"schemaVersion":1,"journalSeq":3,"collections":{"users":{"u1":{"user', { mode: 0o600 });
    oneLineFailure(await agentNotes(['serve'], { DATA_DIR: dataDir }), new RegExp(`^agent-notes: snapshot ${dataDir}/agent-notes\\.json cannot be read \\(.*\\); restore it from a backup`));

    const keysDir = await tempDataDir();
    await mkdir(keysDir, { recursive: true, mode: 0o700 });
    await writeFile(join(keysDir, 'keys.json'), '{"version":1,"keys":[{"kid":"x","d":"SECRET-MATERIAL', { mode: 0o600 });
    const corrupt = await agentNotes(['serve'], { DATA_DIR: keysDir });
    oneLineFailure(corrupt, `agent-notes: ${keysDir}/keys.json: not valid JSON; restore keys.json from a backup, or move it aside to make new keys (every connected app then signs in again) (LOG_LEVEL=debug shows the details)`);
    expect(corrupt.stderr).not.toContain('SECRET-MATERIAL');

    const debug = await agentNotes(['serve'], { DATA_DIR: keysDir, LOG_LEVEL: 'debug' });
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('[cli] usage', () => {
  const VERBS = [[], ['serve'], ['user'], ['user', 'add'], ['user', 'list'], ['user', 'passwd'], ['user', 'remove'], ['user', 'set-email'], ['keys'], ['keys', 'list'], ['keys', 'rotate'], ['client'], ['client', 'add'], ['client', 'list'], ['client', 'remove'], ['backup'], ['restore'], ['export'], ['import'], ['conformance'], ['explain'], ['fuzz'], ['token'], ['demo']];

  /** The command tree in this process, its output caught: what the verb would print, and how it ended. */
  async function inProcess(args: string[]): Promise<{ out: string; code: number | undefined }> {
    let out = '';
    const program = buildProgram({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out, code: undefined };
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      return { out, code: error.exitCode };
    }
  }

  it('[OPS-CLI-02] every verb answers --help and --version and does nothing else', async () => {
    const listed = new Set<string>();
    const walk = (command: Command, words: string[]) => {
      listed.add(words.join(' '));
      for (const sub of command.commands) if (sub.name() !== 'help') walk(sub, [...words, sub.name()]);
    };
    walk(buildProgram(), []);
    expect([...listed].sort()).toEqual(VERBS.map((words) => words.join(' ')).sort()); // no verb left out of this test
    for (const words of VERBS) {
      const help = await inProcess([...words, '--help']);
      expect(help.code, words.join(' ')).toBe(0);
      expect(help.out, words.join(' ')).toContain(`Usage: agent-notes${words.length === 0 ? '' : ` ${words.join(' ')}`}`);
      const shown = await inProcess([...words, '--version']);
      expect(shown.code, words.join(' ')).toBe(0);
      expect(shown.out.trim()).toBe(version);
    }
    // And the real command: `serve --help` prints the usage and starts nothing, not even the data directory.
    const dataDir = await tempDataDir();
    const [serveHelp, addVersion] = await Promise.all([agentNotes(['serve', '--help'], { DATA_DIR: dataDir }), agentNotes(['user', 'add', '--version'], { DATA_DIR: dataDir })]);
    expect([serveHelp.status, addVersion.status]).toEqual([0, 0]);
    expect(serveHelp.stdout).toContain('Usage: agent-notes serve');
    expect(serveHelp.stdout + serveHelp.stderr).not.toContain('agent-notes is running');
    expect(addVersion.stdout.trim()).toBe(version);
    await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('[OPS-CLI-02] unknown verbs, options and extra arguments are usage errors (exit 2), in one line with a pointer to --help', async () => {
    for (const [args, message] of [
      [['bogus'], "agent-notes: unknown command 'bogus' (see --help)"],
      [['demo', 'extra'], "agent-notes: too many arguments for 'demo'. Expected 0 arguments but got 1. (see demo --help)"],
      [['user', 'add'], "agent-notes: missing required argument 'name' (see add --help)"],
      [['keys', 'rotate', '--force'], "agent-notes: unknown option '--force' (see rotate --help)"],
      [['user', 'set-email', 'alice', 'a@b.example', '--colour'], "agent-notes: unknown option '--colour' (Did you mean --clear?) (see set-email --help)"],
    ] as const) {
      const ran = await agentNotes([...args]);
      expect(ran.status, args.join(' ')).toBe(2);
      expect(ran.stderr.trim().split('\n'), args.join(' ')).toEqual([message]);
    }
  });
});
