// Hostile requests for every endpoint, as fast-check arbitraries. A request starts from the
// endpoint's own parameters with valid-looking values from the world's pool (so it gets past the
// first checks), then is spoiled: parameters dropped, repeated or replaced by huge, unicode,
// control-character, null-byte, URL-shaped or JWT-shaped values; wrong methods and content types;
// forged cookies and Authorization headers; malformed or deeply nested JSON; random paths.
import fc from 'fast-check';
import { STYLESHEET_URL } from '../../src/ui/layout.ts';
import { HTTPS_REDIRECT, LOOPBACK_REDIRECT, type World } from './http-world.ts';

export interface HostileRequest {
  /** The endpoint the request was aimed at (for the figures), e.g. `POST /oauth/token`. */
  target: string;
  method: string;
  /** Path and query, appended to the server's origin as is. */
  path: string;
  headers: [string, string][];
  body?: string | Uint8Array;
  toString(): string;
}

type Pairs = [string, string][];
type BodyKind = 'form' | 'json' | 'none';

interface Endpoint {
  method: string;
  /** The route; `:id` segments are filled from the pool or spoiled. */
  route: string;
  /** Parameters the endpoint reads (query for GET, body otherwise). */
  params: string[];
  body: BodyKind;
  /** Which cookie the endpoint looks at: the session, or the pre-session CSRF pair. */
  cookie?: 'session' | 'form';
  /** Which credentials it looks at: a bearer token (/mcp) or client authentication. */
  auth?: 'bearer' | 'client';
  /** Plausible values of this endpoint's own, where they differ from other endpoints'. */
  values?: Record<string, string[]>;
  /** A parameter set the endpoint would accept right now (before it is spoiled). */
  valid?: (world: World) => fc.Arbitrary<Pairs>;
}

const latest = (world: World, read: (world: World) => string) => live(() => read(world));

function validAuthorization(world: World): fc.Arbitrary<Pairs> {
  const clientAndRedirect = fc.nat().map((i): [string, string] => {
    const clientId = world.pool.clientIds[i % world.pool.clientIds.length]!;
    const predefined = world.server.config.core.predefinedClients.find((client) => client.clientId === clientId);
    const uris = (predefined ?? world.server.services.queue.state.clients[clientId])?.redirectUris ?? [];
    const uri = uris[i % Math.max(1, uris.length)] ?? '';
    return [clientId, uri.includes('{callback_id}') ? uri.replace('{callback_id}', 'abc123') : uri];
  });
  return fc.tuple(clientAndRedirect, pick(world.pool.challenges, fc.constant('x')), fc.string({ maxLength: 12 }), fc.constantFrom('notes:read', 'notes:read notes:write', 'notes:write offline_access')).map(([[clientId, redirectUri], challenge, state, scope]): Pairs => [
    ['client_id', clientId], ['response_type', 'code'], ['redirect_uri', redirectUri], ['code_challenge', challenge], ['code_challenge_method', 'S256'], ['state', state], ['resource', `${world.base}/mcp`], ['scope', scope],
  ]);
}

const validCodeExchange = (world: World) => live(() => world.latest.code).map((code): Pairs => [['grant_type', 'authorization_code'], ['client_id', world.latest.clientId], ['code', code], ['code_verifier', world.latest.verifier], ['redirect_uri', world.latest.redirectUri]]);
const validRefresh = (world: World) => live(() => world.latest.refreshToken).map((token): Pairs => [['grant_type', 'refresh_token'], ['client_id', world.latest.clientId], ['refresh_token', token]]);
const sessionCsrf = (world: World) => latest(world, (w) => w.session.csrf);
const A_PASSWORD = 'a long enough password';

const OAUTH_PARAMS = ['client_id', 'client_secret', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'resource'];
const NOTE_FIELDS = ['csrf', 'title', 'body', 'tags', 'public', 'intent', 'version'];
const validNote = (world: World) => fc.tuple(sessionCsrf(world), fc.string({ maxLength: 30 }), fc.string({ maxLength: 200 }), fc.constantFrom('', 'a b', 'fuzz, notes'), fc.constantFrom('on', 'off')).map(([csrf, title, body, tags, isPublic]): Pairs => [['csrf', csrf], ['title', title], ['body', body], ['tags', tags], ['public', isPublic]]);
const onlyCsrf = (world: World) => sessionCsrf(world).map((csrf): Pairs => [['csrf', csrf]]);

