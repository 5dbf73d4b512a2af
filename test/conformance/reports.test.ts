// `agent-notes conformance --junit --json`: the reports another project's CI reads, written by the
// real command against a server of ours on 127.0.0.1, one JUnit test case per check.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS, junitReport } from '../../spec/conformance/index.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ users: ['alice'] });
});
afterAll(() => server?.close());

function run(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AGENT_NOTES_PASSWORD: PASSWORD }, stdio: 'ignore' });
    child.once('exit', resolve);
  });
}

describe('[conformance] reports for CI', () => {
  it('[REQ-09][REQ-16] --junit and --json write one entry per check, with what passed, failed and was skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-notes-reports-'));
    const status = await run(['conformance', server.url, '--user', 'alice', '--junit', join(dir, 'junit.xml'), '--json', join(dir, 'report.json')]);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { target: string; passed: number; failed: number; skipped: number; checks: { id: string; status: string }[] };
    expect(json.target).toBe(server.url);
    expect(json.checks.map((check) => check.id)).toEqual(CHECKS.map((check) => check.id));
    expect(status).toBe(json.failed === 0 ? 0 : 1);
    const xml = create(readFileSync(join(dir, 'junit.xml'), 'utf8')).end({ format: 'object' }) as { testsuites: { '@tests': string; '@failures': string; testsuite: { testcase: { '@name': string }[] } } };
    expect(Number(xml.testsuites['@tests'])).toBe(CHECKS.length);
    expect(Number(xml.testsuites['@failures'])).toBe(json.failed);
    expect(xml.testsuites.testsuite.testcase.map((testcase) => testcase['@name'])).toEqual(CHECKS.map((check) => `[${check.rules.join('][')}] ${check.title}`));
  }, 60_000);

  // The few DOM members read here (tsconfig has no DOM lib; xmlbuilder2's node is a DOM document).
  interface XmlDocument { getElementsByTagName(name: string): { getAttribute(name: string): string | null; textContent: string | null }[] }

  it('[REQ-09] a failed check is a JUnit failure carrying its detail, and markup in it is escaped', () => {
    const xml = junitReport('suite', [{ id: 'prm', rules: ['REQ-01'], title: 't', status: 'fail', detail: 'got <html> & "quotes"\nsecond line' }]);
    // Read back through a DOM, which decodes what the writer escaped.
    const failure = (create(xml).node as unknown as XmlDocument).getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('message')).toBe('got <html> & "quotes"');
    expect(failure.textContent).toBe('got <html> & "quotes"\nsecond line');
  });
});
