// The shipped Caddyfile and nginx site in front of a real `agent-notes serve`, as a client on the
// internet would meet them: https on the proxy, the server behind it on loopback with the
// settings of env.example. Only the ports (free ones on 127.0.0.1) and the certificate (Caddy's
// internal CA, a stand-in for certbot's) differ from what the guide installs.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool, nginxSandbox, parseEnvFile, REPO, scratchDir, shipped, skipped } from './shipped.ts';

const env = parseEnvFile(shipped('env.example'));
const PUBLIC_URL = env.set.PUBLIC_URL!;
const host = new URL(PUBLIC_URL).hostname;
const upstream = `${env.set.HOST}:${env.set.PORT}`;

const caddy = findTool('caddy');
const nginx = findTool('nginx');
const openssl = findTool('openssl');
if (!caddy) skipped('agent-notes behind the shipped Caddyfile', 'apt-get install -y caddy');
if (!nginx || !openssl) skipped('agent-notes behind the shipped nginx site', 'apt-get install -y nginx openssl');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const children: ChildProcess[] = [];

/** Starts `command`, resolving once `ready()` does; its output is kept for failure messages. */
async function start(command: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }, ready: (output: string) => Promise<boolean>): Promise<ChildProcess> {
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`${command[0]} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${command[0]} was not ready within 20 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

afterAll(async () => {
  await Promise.all(children.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** An https request to the proxy on 127.0.0.1:`port`, for `host` (SNI and Host), its stand-in certificate accepted. */
function viaProxy(port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, servername: host, method, path, rejectUnauthorized: false, headers: { Host: host, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const answers = (port: number) => async () => viaProxy(port, 'GET', '/.well-known/oauth-protected-resource/mcp').then((a) => a.status === 200, () => false);

/** What a client finds through the proxy: metadata and the /mcp challenge, all under PUBLIC_URL. */
async function expectDiscoveryUnderPublicUrl(port: number): Promise<void> {
  const resource = await viaProxy(port, 'GET', '/.well-known/oauth-protected-resource/mcp');
  expect(resource.status, resource.body).toBe(200);
  expect(JSON.parse(resource.body)).toMatchObject({ resource: `${PUBLIC_URL}/mcp`, authorization_servers: [PUBLIC_URL] });
  const server = await viaProxy(port, 'GET', '/.well-known/oauth-authorization-server');
  expect(JSON.parse(server.body)).toMatchObject({ issuer: PUBLIC_URL, token_endpoint: `${PUBLIC_URL}/oauth/token` });
  const challenge = await viaProxy(port, 'POST', '/mcp', '{}');
  expect(challenge.status).toBe(401);
  expect(challenge.headers['www-authenticate']).toContain(`resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"`);
}

describe.skipIf(!caddy && !(nginx && openssl))('agent-notes behind the shipped proxies', () => {
  let serverPort = 0;

  beforeAll(async () => {
    serverPort = await freePort();
    const data = join(scratchDir(), 'data');
    await start(
      [process.execPath, join(REPO, 'src', 'bin.js'), 'serve'],
      { env: { ...process.env, ...env.set, PORT: String(serverPort), DATA_DIR: data, LOG_LEVEL: 'warn' } },
      async (output) => output.includes('agent-notes is running at'),
    );
  });

  /** The shipped file's upstream, pointed at this test's server. */
  const toServer = (text: string) => text.replaceAll(upstream, `${env.set.HOST}:${serverPort}`);

  it.skipIf(!caddy)('[DEPLOY-10] through the Caddyfile, discovery and the /mcp challenge name PUBLIC_URL', async () => {
    const [http, https] = [await freePort(), await freePort()];
    const home = scratchDir();
    // Local ports, Caddy's own CA instead of a public one (installed nowhere), no admin endpoint.
    const caddyfile = toServer(shipped('Caddyfile'))
      .replace(/^\{\n/m, `{\n\tadmin off\n\tskip_install_trust\n\thttp_port ${http}\n\thttps_port ${https}\n`)
      .replace(`${host} {\n`, `${host} {\n\ttls internal\n`);
    const file = join(home, 'Caddyfile');
    writeFileSync(file, caddyfile);
    await start([caddy!, 'run', '--config', file, '--adapter', 'caddyfile'], {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') },
    }, answers(https));
    await expectDiscoveryUnderPublicUrl(https);
  });

  it.skipIf(!nginx || !openssl)('[DEPLOY-10] through the nginx site, discovery and the /mcp challenge name PUBLIC_URL', async () => {
    const [http, https] = [await freePort(), await freePort()];
    const dir = scratchDir();
    const conf = nginxSandbox(shipped('nginx.conf'), dir, openssl!, host, (site) =>
      toServer(site)
        .replace(/^\s*listen \[::\]:\d+.*\n/gm, '')
        .replace(/listen 80;/, `listen 127.0.0.1:${http};`)
        .replace(/listen 443 ssl;/, `listen 127.0.0.1:${https} ssl;`),
    );
    await start([nginx!, '-e', join(dir, 'error.log'), '-p', dir, '-c', conf, '-g', 'daemon off; master_process off;'], {}, answers(https));
    await expectDiscoveryUnderPublicUrl(https);
  });
});