export const ENDPOINTS: Endpoint[] = [
  { method: 'GET', route: '/.well-known/oauth-authorization-server', params: [], body: 'none' },
  { method: 'GET', route: '/.well-known/oauth-protected-resource', params: [], body: 'none' },
  { method: 'GET', route: '/.well-known/oauth-protected-resource/mcp', params: [], body: 'none' },
  { method: 'GET', route: '/.well-known/openid-configuration', params: [], body: 'none' },
  { method: 'POST', route: '/oauth/register', params: ['redirect_uris', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'scope', 'client_uri', 'logo_uri', 'application_type'], body: 'json' },
  { method: 'GET', route: '/oauth/authorize', params: OAUTH_PARAMS, body: 'none', cookie: 'session', valid: validAuthorization },
  { method: 'POST', route: '/oauth/token', params: ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'client_id', 'client_secret', 'scope', 'resource'], body: 'form', auth: 'client', valid: (world) => fc.oneof(validCodeExchange(world), validRefresh(world)) },
  { method: 'POST', route: '/oauth/revoke', params: ['token', 'token_type_hint', 'client_id', 'client_secret'], body: 'form', auth: 'client', valid: (world) => fc.constantFrom<(w: World) => string>((w) => w.latest.accessToken, (w) => w.latest.refreshToken).chain((read) => latest(world, read)).map((token): Pairs => [['token', token], ['client_id', world.latest.clientId]]) },
  { method: 'GET', route: '/oauth/jwks.json', params: [], body: 'none' },
  { method: 'GET', route: '/login', params: ['return_to'], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/login', params: ['csrf', 'username', 'password', 'return_to'], body: 'form', cookie: 'form', valid: (world) => fc.constant<Pairs>([['csrf', world.formCsrf], ['username', 'alice'], ['password', 'a wrong password'], ['return_to', '/notes']]) },
  { method: 'POST', route: '/logout', params: ['csrf'], body: 'form', cookie: 'session' },
  { method: 'GET', route: '/consent', params: ['request'], body: 'none', cookie: 'session', valid: (world) => latest(world, (w) => w.latest.requestId).map((id): Pairs => [['request', id]]) },
  { method: 'POST', route: '/consent', params: ['csrf', 'request_id', 'decision', 'scope'], body: 'form', cookie: 'session', valid: (world) => fc.tuple(sessionCsrf(world), latest(world, (w) => w.latest.requestId), fc.constantFrom('approve', 'deny'), fc.subarray(['notes:read', 'notes:write'])).map(([csrf, id, decision, scopes]): Pairs => [['csrf', csrf], ['request_id', id], ['decision', decision], ...scopes.map((scope): [string, string] => ['scope', scope])]) },
  { method: 'GET', route: '/setup', params: ['token'], body: 'none', cookie: 'form' },
  // The owner a fuzzed setup may create is never the world's signed-in `alice`.
  { method: 'POST', route: '/setup', params: ['csrf', 'token', 'username', 'password', 'password_confirm'], body: 'form', cookie: 'form', values: { username: ['owner', 'new-owner'] }, valid: (world) => pick(world.pool.setupTokens, fc.constant('no-token')).map((token): Pairs => [['csrf', world.formCsrf], ['token', token], ['username', 'owner'], ['password', A_PASSWORD], ['password_confirm', A_PASSWORD]]) },
  { method: 'GET', route: '/', params: [], body: 'none', cookie: 'session' },
  { method: 'GET', route: STYLESHEET_URL, params: [], body: 'none' },
  { method: 'GET', route: '/notes', params: ['q', 'tag', 'page', 'done'], body: 'none', cookie: 'session' },
  { method: 'GET', route: '/notes/new', params: [], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/notes', params: NOTE_FIELDS, body: 'form', cookie: 'session', valid: validNote },
  { method: 'GET', route: '/notes/:note', params: ['done'], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/notes/:note', params: NOTE_FIELDS, body: 'form', cookie: 'session', valid: validNote },
  { method: 'GET', route: '/notes/:note/edit', params: [], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/notes/:note/public', params: ['csrf', 'public'], body: 'form', cookie: 'session', valid: (world) => fc.tuple(sessionCsrf(world), fc.constantFrom('true', 'false')).map(([csrf, value]): Pairs => [['csrf', csrf], ['public', value]]) },
  { method: 'GET', route: '/notes/:note/delete', params: [], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/notes/:note/delete', params: ['csrf'], body: 'form', cookie: 'session', valid: onlyCsrf },
  { method: 'GET', route: '/p/:public', params: [], body: 'none' },
  { method: 'GET', route: '/apps', params: ['done'], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/apps/:grant/revoke', params: ['csrf'], body: 'form', cookie: 'session', valid: onlyCsrf },
  { method: 'GET', route: '/account', params: ['done'], body: 'none', cookie: 'session' },
  { method: 'POST', route: '/account/password', params: ['csrf', 'current_password', 'new_password', 'new_password_confirm'], body: 'form', cookie: 'session', valid: (world) => sessionCsrf(world).map((csrf): Pairs => [['csrf', csrf], ['current_password', 'a wrong password'], ['new_password', A_PASSWORD], ['new_password_confirm', A_PASSWORD]]) },
  { method: 'POST', route: '/account/signout-everywhere', params: ['csrf'], body: 'form', cookie: 'session' },
  { method: 'POST', route: '/mcp', params: [], body: 'json', auth: 'bearer' },
];

/** A value read when the request is generated (the session is renewed during a run). */
function live(read: () => string): fc.Arbitrary<string> {
  return fc.constant(null).map(read);
}

/** One of `values` as they are when the request is generated (the world adds to them). */
function pick<T>(values: readonly T[], fallback: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.nat().chain((i) => (values.length === 0 ? fallback : fc.constant(values[i % values.length]!)));
}

/** Percent-encodes a value (a path segment, half of Basic credentials); a lone surrogate, which cannot be encoded, becomes U+FFFD. */
function percentEncoded(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Everything a request could carry: the strings parsers and validators trip over. */
export function hostileStrings(world: World): fc.Arbitrary<string> {
  const { pool, base } = world;
  const control = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 12 });
  const withNull = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`);
  const huge = fc
    .tuple(fc.constantFrom('A', 'é', '😀', '%', '\u0000', '&', '=', '"', '<', '[', '{', ' ', '\u202e', '%zz'), fc.oneof(fc.integer({ min: 200, max: 3000 }), fc.integer({ min: 8000, max: 20_000 }), fc.integer({ min: 60_000, max: 100_000 })))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
  const special = fc.constantFrom(
    '', ' ', 'null', 'undefined', 'true', '0', '-1', '1e309', 'NaN', '9007199254740993',
    '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
    '%', '%zz', '%00', '%E0%A4%A', '%ff%fe', '+', '&', '=', '#', '?', '/', '\\', '..', '../..', '\ud800', 'a\udfffb', '\ufeff', '\u202e', '\r\n',
    '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' OR 1=1 --", '${7*7}', '{{7*7}}',
    'S256', 'plain', 'code', 'token', 'authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit',
    'openid', 'offline_access', 'notes:read', 'notes:write', 'notes:read notes:write', 'notes:admin', 'notes:read\u0000notes:write',
    'none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt', 'approve', 'deny', 'preview', 'on', 'off',
    'alice', 'ALICE', 'alice\u0000', 'access_token', 'refresh_token',
  );
  const uris = fc.oneof(
    fc.constantFrom(
      'https://attacker.example/cb', 'http://attacker.example/cb', 'javascript:alert(1)', 'data:text/html,hi', '//attacker.example', '/\\attacker.example', '/\t/attacker.example',
      'https://client.example.attacker.example/oauth/callback', 'https://client.example/oauth/callback/../evil', 'https://client.example/oauth/callback#frag',
      'http://127.0.0.1:1/callback', 'http://localhost:8976/callback', 'http://[::1]:8976/callback', 'http://127.0.0.1:8976/callback/../x', 'http://127.0.0.1:8976/callback?x=1',
      'https://chatgpt.com/connector/oauth/abc', 'https://chatgpt.com/connector/oauth/../../evil', 'https://chatgpt.com/connector/oauth/{callback_id}',
      'https://user:pass@client.example/oauth/callback', 'HTTPS://CLIENT.EXAMPLE/oauth/callback', 'https://client.example:443/oauth/callback',
      'custom-scheme:/cb', 'file:///etc/passwd', `${base}/mcp`, `${base}/mcp/`, base, 'https://evil.example/mcp', `${base}/mcp#x`, `${base}/mcp?x=1`,
    ),
    fc.tuple(fc.constantFrom(...pool.redirectUris), fc.constantFrom('', '/', 'x', '?a=b', '#f', '%2F..', '/../../x', '\u0000', ' ', '.attacker.example')).map(([uri, suffix]) => `${uri}${suffix}`),
  );
  const jwtShaped = fc.oneof(
    fc
      .tuple(
        fc.constantFrom<unknown>({ alg: 'none' }, { alg: 'HS256', typ: 'JWT' }, { alg: 'ES256', typ: 'at+jwt' }, { alg: 'RS256' }, { alg: 'ES256', kid: '../../keys.json' }, { alg: 'ES256', jku: 'https://attacker.example/jwks' }, 'not json', [], null, { alg: '\u0000' }),
        fc.oneof(
          fc.record(
            {
              iss: fc.constantFrom(base, 'https://attacker.example'),
              aud: fc.constantFrom(`${base}/mcp`, 'https://attacker.example/mcp'),
              sub: fc.string({ maxLength: 20 }),
              client_id: pick(pool.clientIds, fc.string()),
              scope: fc.constantFrom('notes:read notes:write', 'notes:admin', ''),
              exp: fc.oneof(fc.integer(), fc.constant(1e308), fc.string({ maxLength: 5 })),
              jti: fc.string({ maxLength: 20 }),
              gid: pick(pool.grantIds, fc.string()),
            },
            { requiredKeys: [] },
          ),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        fc.oneof(fc.constant(''), fc.base64String({ maxLength: 120 }).map((s) => s.replace(/=+$/, '')), pick(pool.accessTokens, fc.constant('a.b.sig')).map((token) => token.split('.')[2] ?? '')),
      )
      .map(([header, payload, signature]) => `${base64url(header)}.${base64url(payload)}.${signature}`),
    fc.tuple(pick(pool.accessTokens, fc.constant('a.b.c')), fc.nat(), fc.constantFrom('A', '.', '-', '_', '=', ' ', '\u0000')).map(([token, at, char]) => `${token.slice(0, at % (token.length + 1))}${char}${token.slice((at % (token.length + 1)) + 1)}`),
    fc.array(fc.base64String({ maxLength: 40 }), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
  );
  const known = fc.oneof(
    fc.constantFrom(pool.clientIds, pool.clientSecrets, pool.codes, pool.verifiers, pool.challenges, pool.accessTokens, pool.refreshTokens, pool.requestIds, pool.grantIds, pool.noteIds, pool.publicIds, pool.setupTokens, pool.redirectUris).chain((values) => pick(values, special)),
    fc.constant(world.formCsrf),
  );
  return fc.oneof(
    { arbitrary: known, weight: 5 },
    { arbitrary: live(() => world.session.csrf), weight: 1 },
    { arbitrary: special, weight: 4 },
    { arbitrary: uris, weight: 2 },
    { arbitrary: jwtShaped, weight: 2 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
    { arbitrary: control, weight: 1 },
    { arbitrary: withNull, weight: 1 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: fc.oneof(fc.integer(), fc.double()).map(String), weight: 1 },
  );
}

/** A value the endpoint would accept for a parameter of this name (or close to it). */
function plausible(world: World, name: string, hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const { pool, base } = world;
  const csrf = fc.oneof(live(() => world.session.csrf), fc.constant(world.formCsrf));
  const byName: Record<string, fc.Arbitrary<string>> = {
    client_id: pick(pool.clientIds, hostile),
    client_secret: pick(pool.clientSecrets, hostile),
    redirect_uri: pick(pool.redirectUris, hostile),
    response_type: fc.constant('code'),
    code_challenge: pick(pool.challenges, hostile),
    code_challenge_method: fc.constant('S256'),
    state: fc.string({ maxLength: 20 }),
    scope: fc.constantFrom('notes:read', 'notes:write', 'notes:read notes:write', 'notes:read offline_access', 'openid notes:read'),
    resource: fc.constant(`${base}/mcp`),
    grant_type: fc.constantFrom('authorization_code', 'refresh_token'),
    code: pick(pool.codes, hostile),
    code_verifier: pick(pool.verifiers, hostile),
    refresh_token: pick(pool.refreshTokens, hostile),
    token: fc.oneof(pick(pool.refreshTokens, hostile), pick(pool.accessTokens, hostile), pick(pool.setupTokens, hostile)),
    token_type_hint: fc.constantFrom('access_token', 'refresh_token'),
    csrf,
    request: pick(pool.requestIds, hostile),
    request_id: pick(pool.requestIds, hostile),
    decision: fc.constantFrom('approve', 'deny'),
    username: fc.constantFrom('alice', 'bob'),
    // Never the real password: a fuzzed password change would lock the world out.
    password: fc.constantFrom('a wrong password', 'short'),
    password_confirm: fc.constantFrom('a wrong password', 'short'),
    current_password: fc.constantFrom('a wrong password'),
    new_password: fc.constantFrom('a new long password'),
    new_password_confirm: fc.constantFrom('a new long password', 'different password'),
    return_to: fc.constantFrom('/notes', '/consent?request=x', '//attacker.example', '/\\attacker.example', 'https://attacker.example'),
    title: fc.string({ maxLength: 30 }),
    body: fc.string({ maxLength: 200 }),
    tags: fc.constantFrom('a, b', 'fuzz', ''),
    public: fc.constantFrom('on', 'true', 'false'),
    intent: fc.constantFrom('preview', 'save'),
    version: fc.nat().map(String),
    q: fc.string({ maxLength: 20 }),
    tag: fc.constantFrom('fuzz', 'notes'),
    page: fc.constantFrom('1', '2', '0', '-1', '99999999999999999999'),
    done: fc.constantFrom('created', 'saved', 'deleted', 'revoked', 'password', 'public', '__proto__'),
  };
  return Object.hasOwn(byName, name) ? fc.oneof({ arbitrary: byName[name]!, weight: 9 }, { arbitrary: hostile, weight: 1 }) : hostile;
}

const GENERIC_NAMES = ['client_id', 'redirect_uri', 'code', 'token', 'state', 'scope', 'csrf', '__proto__', 'constructor', '', 'a[b]', 'a[]', 'x\u0000y', 'é'];

/** Spoils a valid parameter set: a value or two replaced, one dropped, one repeated. */
function spoiled(valid: fc.Arbitrary<Pairs>, hostile: fc.Arbitrary<string>): fc.Arbitrary<Pairs> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), hostile), { maxLength: 2 }), fc.option(fc.nat()), fc.option(fc.nat())).map(([pairs, replacements, dropped, repeated]) => {
    const out: Pairs = pairs.map(([name, value]) => [name, value]);
    for (const [at, value] of replacements) if (out.length > 0) out[at % out.length]![1] = value;
    if (repeated !== null && out.length > 0) out.push([...out[repeated % out.length]!]);
    if (dropped !== null && out.length > 0) out.splice(dropped % out.length, 1);
    return out;
  });
}

