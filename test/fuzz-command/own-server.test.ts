// `agent-notes fuzz` against agent-notes itself (in this process, on 127.0.0.1): a bounded run
// reaches tokens, rotations, replays and refusals and finds no divergence from the reference model;
// and the command refuses any host but loopback and the ones it is told, before sending anything.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzz, guardedFetch, HostRefused, Pace, prepareTarget, refusal, summary } from '../../spec/fuzz/index.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
let server: TestServer;
beforeAll(async () => {
  // The default redirect policy: no origin trusted beyond the built-in callbacks and loopback.
  server = await startTestServer({ users: ['alice'], env: { TRUSTED_REDIRECT_ORIGINS: '' } });
});
afterAll(() => server?.close());

describe('[fuzz] agent-notes fuzz against agent-notes', () => {
  it('[REQ-09][REQ-16][FUZZ-02] a bounded run over HTTP (120 runs) finds no divergence from the reference model, and reaches deep states', async () => {
    const { target, pace } = await prepareTarget({ url: server.url, username: 'alice', password: PASSWORD, rate: 1000 });
    const result = await fuzz(target, { seed: 16, budget: 120, shrinkBudget: 20, maxSteps: 12 });
    console.log(`agent-notes at ${server.url}: ${summary(result, pace.sent, 16)}`);
    const found = result.findings.map((f) => `${f.divergence.strength} ${f.divergence.rule} ${f.divergence.label}: ${f.divergence.what}`);
    expect(found, 'divergences from the reference model').toEqual([]);
    expect(result.runs).toBe(120);
    // The run is worth something only if it got past registration to tokens, rotations and refusals.
    const reached = [...result.outcomes.keys()];
    for (const answer of ['exchange -> tokens with a refresh token', 'refresh -> tokens with a refresh token', 'exchange !code-replayed -> error invalid_grant (400)', 'register !untrusted-https-origin -> error invalid_redirect_uri (400)']) {
      expect(reached, answer).toContain(answer);
    }
    expect(pace.sent).toBeGreaterThan(result.steps);
  }, 60_000);

  it('[FUZZ-01] only loopback and hosts named with --allow-host may be contacted; the guard refuses the rest before any request', async () => {
    expect(refusal(new URL('http://127.0.0.1:8080/'), [])).toBeUndefined();
    expect(refusal(new URL('http://[::1]:8080/'), [])).toBeUndefined();
    expect(refusal(new URL('http://localhost/'), [])).toBeUndefined();
    expect(refusal(new URL('https://as.example.com/'), [])).toMatch(/refusing to contact as\.example\.com/);
    expect(refusal(new URL('https://as.example.com/'), ['as.example.com'])).toBeUndefined();
    expect(refusal(new URL('http://10.0.0.1/'), [])).toBeDefined();
    let called = 0;
    const fetchSpy = (async () => {
      called += 1;
      return new Response('');
    }) as unknown as typeof fetch;
    const guarded = guardedFetch([], new Pace(1000), fetchSpy);
    await expect(guarded('https://evil.example/')).rejects.toBeInstanceOf(HostRefused);
    expect(called).toBe(0);
    await guarded('http://127.0.0.1:1/');
    expect(called).toBe(1);
  });

  it('[FUZZ-01] requests are spaced to the rate: 11 requests at 100 a second take at least 100 ms', async () => {
    const pace = new Pace(100);
    const started = performance.now();
    for (let i = 0; i < 11; i++) await pace.wait();
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(pace.sent).toBe(11);
  });

  it('[FUZZ-01][OPS-CLI-01] the command refuses a host that is not loopback with one line and exit code 2', () => {
    const run = spawnSync(process.execPath, [BIN, 'fuzz', 'https://as.example.com', '--user', 'alice'], { env: { ...process.env, AGENT_NOTES_PASSWORD: 'x' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['agent-notes: refusing to contact as.example.com: only loopback addresses and hosts named with --allow-host']);
    expect(run.stdout).toBe('');
  }, 30_000);

  it('[FUZZ-01][OPS-CONF-01] a run that cannot go on stops with one line and exit code 2: a rate limit (429) or a refused sign-in', async () => {
    const limited = await startTestServer({ users: ['alice'], env: { RATE_LIMITS: 'on', RATE_LIMIT_REGISTER_PER_IP: '2/1h', TRUSTED_REDIRECT_ORIGINS: '' } });
    try {
      const rateLimited = await cli(['fuzz', limited.url, '--user', 'alice', '--seed', '1', '--budget', '20', '--rate', '1000', '--out', '/nonexistent/never-written'], PASSWORD);
      expect(rateLimited.status).toBe(2);
      expect(rateLimited.stderr).toMatch(/^agent-notes: stopped: POST \/oauth\/register answered 429 \(Retry-After \d+ s\): the server rate-limits the fuzzer; [^\n]*RATE_LIMITS=off\)\n$/);
      const refused = await cli(['fuzz', server.url, '--user', 'alice', '--seed', '1', '--budget', '5', '--rate', '1000', '--out', '/nonexistent/never-written'], 'not the password');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe('agent-notes: stopped: wrong password for alice\n');
    } finally {
      await limited.close();
    }
  }, 60_000);
});

/** The real command as a child, without blocking this process (the server under test runs in it). */
function cli(args: string[], password: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AGENT_NOTES_PASSWORD: password } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}
