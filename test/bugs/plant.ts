// Proof that the tests bite: plants each of the bugs named in the foundation issue into a scratch
// copy of the repository, runs the test suite there, and reports which test caught it.
// Run with `npm run bugs` (add FC_NUM_RUNS to change the model-run budget).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PlantedBug {
  name: string;
  file: string;
  find: string;
  replace: string;
}

export const bugs: PlantedBug[] = [
  {
    name: 'skip the PKCE check',
    file: 'src/core/exchange.ts',
    find: "if (verifier === undefined || !CODE_VERIFIER.test(verifier) || !hashesEqual(s256(verifier), record.codeChallenge)) {",
    replace: 'if (verifier === "never") {',
  },
  {
    name: 'accept plain',
    file: 'src/core/authorize.ts',
    find: "if (single(params, 'code_challenge_method') !== 'S256')",
    replace: "if (!['S256', 'plain'].includes(single(params, 'code_challenge_method') ?? ''))",
  },
  {
    name: 'let a code be redeemed twice',
    file: 'src/core/exchange.ts',
    find: 'if (record.grantId !== undefined) {',
    replace: 'if (record.grantId === "never") {',
  },
  {
    name: 'widen scope on refresh',
    file: 'src/core/scopes.ts',
    find: 'if (extra !== undefined) return invalidScope',
    replace: 'if (extra === "never") return invalidScope',
  },
  {
    name: 'drop iss from an error response',
    file: 'src/core/redirect.ts',
    find: "  const params: Record<string, string> = { error: error.error, error_description: error.description };\n  if (state !== undefined) params.state = state;\n  params.iss = config.issuer;",
    replace: "  const params: Record<string, string> = { error: error.error, error_description: error.description };\n  if (state !== undefined) params.state = state;\n  void config;",
  },
  {
    name: 'accept a resource other than the canonical one',
    file: 'src/core/resource.ts',
    find: 'if (canonicalResource(value) !== expected) {',
    replace: 'if (canonicalResource(value) === undefined) {',
  },
  {
    name: 'tick keeps expired codes an hour too long',
    file: 'src/core/tick.ts',
    find: "if (now >= code.expiresAt) tx.delete('codes', code.codeHash);",
    replace: "if (now >= code.expiresAt + 3600) tx.delete('codes', code.codeHash);",
  },
  {
    name: 'remembered consent checks only the first requested scope',
    file: 'src/core/consent.ts',
    find: 'if (priorConsentCovers(state, userId, request.clientId, request.scopes))',
    replace: 'if (priorConsentCovers(state, userId, request.clientId, request.scopes.slice(0, 1)))',
  },
  {
    name: 'the redirect policy trusts every https origin',
    file: 'src/core/redirect-policy.ts',
    find: "if (url.protocol === 'https:' && config.trustedRedirectOrigins.includes(url.origin)) return { ok: true };",
    replace: "if (url.protocol === 'https:') return { ok: true };",
  },
  {
    name: 'a client assertion\'s jti may be used again',
    file: 'src/core/client-assertion.ts',
    find: "  if (used && now < used.expiresAt) return invalidClient('this client assertion was already used (jti replay)', false, 'EC-29');",
    replace: "  if (used && now < used.expiresAt - 3600) return invalidClient('this client assertion was already used (jti replay)', false, 'EC-29');",
  },
  {
    name: 'a metadata document\'s redirect URIs skip the redirect policy',
    file: 'src/core/client-document.ts',
    find: 'checkRedirectUris(document, config, config.trustedClientOrigins.includes(new URL(url).origin))',
    replace: 'checkRedirectUris(document, config, true)',
  },
  // Beyond the core: the fetch guard, the consent route, the token verifier, the MCP gate and notes.
  {
    name: 'the fetch guard lets private addresses through',
    file: 'src/clients/address-guard.ts',
    find: "  return parsed.range() === 'unicast';",
    replace: "  return parsed.range() !== 'multicast';",
  },
  {
    name: 'the consent form skips its CSRF check',
    file: 'src/http/web/consent.ts',
    find: 'if (given === undefined || !csrfMatches(session.csrf, given)) {',
    replace: 'if (given === undefined) {',
  },
  {
    name: 'the verifier accepts a token 30 s past its expiry',
    file: 'src/tokens/verify.ts',
    find: 'if (isExpired(claims, at)) {',
    replace: 'if (isExpired(claims, at - 30)) {',
  },
  {
    name: 'the verifier skips liveness for tokens in its cache',
    file: 'src/tokens/verify.ts',
    find: '    if (!isLive(claims, at)) {',
    replace: '    if (cache.get(token) === undefined && !isLive(claims, at)) {',
  },
  {
    name: 'the MCP gate lets one held scope stand for all',
    file: 'src/mcp/gate.ts',
    find: 'return required.every((scope) => held.has(scope));',
    replace: 'return required.some((scope) => held.has(scope)) || held.size > 1;',
  },
  {
    name: 'fetching a note ignores its owner',
    file: 'src/notes/queries.ts',
    find: "  return note?.ownerId === ownerId ? note : undefined;",
    replace: "  return note?.ownerId === ownerId || note !== undefined ? note : undefined;",
  },
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Why a bug cannot be planted in the tree at `dir` (its file or pattern moved), or undefined. */
export function plantProblem(bug: PlantedBug, dir = root): string | undefined {
  let source: string;
  try {
    source = readFileSync(join(dir, bug.file), 'utf8');
  } catch {
    return `cannot plant "${bug.name}": ${bug.file} does not exist`;
  }
  const count = source.split(bug.find).length - 1;
  return count === 1 ? undefined : `cannot plant "${bug.name}": its pattern occurs ${count} times in ${bug.file}, not once`;
}

function runWith(bug: PlantedBug): { caught: boolean; failed: string[]; suites: string[]; seconds: number } {
  const scratch = mkdtempSync(join(tmpdir(), 'agent-notes-bug-'));
  try {
    for (const dir of ['src', 'model', 'spec', 'test']) cpSync(join(root, dir), join(scratch, dir), { recursive: true });
    for (const file of ['package.json', 'tsconfig.json', 'vitest.config.ts']) cpSync(join(root, file), join(scratch, file));
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    const target = join(scratch, bug.file);
    writeFileSync(target, readFileSync(target, 'utf8').replace(bug.find, bug.replace));
    const started = Date.now();
    const run = spawnSync('npx', ['vitest', 'run', '--exclude', 'test/bugs/**', '--reporter=json'], { cwd: scratch, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { testResults: { name: string; assertionResults: { status: string; fullName: string }[] }[] };
    const failing = report.testResults.filter((f) => f.assertionResults.some((a) => a.status === 'failed'));
    const failed = failing.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName));
    // The suite is the test folder (test/core, test/model-based, ...) a failing file lives in.
    const suites = [...new Set(failing.map((f) => /\/test\/([^/]+)\//.exec(f.name)?.[1] ?? f.name))].sort();
    return { caught: run.status !== 0, failed, suites, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `npm run bugs -- refresh` plants only the bugs whose name contains "refresh".
  const filter = process.argv[2];
  const chosen = bugs.filter((bug) => filter === undefined || bug.name.includes(filter));
  const problems = chosen.map((bug) => plantProblem(bug)).filter((problem) => problem !== undefined);
  if (chosen.length === 0) problems.push(`no planted bug is named like "${filter}"`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exit(2);
  }
  let missed = 0;
  for (const bug of chosen) {
    const { caught, failed, suites, seconds } = runWith(bug);
    if (!caught) missed += 1;
    console.log(`${caught ? 'CAUGHT' : 'MISSED'}  ${bug.name}  (${failed.length} failing tests, ${seconds.toFixed(1)} s)`);
    console.log(`          suites: ${suites.join(', ') || 'none'}`);
    const model = failed.filter((name) => name.includes('[model]') || name.includes('[races]'));
    console.log(`          model-based: ${model.length > 0 ? 'caught' : 'not caught'}`);
    for (const name of [...model, ...failed.filter((n) => !model.includes(n))].slice(0, 3)) console.log(`          - ${name.slice(0, 150)}`);
  }
  process.exitCode = missed === 0 ? 0 : 1;
}