/**
 * The endpoint's parameters: a set it would accept, untouched or spoiled, or some of its parameters
 * with plausible or hostile values; plus repeats and strangers.
 */
function parameters(world: World, endpoint: Endpoint, hostile: fc.Arbitrary<string>): fc.Arbitrary<Pairs> {
  const valueFor = (name: string) => (endpoint.values !== undefined && Object.hasOwn(endpoint.values, name) ? fc.oneof({ arbitrary: fc.constantFrom(...endpoint.values[name]!), weight: 9 }, { arbitrary: hostile, weight: 1 }) : plausible(world, name, hostile));
  const names = endpoint.params.length === 0 ? fc.constant<string[]>([]) : fc.oneof({ weight: 2, arbitrary: fc.constant(endpoint.params) }, { weight: 1, arbitrary: fc.subarray(endpoint.params) });
  const some = names.chain((chosen) => fc.tuple(...chosen.map((name) => valueFor(name).map((value): [string, string] => [name, value]))));
  const stranger = fc.oneof(fc.constantFrom(...endpoint.params, ...GENERIC_NAMES), fc.string({ maxLength: 12 }));
  const extra = fc.array(fc.tuple(stranger, hostile), { maxLength: 2 });
  const base = endpoint.valid === undefined ? some : fc.oneof({ weight: 2, arbitrary: endpoint.valid(world) }, { weight: 3, arbitrary: spoiled(endpoint.valid(world), hostile) }, { weight: 2, arbitrary: some });
  return fc.tuple(base, fc.oneof({ weight: 2, arbitrary: fc.constant<Pairs>([]) }, { weight: 1, arbitrary: extra })).map(([a, b]) => [...a, ...b]);
}

