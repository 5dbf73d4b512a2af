// The peer for the OAuth scenarios: panva's oidc-provider configured as agent-notes behaves towards
// ChatGPT (dynamic registration of public clients, PKCE S256, JWT access tokens for the MCP
// resource, rotating refresh tokens, consent given once and for all). Its store is in memory and
// its sign-in takes any request naming the bench user: the benchmark measures the OAuth endpoints.
// Run as a child process; prints `READY <url>` once listening.
//
// With OIDC_PASSWORD set it is the second, independent server `agent-notes fuzz` is tested against
// (test/fuzz-command/oidc-provider.test.ts): a sign-in form with a password for the bench account,
// and a consent page with Approve and Deny, as a person would use them; no consent is assumed.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';

const RESOURCE_SCOPES = 'notes:read notes:write';
const BENCH_ACCOUNT = 'bench';
const DAY = 24 * 60 * 60;
/** The bench account's password: with it, sign-in and consent are forms (see interactivePage). */
const PASSWORD = process.env.OIDC_PASSWORD;

/**
 * A Map that never evicts (the bundled MemoryAdapter is an LRU of 1000 entries, which would drop
 * the signed-in session and live refresh tokens under load). Expired entries are dropped when read.
 */
const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
/** Keys of the tokens issued under each grant, for revokeByGrantId (refresh token reuse). */
const grantMembers = new Map<string, Set<string>>();
const sessionByUid = new Map<string, string>();

class MapAdapter implements Adapter {
  constructor(private readonly model: string) {}

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.#key(id);
    store.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
    if (this.model === 'Session' && payload.uid !== undefined) sessionByUid.set(payload.uid, id);
    if (payload.grantId !== undefined && this.model !== 'Grant') {
      const members = grantMembers.get(payload.grantId) ?? new Set<string>();
      grantMembers.set(payload.grantId, members.add(key));
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const key = this.#key(id);
    const entry = store.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = sessionByUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(): Promise<undefined> {
    return undefined; // device flow is off
  }

  async consume(id: string): Promise<void> {
    const entry = store.get(this.#key(id));
    if (entry !== undefined) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grantMembers.get(grantId) ?? []) store.delete(key);
    grantMembers.delete(grantId);
  }
}

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig' };

const server = createServer();
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const resource = `${url}/mcp`;

/**
 * Consent given once and for all: a client with no grant yet gets one for everything it asks (as
 * agent-notes' consent page approving every scope), so the authorization endpoint answers with a
 * code at once.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.session!.grantIdFor(client.clientId);
  const existing = grantId === undefined ? undefined : await oidc.provider.Grant.find(grantId);
  if (existing !== undefined) return existing;
  const grant = new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.account!.accountId });
  grant.addOIDCScope(oidc.requestParamOIDCScopes);
  for (const indicator of Object.keys(oidc.resourceServers ?? {})) grant.addResourceScope(indicator, RESOURCE_SCOPES);
  await grant.save();
  return grant;
}

const provider = new Provider(url, {
  adapter: MapAdapter,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', 'notes:read', 'notes:write'],
  responseTypes: ['code'],
  // One ES256 key signs everything (the default RS256 would need an RSA key and cost more).
  clientDefaults: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'ES256' },
  features: {
    devInteractions: { enabled: false },
    // The fuzzer revokes tokens too; the benchmark never does.
    revocation: { enabled: PASSWORD !== undefined },
    // No RFC 7592 management: agent-notes issues no registration access token either.
    registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: RESOURCE_SCOPES, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'ES256' } } }),
    },
  },
  pkce: { required: () => true },
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ...(PASSWORD === undefined ? { loadExistingGrant } : {}),
  findAccount: (_ctx, sub) => (sub === BENCH_ACCOUNT ? { accountId: sub, claims: () => ({ sub }) } : undefined),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, RefreshToken: 14 * DAY, IdToken: 3600, Interaction: 3600, Session: 14 * DAY, Grant: 14 * DAY },
});

/** The sign-in page: a form on GET; on POST, `username=bench` signs the bench account in. */
async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (PASSWORD !== undefined) return interactivePage(req, res, PASSWORD);
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<form method="post"><input name="username"><button>Sign in</button></form>');
    return;
  }
  const username = (await formBody(req)).get('username');
  if (username !== BENCH_ACCOUNT) {
    res.writeHead(403).end();
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: BENCH_ACCOUNT } }, { mergeWithLastSubmission: false });
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const html = (body: string) => `<!doctype html><html><body>${body}</body></html>`;

/**
 * Sign-in with a password, then a consent page whose Approve grants what the request asked and
 * whose Deny answers access_denied (the shape of oidc-provider's own example interactions).
 */
async function interactivePage(req: IncomingMessage, res: ServerResponse, password: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (req.method !== 'POST') {
    const form = prompt.name === 'login'
      ? '<form method="post"><input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>'
      : '<form method="post"><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button></form>';
    res.writeHead(200, { 'content-type': 'text/html' }).end(html(form));
    return;
  }
  const body = await formBody(req);
  if (prompt.name === 'login') {
    if (body.get('username') !== BENCH_ACCOUNT || body.get('password') !== password) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html('<p>Wrong password</p><form method="post"><input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: BENCH_ACCOUNT } }, { mergeWithLastSubmission: false });
    return;
  }
  if (body.get('decision') !== 'approve') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person denied the request' }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = details.grantId === undefined ? new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) }) : (await provider.Grant.find(details.grantId))!;
  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: details.grantId === undefined ? { grantId } : {} }, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (req.url?.startsWith('/interaction/')) interaction(req, res).catch(() => res.destroy());
  else void handle(req, res);
});

console.log(`READY ${url}`);
process.once('SIGTERM', () => {
  server.closeAllConnections(); // autocannon's keep-alive sockets would hold close() open
  server.close(() => process.exit(0));
});
