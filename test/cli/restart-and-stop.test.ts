// The real `agent-notes serve` in child processes: restarts over a lock left by a crash (with the
// pid now taken by an unrelated process), two servers on one directory, and graceful shutdown with
// requests in flight, bounded by SHUTDOWN_TIMEOUT, cut short by a second signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../kit/child-server.ts';
import { tempDataDir } from '../kit/temp-dir.ts';

const running: ServerProcess[] = [];
const sleepers: ChildProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.kill();
  for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
});

async function serverOn(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const server = await ServerProcess.on(dataDir);
  server.env = env;
  running.push(server);
  return server;
}

/** A live process that has nothing to do with agent-notes, as after a reboot. */
function unrelatedProcess(): number {
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  sleepers.push(sleeper);
  return sleeper.pid!;
}

async function register(base: string, name: string): Promise<string> {
  const response = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

/**
 * A registration whose headers are sent and whose body is held back: the server has the request
 * in flight until `finish` sends the rest. Resolves with the raw HTTP answer.
 */
async function heldRegistration(port: number, name: string): Promise<{ finish(): void; answer: Promise<string>; socket: Socket }> {
  const body = JSON.stringify({ client_name: name, redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' });
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (answer += chunk));
  socket.on('error', () => undefined);
  const ended = new Promise<string>((resolve) => socket.once('close', () => resolve(answer)));
  const half = Math.floor(body.length / 2);
  socket.write(`POST /oauth/register HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`);
  // The server counts it in flight once the headers are read.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return { finish: () => socket.write(body.slice(half)), answer: ended, socket };
}

/** Whether each client is registered: the authorization endpoint sends a known one on to sign-in, and answers an unknown one with an error page. */
async function clientIds(base: string, ids: string[]): Promise<boolean[]> {
  return Promise.all(ids.map(async (id) => {
    const query = new URLSearchParams({ client_id: id, response_type: 'code', redirect_uri: 'http://127.0.0.1:9/cb', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', state: 's' });
    const response = await fetch(`${base}/oauth/authorize?${query}`, { redirect: 'manual' });
    return response.status >= 300 && response.status < 400;
  }));
}

describe('[cli] restarts over a stale lock', () => {
  it('[OPS-LOCK-02] after a crash, a LOCK whose pid now belongs to another live process does not block the restart', async () => {
    const dataDir = await tempDataDir();
    const server = await serverOn(dataDir);
    await server.start();
    const clientId = await register(server.base, 'before the crash');
    await server.kill();

    // What the crashed server left, with its pid reused by an unrelated live process.
    const left = JSON.parse(await readFile(join(dataDir, 'LOCK'), 'utf8')) as { pid: number; startTime: string; bootId: string };
    expect(left.startTime).toMatch(/^\d+$/);
    await writeFile(join(dataDir, 'LOCK'), JSON.stringify({ ...left, pid: unrelatedProcess() }));
    await server.start();
    expect(await clientIds(server.base, [clientId])).toEqual([true]);
    await server.kill();

    // A bare pid, as versions before wrote it, from before the unrelated process started.
    await writeFile(join(dataDir, 'LOCK'), `${unrelatedProcess()}\n`);
    const longAgo = Date.now() / 1000 - 3600;
    await utimes(join(dataDir, 'LOCK'), longAgo, longAgo);
    await server.start();
    expect(await clientIds(server.base, [clientId])).toEqual([true]);
  });

  it('[OPS-LOCK-01] a second live agent-notes on the same directory is refused with one line naming the first', async () => {
    const dataDir = await tempDataDir();
    const first = await serverOn(dataDir);
    await first.start();
    const second = await serverOn(dataDir);
    const run = second.cli(['serve']);
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([`agent-notes: data directory ${dataDir} is in use by process ${first.pid}, another agent-notes (stop it first; only one process may use a data directory)`]);
    expect(first.running).toBe(true);
  });
});

describe('[cli] graceful shutdown', () => {
  it('[OPS-STOP-01] SIGTERM lets a request in flight finish, refuses new connections, flushes, releases the lock and exits 0 with one line', async () => {
    const dataDir = await tempDataDir();
    const server = await serverOn(dataDir);
    await server.start();
    const acknowledged = await register(server.base, 'acknowledged before');
    const held = await heldRegistration(server.port, 'in flight');

    const exit = server.exited();
    server.send('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stopped accepting: a new connection is refused while the held request is still being served.
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(server.port, '127.0.0.1');
      probe.once('connect', () => { probe.destroy(); resolve('accepted'); });
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(server.running).toBe(true);

    held.finish();
    const answer = await held.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    const inFlightId = (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { client_id: string }).client_id;
    expect(await exit).toEqual({ code: 0, signal: null });
    const lines = server.output.split('\n').filter((line) => line.startsWith('agent-notes: stopped'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^agent-notes: stopped on SIGTERM in \d+\.\d s; 1 request\(s\) in flight finished; data flushed and lock released$/);
    expect(existsSync(join(dataDir, 'LOCK'))).toBe(false);
    // Compacted at shutdown: the next start reads a snapshot and an empty journal.
    expect((await readFile(join(dataDir, 'journal.jsonl'))).length).toBe(0);

    await server.start();
    expect(await clientIds(server.base, [acknowledged, inFlightId])).toEqual([true, true]);
  });

  it('[OPS-STOP-01] a request that never completes is cut at SHUTDOWN_TIMEOUT, and the server still exits 0', async () => {
    const dataDir = await tempDataDir();
    const server = await serverOn(dataDir, { SHUTDOWN_TIMEOUT: '1' });
    await server.start();
    const held = await heldRegistration(server.port, 'never finished');
    const started = Date.now();
    expect(await server.signal('SIGINT')).toEqual({ code: 0, signal: null });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(server.output).toMatch(/stopped on SIGINT in \d+\.\d s; 0 request\(s\) in flight finished, 1 cut at SHUTDOWN_TIMEOUT/);
    held.socket.destroy();
  });

  it('[OPS-STOP-02] a second signal exits at once, and everything acknowledged before is there after the restart', async () => {
    const dataDir = await tempDataDir();
    const server = await serverOn(dataDir, { SHUTDOWN_TIMEOUT: '60' });
    await server.start();
    const acknowledged = await Promise.all(Array.from({ length: 5 }, (_, i) => register(server.base, `acknowledged ${i}`)));
    const held = await heldRegistration(server.port, 'held');
    const exit = server.exited();
    server.send('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.running).toBe(true); // waiting for the held request, up to 60 s
    const started = Date.now();
    server.send('SIGTERM');
    const ended = await exit;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ended.code).toBe(1);
    expect(server.output).toContain('agent-notes: second SIGTERM, exiting now (everything acknowledged is already on disk)');
    held.socket.destroy();

    await server.start(); // the lock it left is stale: its process is gone
    expect(await clientIds(server.base, acknowledged)).toEqual(acknowledged.map(() => true));
  });
});