function encodePairs(pairs: Pairs): string {
  return new URLSearchParams(pairs).toString();
}

/** Query or form text: properly encoded, or raw text with broken escapes and stray separators. */
function urlencoded(pairs: fc.Arbitrary<Pairs>): fc.Arbitrary<string> {
  const raw = fc.array(fc.oneof(fc.constantFrom('a=%zz', '=x', 'x', '&&', 'b=%E0%A4', 'c=%00', 'd=1&d=2', 'e=\u00e9', '%3D=%26', 'client_id=&client_id=', 'f[g]=h', '__proto__[x]=1'), fc.string({ maxLength: 10 })), { maxLength: 6 }).map((parts) => parts.join('&'));
  return fc.oneof({ arbitrary: pairs.map(encodePairs), weight: 5 }, { arbitrary: fc.tuple(pairs.map(encodePairs), raw).map(([a, b]) => `${a}&${b}`), weight: 1 }, { arbitrary: raw, weight: 1 });
}

const MALFORMED_JSON = fc.oneof(
  fc.constantFrom('{', '[', '{"a":}', '{"a":1,}', "{'a':1}", 'nul', 'tru', '\u0000', '\ufeff{}', '{"a":"\\u0000"}', '"\\ud800"', '1e99999', '-', '{"a" 1}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', ''),
  fc.integer({ min: 1000, max: 60_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1000, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1000, max: 20_000 }).map((depth) => '['.repeat(depth)),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null').chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
);

