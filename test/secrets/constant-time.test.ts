// Secrets are compared in constant time, or by looking up their hash, never with `===` on the raw
// value: a static check over src/. Every `===`/`!==` whose operands look like a secret (a token,
// code, secret, password, CSRF value, verifier, session) must compare a literal, a length or kind,
// or two hashes; the few exceptions are listed with the reason they leak nothing.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The code without comments (strings stay: a comparison inside a template is still code). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const SECRETISH = /secret|token|csrf|password|verifier|challenge|session|cookie|(^|[^a-z])code($|[^a-z])/i;
/** Not a secret's value: a literal, or a property that describes one (its length, kind, type…). */
const HARMLESS = /^(['"`]|\d|undefined$|null$|true$|false$)|\.(length|kind|type|size|status|method|code_challenge_method|source|authMethod)\)*$/;
const HASHED = /hash/i;
/** A constant's name (ACCESS_TOKEN_ALG) names no secret value. */
const CONSTANT = /^[A-Z][A-Z0-9_]*$/;

function lastName(operand: string): string {
  const names = operand.split(/[.?!\[\]'"`()]+/).filter((name) => name !== '');
  return names[names.length - 1] ?? operand;
}

interface Comparison {
  file: string;
  line: number;
  text: string;
}

/** The `===`/`!==` comparisons of one line of code that compare something secret-looking, as `a === b`. */
function secretComparisonsIn(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/([\w$.?!\]\[)('"`]+)\s*(===|!==)\s*([\w$.?!\][)('"`-]+)/g)) {
    const [left, right] = [match[1]!, match[3]!].map((operand) => operand.replace(/^[(!]+/, '').replace(/[)]+$/, '')) as [string, string];
    // What is compared is the last name of each side: `session.userId` is a user id, not a session.
    const [leftName, rightName] = [lastName(left), lastName(right)];
    if (!SECRETISH.test(leftName) && !SECRETISH.test(rightName)) continue;
    if (HARMLESS.test(left) || HARMLESS.test(right) || CONSTANT.test(leftName) || CONSTANT.test(rightName)) continue;
    if (HASHED.test(leftName) && HASHED.test(rightName)) continue; // two SHA-256 values: equal or not reveals nothing
    found.push(`${left} ${match[2]} ${right}`);
  }
  return found;
}

/** Every secret-looking comparison in src/. */
function secretComparisons(): Comparison[] {
  return sourceFiles(SRC).flatMap((path) =>
    withoutComments(readFileSync(path, 'utf8'))
      .split('\n')
      .flatMap((line, index) => secretComparisonsIn(line).map((text) => ({ file: relative(SRC, path), line: index + 1, text }))),
  );
}

/** Comparisons that look like secrets but compare nothing an attacker could learn from. */
const ALLOWED: Record<string, string> = {
  'accounts/passwords.ts: confirmation !== password': 'the new password against its confirmation, both typed into the same form by the same person',
};

describe('[secrets] constant-time comparisons', () => {
  it('[secrets] the check catches a raw comparison and lets lengths, kinds and hashes pass', () => {
    for (const line of ['if (given === session.csrf) {', 'return client.clientSecret !== secret;', "if (code === record.code && x) ok('y');", 'found = presentedToken === storedToken']) {
      expect(secretComparisonsIn(line), line).toHaveLength(1);
    }
    for (const line of ['left.length === right.length', "presented.kind === 'malformed'", 'session.sessionHash === hash', 'token === undefined', "key['alg'] !== ACCESS_TOKEN_ALG", 'session.userId === user.userId']) {
      expect(secretComparisonsIn(line), line).toEqual([]);
    }
  });

  it('[RFC9700-07][MCP-40] no raw secret is compared with === or !== anywhere in src/', () => {
    const found = secretComparisons();
    const keyed = found.map((c) => `${c.file}: ${c.text}`);
    console.log(`[secrets] ${sourceFiles(SRC).length} source files checked; secret-looking comparisons: ${keyed.length === 0 ? 'none' : keyed.map((k) => `${k} (${ALLOWED[k] ?? 'NOT ALLOWED'})`).join('; ')}`);
    expect(found.filter((c) => !Object.hasOwn(ALLOWED, `${c.file}: ${c.text}`)).map((c) => `${c.file}:${c.line} ${c.text}`)).toEqual([]);
  });

  it('[secrets] the two equality helpers are constant time, and every secret check goes through them', () => {
    const read = (file: string) => readFileSync(join(SRC, file), 'utf8');
    for (const [file, helper] of [['core/secrets.ts', 'hashesEqual'], ['accounts/csrf.ts', 'csrfMatches']] as const) {
      const body = read(file).slice(read(file).indexOf(`export function ${helper}`));
      expect(body.slice(0, body.indexOf('\n}')), `${helper} uses timingSafeEqual`).toMatch(/timingSafeEqual\(/);
    }
    // Client secrets, PKCE verifiers and setup tokens: hashed, then hashesEqual.
    expect(read('core/client-auth.ts')).toMatch(/hashesEqual\(hashSecret\(secret\), client\.secretHash\)/);
    expect(read('core/exchange.ts')).toMatch(/hashesEqual\(s256\(verifier\), record\.codeChallenge\)/);
    expect(read('accounts/setup.ts')).toMatch(/hashesEqual\(record\.tokenHash, hash\)/);
    // CSRF values: csrfMatches wherever a form is accepted.
    for (const file of ['http/web/consent.ts', 'http/web/session.ts', 'http/web/guard.ts']) expect(read(file), file).toMatch(/csrfMatches\(/);
    // Sign-in and setup through session.ts's double-submit check; sign-out through guard.ts's forms.
    for (const file of ['http/web/login.ts', 'http/web/setup.ts']) expect(read(file), file).toMatch(/preSessionCsrfValid\(/);
    expect(read('http/web/sign-out.ts')).toMatch(/pages\.form\(/);
  });

  it('[secrets] codes, refresh tokens and sessions are found by their hash, never by the value', () => {
    const lookups: string[] = [];
    for (const path of sourceFiles(SRC)) {
      const text = withoutComments(readFileSync(path, 'utf8'));
      for (const match of text.matchAll(/(?:tx\.get\('(?:codes|refreshTokens)',\s*|state\.(?:sessions|refreshTokens|codes|setup)\[)([^)\]]+)/g)) {
        lookups.push(`${relative(SRC, path)}: ${match[1]!.trim()}`);
      }
    }
    console.log(`[secrets] lookups of secret-keyed records: ${lookups.join('; ')}`);
    expect(lookups.length).toBeGreaterThan(3);
    expect(lookups.filter((lookup) => !/hash/i.test(lookup.split(': ')[1]!))).toEqual([]);
  });
});