/** A value of the right kind most of the time, else hostile text or any JSON. */
function mostly<T>(right: fc.Arbitrary<T>, hostile: fc.Arbitrary<string>, anyJson: fc.Arbitrary<unknown>): fc.Arbitrary<T | string | unknown> {
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: anyJson });
}

/** Client metadata for registration: valid, valid but for one member, or spoiled throughout. */
function registrationJson(world: World, hostile: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const valid = fc.record(
    {
      redirect_uris: fc.array(fc.constantFrom(HTTPS_REDIRECT, LOOPBACK_REDIRECT, 'https://new-client.example/cb', 'http://localhost/callback'), { minLength: 1, maxLength: 3 }),
      client_name: fc.string({ maxLength: 40 }),
      token_endpoint_auth_method: fc.constantFrom('none', 'client_secret_basic', 'client_secret_post'),
      grant_types: fc.constantFrom(['authorization_code'], ['authorization_code', 'refresh_token']),
      response_types: fc.constant(['code']),
      scope: fc.constantFrom('notes:read', 'notes:read notes:write'),
    },
    { requiredKeys: ['redirect_uris'] },
  );
  const members = ['redirect_uris', 'client_name', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'scope', 'client_uri', 'logo_uri', 'application_type', 'jwks_uri', 'software_statement'];
  const oneSpoiled = fc.tuple(valid, fc.constantFrom(...members), fc.oneof(hostile, anyJson, fc.array(hostile, { maxLength: 3 }))).map(([metadata, member, value]) => ({ ...metadata, [member]: value }));
  const uris = fc.array(plausible(world, 'redirect_uri', hostile), { minLength: 1, maxLength: 4 });
  const wild = fc.record(
    {
      redirect_uris: mostly(uris, hostile, anyJson),
      client_name: mostly(fc.string({ maxLength: 40 }), hostile, anyJson),
      token_endpoint_auth_method: mostly(fc.constantFrom('none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'), hostile, anyJson),
      grant_types: mostly(fc.subarray(['authorization_code', 'refresh_token', 'implicit', 'client_credentials', 'password']), hostile, anyJson),
      response_types: mostly(fc.constantFrom(['code'], ['token'], ['code', 'token']), hostile, anyJson),
      scope: mostly(fc.constantFrom('notes:read', 'notes:read notes:write offline_access', 'openid'), hostile, anyJson),
      client_uri: mostly(fc.constantFrom('https://client.example', 'javascript:alert(1)'), hostile, anyJson),
      logo_uri: mostly(fc.constantFrom('https://client.example/logo.png', 'data:image/png;base64,AA'), hostile, anyJson),
      application_type: mostly(fc.constantFrom('web', 'native'), hostile, anyJson),
    },
    { requiredKeys: ['redirect_uris'] },
  );
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: oneSpoiled }, { weight: 2, arbitrary: wild }, { weight: 1, arbitrary: anyJson });
}

/** JSON-RPC for /mcp: calls of every tool with plausible or spoiled arguments, batches, anything else. */
function mcpJson(world: World, hostile: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const id = fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyJson });
  const tool = fc.constantFrom('about', 'search', 'fetch', 'list_notes', 'create_note', 'update_note', 'delete_note', 'no_such_tool', '__proto__');
  const noteId = fc.oneof({ weight: 3, arbitrary: pick(world.pool.noteIds, hostile) }, { weight: 1, arbitrary: hostile });
  const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: hostile });
  const argumentsOf = fc.oneof(
    { weight: 4, arbitrary: fc.record({ id: noteId, query: text, title: text, body: text, tags: fc.oneof(fc.array(text, { maxLength: 5 }), hostile), public: fc.oneof(fc.boolean(), hostile), limit: fc.oneof(fc.integer({ min: -1, max: 200 }), hostile), cursor: hostile, tag: text }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: anyJson },
  );
  const meta = fc.constantFrom<unknown>(undefined, { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' } }, 'x', null);
  const message = fc.oneof(
    { weight: 4, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id, method: fc.constant('tools/call'), params: fc.record({ name: tool, arguments: argumentsOf, _meta: meta }, { requiredKeys: ['name', 'arguments'] }) }, { requiredKeys: ['jsonrpc', 'id', 'method', 'params'] }) },
    { weight: 2, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id, method: fc.constantFrom('initialize', 'tools/list', 'ping', 'notifications/initialized', 'resources/list', 'prompts/list', 'logging/setLevel', 'server/discover'), params: fc.oneof(fc.record({ protocolVersion: fc.constantFrom('2025-06-18', '2025-03-26', '2026-07-28', 'x'), capabilities: fc.constant({}), clientInfo: fc.constant({ name: 'fuzz', version: '1' }), _meta: meta }, { requiredKeys: [] }), anyJson) }, { requiredKeys: ['jsonrpc', 'method'] }) },
    { weight: 1, arbitrary: fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), hostile), id, method: hostile, params: anyJson, result: anyJson, error: anyJson }, { requiredKeys: [] }) },
  );
  return fc.oneof({ weight: 6, arbitrary: message }, { weight: 1, arbitrary: fc.array(message, { maxLength: 4 }) }, { weight: 1, arbitrary: anyJson });
}

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded; charset=latin1', 'application/x-www-form-urlencoded; charset=utf-16',
  'application/x-www-form-urlencoded; charset=nonsense', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16le', 'application/json;charset=koi8-r', 'APPLICATION/JSON',
  'application/jsonx', 'application/vnd.api+json', 'application/merge-patch+json', 'application/jwt', 'text/plain', 'text/html', 'multipart/form-data', 'multipart/form-data; boundary=xyz',
  'application/octet-stream', '*/*', '', ';', 'application/json;;;', 'application/x-www-form-urlencoded, application/json', 'a/b/c', ' application/json ', 'application/json; boundary="\\"',
];

function authorizationHeader(world: World, hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const { pool } = world;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${percentEncoded(id)}:${percentEncoded(secret)}`).toString('base64')}`;
  return fc.oneof(
    fc.constantFrom(...pool.credentials).map(([id, secret]) => basic(id, secret)),
    fc.tuple(pick(pool.clientIds, hostile), hostile).map(([id, secret]) => basic(id, secret)),
    fc.tuple(hostile, hostile).map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`),
    hostile.map((garbage) => `Basic ${garbage}`),
    pick(pool.accessTokens, hostile).map((token) => `Bearer ${token}`),
    hostile.map((garbage) => `Bearer ${garbage}`),
    fc.constantFrom('Bearer', 'Basic', 'Bearer ', 'bearer  x', 'DPoP abc', 'Negotiate YII=', 'Basic Og==', 'Basic =', `Basic ${'A'.repeat(20_000)}`, 'Bearer a b c'),
    hostile,
  );
}

function cookieHeader(world: World, endpoint: Endpoint, hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const session = live(() => `agent-notes-session=${world.session.cookie}`);
  const form = fc.constant(`agent-notes-csrf=${world.formCsrf}`);
  const pair = fc.oneof(
    { weight: 2, arbitrary: session },
    { weight: 2, arbitrary: form },
    { weight: 2, arbitrary: hostile.map((value) => `agent-notes-session=${value}`) },
    { weight: 1, arbitrary: hostile.map((value) => `agent-notes-csrf=${value}`) },
    { weight: 1, arbitrary: fc.tuple(hostile, hostile).map(([name, value]) => `${name}=${value}`) },
    { weight: 1, arbitrary: fc.constantFrom('agent-notes-session', '=', ';;', 'agent-notes-session="quoted"', `__Host-agent-notes-session=${'x'.repeat(300)}`) },
  );
  const own = endpoint.cookie === 'session' ? session : endpoint.cookie === 'form' ? form : undefined;
  const garbage = fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => pairs.join('; '));
  return own === undefined ? garbage : fc.oneof({ weight: 4, arbitrary: own }, { weight: 2, arbitrary: garbage }, { weight: 1, arbitrary: fc.tuple(own, garbage).map(([a, b]) => `${a}; ${b}`) });
}

/**
 * A header value as it could arrive on the wire: UTF-8 bytes read as Latin-1, without the CR, LF
 * and NUL that fetch refuses; now and then the raw string, which fetch may refuse (counted).
 */
function headerValues(hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  // Control characters other than tab never reach the wire (undici refuses them); most values stay
  // under Node's header limit so the request reaches a route.
  const onTheWire = hostile.map((value) => Buffer.from(value, 'utf8').toString('latin1').replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').slice(0, 4096));
  return fc.oneof({ weight: 6, arbitrary: onTheWire }, { weight: 1, arbitrary: hostile });
}

function headers(world: World, endpoint: Endpoint, bodyKind: BodyKind, anyValue: fc.Arbitrary<string>): fc.Arbitrary<[string, string][]> {
  const hostile = headerValues(anyValue);
  const natural = bodyKind === 'form' ? 'application/x-www-form-urlencoded' : bodyKind === 'json' ? 'application/json' : undefined;
  const contentType = fc.oneof(
    { weight: 5, arbitrary: fc.constant(natural) },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: hostile },
  );
  const origin = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(world.base, 'https://evil.example', 'null', 'http://localhost:1', 'http://127.0.0.1.attacker.example') }, { weight: 1, arbitrary: hostile });
  const accept = fc.oneof({ weight: 3, arbitrary: fc.constant(endpoint.route === '/mcp' ? 'application/json, text/event-stream' : undefined) }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/event-stream', 'text/html', '*/*', '') }, { weight: 1, arbitrary: hostile });
  const cookie = fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: endpoint.cookie === undefined ? 1 : 6, arbitrary: cookieHeader(world, endpoint, hostile) });
  const bearer = live(() => `Bearer ${world.latest.accessToken}`);
  const authorization =
    endpoint.auth === 'bearer'
      ? fc.oneof({ weight: 6, arbitrary: bearer }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: authorizationHeader(world, hostile) })
      : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: endpoint.auth === 'client' ? 3 : 1, arbitrary: authorizationHeader(world, hostile) });
  const versions = fc.constantFrom('2025-06-18', '2025-03-26', '2026-07-28', '1999-01-01');
  const mcpHeader = fc.tuple(fc.constantFrom('MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Mcp-Session-Id', 'Last-Event-ID'), fc.oneof(versions, fc.constantFrom('tools/call', 'about'), hostile));
  const mcp =
    endpoint.route === '/mcp'
      ? fc.tuple(fc.option(versions, { freq: 2 }), fc.array(mcpHeader, { maxLength: 2 })).map(([version, more]): [string, string][] => [...(version === null ? [] : [['MCP-Protocol-Version', version] as [string, string]]), ...more])
      : fc.array(mcpHeader, { maxLength: 1 });
  const strangers = fc.array(fc.tuple(fc.constantFrom('X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'Forwarded', 'Referer', 'If-None-Match', 'Range', 'X-HTTP-Method-Override', 'Access-Control-Request-Method', 'Access-Control-Request-Headers', 'Accept-Encoding', 'Content-Encoding'), hostile), { maxLength: 2 });
  const repeats = fc.array(fc.tuple(fc.constantFrom('Content-Type', 'Authorization', 'Cookie', 'Origin'), hostile), { maxLength: 1 });
  return fc.tuple(contentType, origin, accept, cookie, authorization, mcp, strangers, repeats).map(([type, from, acc, cook, auth, mcpHeaders, others, again]) => {
    const list: [string, string][] = [];
    if (type !== undefined) list.push(['Content-Type', type]);
    if (from !== undefined) list.push(['Origin', from]);
    if (acc !== undefined) list.push(['Accept', acc]);
    if (cook !== undefined) list.push(['Cookie', cook]);
    if (auth !== undefined) list.push(['Authorization', auth]);
    return [...list, ...mcpHeaders, ...others, ...again];
  });
}

const ODD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'MKCOL', 'FOO', 'get', 'Post', 'M-SEARCH', 'PURGE', 'TRACE', 'CONNECT', 'TRACK'];

/** The path of a route with its `:id` segments filled, often spoiled in case, slashes or escapes. */
function pathOf(world: World, route: string, hostile: fc.Arbitrary<string>, spoil: boolean): fc.Arbitrary<string> {
  const { pool } = world;
  const idFor = (segment: string) => {
    const known = segment === ':note' ? pool.noteIds : segment === ':public' ? pool.publicIds : pool.grantIds;
    return fc.oneof({ weight: 3, arbitrary: pick(known, hostile) }, { weight: 1, arbitrary: hostile }).map(percentEncoded);
  };
  const segments = route.split('/').map((segment) => (segment.startsWith(':') ? idFor(segment) : fc.constant(segment)));
  const filled = fc.tuple(...segments).map((parts) => parts.join('/'));
  // The router also answers a route in another case or with a trailing slash: careful requests use those aliases too.
  if (!spoil) return fc.oneof({ weight: 6, arbitrary: filled }, { weight: 1, arbitrary: fc.tuple(filled, fc.constantFrom((p: string) => `${p}/`, (p: string) => p.toUpperCase())).map(([path, alias]) => alias(path)) });
  const spoilers = fc.constantFrom<(path: string) => string>(
    (p) => p.toUpperCase(),
    (p) => `${p}/`,
    (p) => `/${p}`,
    (p) => `${p}%00`,
    (p) => `${p}/../x`,
    (p) => `${p};x=1`,
    (p) => `${p}.json`,
    (p) => p.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
    (p) => `${p}/%zz`,
    (p) => `${p}/${'a'.repeat(5000)}`,
    (p) => `${p}/é😀`,
  );
  return fc.oneof({ weight: 6, arbitrary: filled }, { weight: 1, arbitrary: fc.tuple(filled, spoilers).map(([path, how]) => how(path)) });
}

function randomPath(hostile: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const segment = fc.oneof(fc.constantFrom('oauth', 'mcp', '.well-known', 'notes', 'p', 'apps', 'account', 'assets', '..', '.', '', '%2e%2e', 'admin', '.env', 'index.html'), hostile.map(percentEncoded));
  return fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
}

function preview(value: string, limit = 120): string {
  const shown = JSON.stringify(value.length > limit ? `${value.slice(0, limit)}…` : value);
  return value.length > limit ? `${shown} (${value.length} chars)` : shown;
}

function describe(request: Omit<HostileRequest, 'toString'>): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? `\n  body ${preview(request.body, 300)}` : `\n  body <${request.body.length} bytes>`;
  const headerLines = request.headers.map(([name, value]) => `\n  ${name}: ${preview(value)}`).join('');
  return `${request.method} ${preview(request.path, 300)} (aimed at ${request.target})${headerLines}${body}`;
}

function request(fields: Omit<HostileRequest, 'toString'>): HostileRequest {
  return { ...fields, toString: () => describe(fields) };
}

/** Headers a well-behaved client of this endpoint would send. */
function politeHeaders(world: World, endpoint: Endpoint): fc.Arbitrary<[string, string][]> {
  const list: fc.Arbitrary<[string, string]>[] = [];
  if (endpoint.body === 'form') list.push(fc.constant(['Content-Type', 'application/x-www-form-urlencoded']));
  if (endpoint.body === 'json') list.push(fc.constant(['Content-Type', 'application/json']));
  if (endpoint.cookie === 'session') list.push(live(() => `agent-notes-session=${world.session.cookie}`).map((value): [string, string] => ['Cookie', value]));
  if (endpoint.cookie === 'form') list.push(fc.constant(['Cookie', `agent-notes-csrf=${world.formCsrf}`]));
  if (endpoint.auth === 'bearer') {
    list.push(live(() => `Bearer ${world.latest.accessToken}`).map((value): [string, string] => ['Authorization', value]));
    list.push(fc.constant(['Accept', 'application/json, text/event-stream']), fc.constant(['MCP-Protocol-Version', '2025-06-18']));
  }
  return fc.tuple(...list);
}

/**
 * One request aimed at `endpoint` (or, with `undefined`, at a random path). A wild one spoils
 * everything independently; a careful one is what a well-behaved client sends, with only its
 * parameters spoiled (or not at all), so that it reaches the endpoint's deeper checks.
 */
function aimedRequest(world: World, endpoint: Endpoint | undefined, careful: boolean): fc.Arbitrary<HostileRequest> {
  const hostile = hostileStrings(world);
  const target = endpoint ?? { method: 'GET', route: '/random', params: GENERIC_NAMES.slice(0, 7), body: 'none' as const };
  const method = careful ? fc.constant(target.method) : fc.oneof({ weight: 6, arbitrary: fc.constant(target.method) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_METHODS) });
  const path = endpoint === undefined ? randomPath(hostile) : careful ? pathOf(world, endpoint.route, hostile, false) : pathOf(world, endpoint.route, hostile, true);
  const pairs = parameters(world, target, hostile);
  const bodyKind = careful ? fc.constant(target.body) : fc.oneof({ weight: 5, arbitrary: fc.constant(target.body) }, { weight: 1, arbitrary: fc.constantFrom<BodyKind>('form', 'json', 'none') });
  return fc.tuple(method, path, bodyKind).chain(([verb, route, kind]) => {
    const sendsBody = !['GET', 'HEAD'].includes(verb.toUpperCase());
    const inQuery = !sendsBody || target.body === 'none';
    const query = inQuery ? fc.option(urlencoded(pairs), { nil: undefined, freq: careful ? 20 : 3 }) : careful ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: urlencoded(pairs) });
    const json = target.route === '/mcp' ? mcpJson(world, hostile) : target.route === '/oauth/register' ? registrationJson(world, hostile) : pairs.map((list) => Object.fromEntries(list));
    const jsonText = fc.oneof({ weight: careful ? 20 : 4, arbitrary: json.map((value) => JSON.stringify(value) ?? 'null') }, { weight: 1, arbitrary: MALFORMED_JSON });
    const natural = kind === 'form' ? urlencoded(pairs) : kind === 'json' ? jsonText : fc.constant(undefined);
    const body: fc.Arbitrary<string | Uint8Array | undefined> = !sendsBody
      ? fc.constant(undefined)
      : careful
        ? natural
        : fc.oneof(
            { weight: 6, arbitrary: natural },
            { weight: 1, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
            { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 100_000 }).map((size) => 'a=' + 'x'.repeat(size)) },
          );
    const headerList = careful ? politeHeaders(world, target) : headers(world, target, kind, hostile);
    return fc.tuple(query, body, headerList).map(([search, payload, list]) =>
      request({
        target: endpoint === undefined ? 'random path' : `${endpoint.method} ${endpoint.route}`,
        method: verb,
        path: search === undefined ? route : `${route}?${search}`,
        headers: list,
        ...(payload === undefined ? {} : { body: payload }),
      }),
    );
  });
}

/** One hostile request aimed at `endpoint` (or, with `undefined`, at a random path). */
export function hostileRequest(world: World, endpoint: Endpoint | undefined): fc.Arbitrary<HostileRequest> {
  return fc.oneof({ weight: 3, arbitrary: aimedRequest(world, endpoint, false) }, { weight: 2, arbitrary: aimedRequest(world, endpoint, true) });
}

/** Requests for every endpoint (weighted alike) and random paths. */
export function anyHostileRequest(world: World, endpoints: readonly Endpoint[] = ENDPOINTS): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...endpoints.map((endpoint) => hostileRequest(world, endpoint)), hostileRequest(world, undefined));
}
