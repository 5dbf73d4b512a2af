// The reference model of agent-notes' OAuth core: the oracle the core is checked against.
// Written from the rules (chatgpt-apps/auth.md), never from src/core. Plain maps,
// plaintext secrets, no crypto, no HTTP, no persistence. One method per command; each is a numbered
// list of checks in the order the rules give, and the first failing check answers.
import type { Command, CoreConfig, Params } from '../src/core/commands.ts';
import type { Observation } from './observation.ts';
import { namesDocument, readDocument, usableDocumentUrl, type DocumentRules } from './documents.ts';
import { GRACE_RETRIES, LIFETIMES, type Lifetimes } from './lifetimes.ts';
import {
  acceptableRedirectUri, anyRepeated, negotiatedMethod, CALLBACK_TEMPLATE, param, parseBasic, redirectMatches, resourceMatches,
  scopeTokens, sortedUnique, value,
} from './params.ts';

type Cmd<T extends Command['type']> = Extract<Command, { type: T }>;

interface Client { clientId: string; authMethod: string; secret?: string; redirectUris: string[]; grantTypes: string[]; predefined: boolean; document?: boolean; registeredAt: number; connectedAt?: number }

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
type Cmd2 = Extract<Command, { type: 'token' | 'revoke' }>;
interface Pending { clientId: string; redirectUri: string; state?: string; scopes: string[]; resource: string; challenge: string; nonce?: string; expiresAt: number }
interface Code { clientId: string; userId: string; redirectUri: string; scopes: string[]; resource: string; challenge: string; nonce?: string; expiresAt: number; grantId?: string }
interface Grant { userId: string; clientId: string; scopes: string[]; resource: string; lastUsedAt: number; accessExpiresAt: number }
interface Refresh { grantId: string; clientId: string; scopes: string[]; resource: string; expiresAt: number; rotatedAt?: number; successor?: string; retries?: number }

export interface ModelOptions {
  config: CoreConfig;
  /** PKCE S256 of a verifier, injected so the model itself has no crypto. */
  s256: (verifier: string) => string;
  /** Plaintext secrets of the confidential predefined clients (config only holds hashes). */
  predefinedSecrets: Record<string, string>;
  /** The lifetimes to enforce: the model's own reading of the Decisions unless a test sets others. */
  lifetimes?: Lifetimes;
}

const fail = (error: string, status = 400): Observation => ({ kind: 'error', error, status });
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Records kept per collection; the names are the core state's collections. */
export interface StoredCounts {
  clients: number;
  pending: number;
  codes: number;
  grants: number;
  refreshTokens: number;
  revokedAccessTokens: number;
  usedAssertions: number;
}

export class ReferenceModel {
  readonly #config: CoreConfig;
  readonly #lifetimes: Lifetimes;
  readonly #s256: (verifier: string) => string;
  readonly #clients = new Map<string, Client>();
  readonly #pending = new Map<string, Pending>();
  readonly #codes = new Map<string, Code>(); // by plaintext code
  readonly #grants = new Map<string, Grant>();
  readonly #refresh = new Map<string, Refresh>(); // by plaintext refresh token
  readonly #revokedAccess = new Map<string, number>(); // jti -> exp
  readonly #usedAssertions = new Map<string, number>(); // client + jti -> exp

  constructor({ config, s256, predefinedSecrets, lifetimes = LIFETIMES }: ModelOptions) {
    this.#config = config;
    this.#lifetimes = lifetimes;
    this.#s256 = s256;
    for (const c of config.predefinedClients) {
      const client: Client = { clientId: c.clientId, authMethod: c.authMethod, redirectUris: [...c.redirectUris], grantTypes: [...c.grantTypes], predefined: true, registeredAt: 0 };
      const secret = predefinedSecrets[c.clientId];
      if (secret !== undefined) client.secret = secret;
      this.#clients.set(c.clientId, client);
    }
  }

  apply(command: Command): Observation {
    switch (command.type) {
      case 'register': return this.#register(command);
      case 'authorize': return this.#authorize(command);
      case 'decide': return this.#decide(command);
      case 'token': return this.#token(command);
      case 'revoke': return this.#revoke(command);
      case 'revokeGrant': return this.#revokeGrant(command);
      case 'tick': return this.#tick(command);
    }
  }

  // ---------------------------------------------------------------- register (DCR, RFC 7591)

  #register({ metadata: m, fresh, now }: Cmd<'register'>): Observation {
    const { limits } = this.#config;
    // 1. The body must be a JSON object.
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return fail('invalid_client_metadata');
    const md = m as Record<string, unknown>;
    // 2. redirect_uris: a non-empty array of at most maxRedirectUris strings, each allowed by the policy (REQ-10).
    const uris = md.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > limits.maxRedirectUris) return fail('invalid_redirect_uri');
    if (!uris.every((u): u is string => typeof u === 'string')) return fail('invalid_redirect_uri');
    if (!uris.every((u) => acceptableRedirectUri(u, limits.maxUriLength, { uris: this.#config.allowedRedirectUris, origins: this.#config.trustedRedirectOrigins }))) return fail('invalid_redirect_uri');
    // 3. The auth method (EC-27, EC-28): singular and plural read together, intersected with ours,
    //    the singular preferred when it is among them; nothing stated means none.
    const method = negotiatedMethod(md.token_endpoint_auth_method, md.token_endpoint_auth_methods_supported);
    if (method === undefined) return fail('invalid_client_metadata');
    // 4. grant_types: absent → both; only our two, and authorization_code among them.
    const grants = md.grant_types === undefined ? ['authorization_code', 'refresh_token'] : md.grant_types;
    if (!Array.isArray(grants) || grants.length === 0) return fail('invalid_client_metadata');
    if (!grants.every((g) => g === 'authorization_code' || g === 'refresh_token') || !grants.includes('authorization_code')) return fail('invalid_client_metadata');
    const grantTypes = grants.includes('refresh_token') ? ['authorization_code', 'refresh_token'] : ['authorization_code'];
    // 5. response_types: absent → ["code"]; every element must be "code".
    const responses = md.response_types === undefined ? ['code'] : md.response_types;
    if (!Array.isArray(responses) || !responses.every((r) => r === 'code')) return fail('invalid_client_metadata');
    // 6. Optional members: client_name, client_uri, logo_uri, scope (kept, not enforced: EC-11).
    const name = md.client_name;
    if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > limits.maxClientNameLength)) return fail('invalid_client_metadata');
    for (const key of ['client_uri', 'logo_uri']) {
      const u = md[key];
      if (u !== undefined && !(typeof u === 'string' && u.length <= limits.maxUriLength && isHttpsUrl(u))) return fail('invalid_client_metadata');
    }
    if (md.scope !== undefined && (typeof md.scope !== 'string' || md.scope.length > limits.maxScopeLength)) return fail('invalid_client_metadata');
    // 7. No more than maxClients registered clients (predefined ones do not count).
    if ([...this.#clients.values()].filter((c) => !c.predefined).length >= limits.maxClients) return fail('invalid_client_metadata');
    // Defensive: the fresh id must not collide with an existing or predefined client.
    if (this.#clients.has(fresh.clientId)) return fail('invalid_client_metadata');
    const client: Client = { clientId: fresh.clientId, authMethod: method, redirectUris: [...uris], grantTypes, predefined: false, registeredAt: now };
    if (method !== 'none') client.secret = fresh.clientSecret;
    this.#clients.set(client.clientId, client);
    const o: Observation = { kind: 'registered', clientId: client.clientId, authMethod: method, redirectUris: [...uris], grantTypes: [...grantTypes] };
    if (client.secret !== undefined) o.clientSecret = client.secret;
    return o;
  }

  // ---------------------------------------------------------------- authorize

  #authorize({ params, now, fresh, clientDocument }: Cmd<'authorize'>): Observation {
    const cfg = this.#config;
    // Phase 1, never redirected.
    // 1. client_id: once, present, known (invalid_client is a page here, status 400); a URL names
    //    a metadata document, whose failures are pages too.
    const id = param(params, 'client_id');
    if (id.kind !== 'one') return fail('invalid_request');
    const found = this.#client(id.value, clientDocument, now);
    if (found === undefined) return fail('invalid_client');
    if (typeof found === 'string') return fail(found);
    const client = found;
    // 2. redirect_uri: once; matches a registered URI (REQ-10), or absent with exactly one non-template URI.
    const sent = param(params, 'redirect_uri');
    if (sent.kind === 'repeated') return fail('invalid_request');
    let redirectUri: string;
    if (sent.kind === 'one') {
      if (!client.redirectUris.some((r) => redirectMatches(sent.value, r, client.predefined))) return fail('invalid_request');
      redirectUri = sent.value;
    } else {
      const only = client.redirectUris[0];
      if (client.redirectUris.length !== 1 || only === undefined || (client.predefined && only === CALLBACK_TEMPLATE)) return fail('invalid_request');
      redirectUri = only;
    }
    // Phase 2, redirected with iss (REQ-12) and state when echoable.
    const stateParam = param(params, 'state');
    const state = stateParam.kind === 'one' && stateParam.value.length <= cfg.limits.maxStateLength ? stateParam.value : undefined;
    const redirect = (error: string) => this.#redirect(redirectUri, { error }, state);
    // 3. No other parameter repeated (resource may repeat, RFC 8707).
    if (anyRepeated(params)) return redirect('invalid_request');
    // 4. state not too long.
    if (stateParam.kind === 'one' && state === undefined) return redirect('invalid_request');
    // 5. response_type is code.
    const responseType = value(params, 'response_type');
    if (responseType === undefined) return redirect('invalid_request');
    if (responseType !== 'code') return redirect('unsupported_response_type');
    // 6. The client may use the authorization code grant.
    if (!client.grantTypes.includes('authorization_code')) return redirect('unauthorized_client');
    // 7. PKCE S256 (OAuth 2.1): challenge present, method S256, challenge well-formed.
    const challenge = value(params, 'code_challenge');
    if (challenge === undefined) return redirect('invalid_request');
    if (value(params, 'code_challenge_method') !== 'S256') return redirect('invalid_request');
    if (!CHALLENGE.test(challenge)) return redirect('invalid_request');
    // 8. scope: resource scopes, offline_access, the OpenID scopes (granted with OIDC on, dropped
    //    with it off); no resource scope among them → the default ones are added.
    const tokens = scopeTokens(value(params, 'scope'));
    if (tokens.some((t) => !cfg.scopes.includes(t) && t !== 'offline_access' && !cfg.identityScopes.includes(t) && !cfg.ignoredScopes.includes(t))) return redirect('invalid_scope');
    let scopes = tokens.filter((t) => !cfg.ignoredScopes.includes(t));
    if (!scopes.some((t) => cfg.scopes.includes(t))) scopes = [...cfg.defaultScopes, ...scopes];
    scopes = sortedUnique(scopes);
    // 9. resource: canonical resource (REQ-11); absent → the canonical resource.
    if (!resourceMatches(params, cfg.resource)) return redirect('invalid_target');
    // 9b. nonce (OIDC): no longer than state may be; kept for the ID token when openid is asked for.
    const nonce = value(params, 'nonce');
    if (nonce !== undefined && nonce.length > cfg.limits.maxStateLength) return redirect('invalid_request');
    // 10. A metadata-document client is remembered (a new one only while under maxClients).
    if (client.document && !this.#clients.has(client.clientId)) {
      if ([...this.#clients.values()].filter((c) => !c.predefined).length >= cfg.limits.maxClients) return fail('invalid_client_metadata');
    }
    if (client.document) this.#clients.set(client.clientId, client);
    const pending: Pending = { clientId: client.clientId, redirectUri, scopes, resource: cfg.resource, challenge, expiresAt: now + this.#lifetimes.pendingTtl };
    if (state !== undefined) pending.state = state;
    if (nonce !== undefined && scopes.includes('openid')) pending.nonce = nonce;
    this.#pending.set(fresh.requestId, pending);
    const o: Observation = { kind: 'consent_required', requestId: fresh.requestId, clientId: client.clientId, redirectUri, scopes: [...scopes], resource: cfg.resource };
    if (state !== undefined) o.state = state;
    return o;
  }

  // ---------------------------------------------------------------- decide

  #decide({ requestId, userId, decision, now, fresh }: Cmd<'decide'>): Observation {
    const p = this.#pending.get(requestId);
    // 1. Unknown or expired request: not redirected; an expired record is deleted.
    if (!p || now >= p.expiresAt) {
      this.#pending.delete(requestId);
      return fail('invalid_request');
    }
    // 2. Deny: access_denied to the client; the request is gone.
    if (!decision.approve) {
      this.#pending.delete(requestId);
      return this.#redirect(p.redirectUri, { error: 'access_denied' }, p.state);
    }
    // 3. Approved scopes: a non-empty subset of the requested ones (absent → all); else the request stays.
    const approved = decision.scopes ?? p.scopes;
    if (approved.length === 0 || !approved.every((s) => p.scopes.includes(s))) return fail('invalid_request');
    // 4. Issue a code bound to client, user, redirect URI, scopes, resource and challenge.
    this.#pending.delete(requestId);
    this.#codes.set(fresh.code, {
      clientId: p.clientId, userId, redirectUri: p.redirectUri, scopes: sortedUnique(approved), resource: p.resource,
      challenge: p.challenge, expiresAt: now + Math.min(this.#lifetimes.codeTtl, 600), // codes live at most 10 minutes
      ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
    });
    return this.#redirect(p.redirectUri, { code: fresh.code }, p.state);
  }

  // ---------------------------------------------------------------- token

  /**
   * Who a request names: predefined first; a URL names a metadata document (the one the shell
   * brought along, read by the rules; `undefined` when documents are off); else a registered client.
   */
  #client(clientId: string, given: Cmd<'authorize'>['clientDocument'], now: number): Client | string | undefined {
    const known = this.#clients.get(clientId);
    if (known?.predefined) return known;
    if (!namesDocument(clientId)) return known;
    const cfg = this.#config;
    if (!cfg.clientMetadataDocuments) return undefined;
    if (!usableDocumentUrl(clientId, cfg.limits.maxUriLength)) return 'invalid_client_metadata';
    if (given === undefined || given.url !== clientId || 'failure' in given) return 'invalid_client_metadata';
    const read = readDocument(clientId, given.document, this.#documentRules());
    if (typeof read === 'string') return read;
    const client: Client = { clientId, ...read, predefined: false, document: true, registeredAt: known?.registeredAt ?? now };
    if (known?.connectedAt !== undefined) client.connectedAt = known.connectedAt;
    return client;
  }

  #documentRules(): DocumentRules {
    const { limits, allowedRedirectUris, trustedRedirectOrigins, trustedClientOrigins } = this.#config;
    return { ...limits, allowance: { uris: allowedRedirectUris, origins: trustedRedirectOrigins }, trustedPublishers: trustedClientOrigins };
  }

  /** Client authentication, shared by the token and revocation endpoints. */
  #authenticate(command: Cmd2): Client | Observation {
    const { params, authorization, now } = command;
    const basic = parseBasic(authorization);
    // a. Authorization header: another scheme → 400; malformed Basic → 401.
    if (basic.kind === 'not-basic') return fail('invalid_request');
    if (basic.kind === 'malformed') return fail('invalid_client', 401);
    // b. client_id, client_secret, client_assertion(_type) not repeated.
    const bodyId = param(params, 'client_id');
    const bodySecret = param(params, 'client_secret');
    if ([bodyId, bodySecret, param(params, 'client_assertion'), param(params, 'client_assertion_type')].some((p) => p.kind === 'repeated')) return fail('invalid_request');
    // c. An assertion (either parameter present) is the one method: no Basic, no secret besides.
    if (param(params, 'client_assertion').kind === 'one' || param(params, 'client_assertion_type').kind === 'one') {
      if (basic.kind === 'basic' || bodySecret.kind === 'one') return fail('invalid_request');
      return this.#byAssertion(command, bodyId.kind === 'one' ? bodyId.value : undefined);
    }
    // d. Not two methods at once; e. body client_id agrees with the Basic id.
    if (basic.kind === 'basic' && bodySecret.kind === 'one') return fail('invalid_request');
    if (basic.kind === 'basic' && bodyId.kind === 'one' && bodyId.value !== basic.id) return fail('invalid_request');
    // f. Some client id; g. a known client (a document that fails is 401 here).
    const clientId = basic.kind === 'basic' ? basic.id : bodyId.kind === 'one' ? bodyId.value : undefined;
    if (clientId === undefined) return fail('invalid_client', 401);
    const client = clientId === '' ? undefined : this.#client(clientId, command.clientDocument, now);
    if (client === undefined || typeof client === 'string') return fail('invalid_client', 401);
    // h. A private_key_jwt client must assert. i. Public clients: any secret is ignored (RW-21).
    if (client.authMethod === 'private_key_jwt') return fail('invalid_client', 401);
    if (client.authMethod === 'none') return client;
    // j. Confidential: the right secret, either way.
    const secret = basic.kind === 'basic' ? basic.secret : bodySecret.kind === 'one' ? bodySecret.value : undefined;
    if (secret === undefined || client.secret === undefined || secret !== client.secret) return fail('invalid_client', 401);
    return client;
  }

  /** private_key_jwt (RFC 7523, EC-29): the signature was the shell's; the claims are checked here. */
  #byAssertion(command: Cmd2, bodyId: string | undefined): Client | Observation {
    const { params, now } = command;
    // 1. Both parameters, the type exactly jwt-bearer.
    if (value(params, 'client_assertion') === undefined) return fail('invalid_request');
    if (value(params, 'client_assertion_type') !== ASSERTION_TYPE) return fail('invalid_request');
    // 2. A verified signature (wrong key, bad alg and the like are 401).
    const checked = command.assertion;
    if (checked === undefined || 'failure' in checked) return fail('invalid_client', 401);
    const c = checked.claims;
    // 3. iss = sub = the client_id (the body's, when sent), a client whose document says private_key_jwt.
    if (typeof c.sub !== 'string' || c.iss !== c.sub || (bodyId !== undefined && bodyId !== c.sub)) return fail('invalid_client', 401);
    const client = this.#client(c.sub, command.clientDocument, now);
    if (client === undefined || typeof client === 'string' || client.authMethod !== 'private_key_jwt') return fail('invalid_client', 401);
    // 4. aud names the issuer or the token endpoint, as a string or in an array.
    const ours = [this.#config.issuer, `${this.#config.issuer}/oauth/token`];
    const auds = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud : [];
    if (!auds.some((a) => typeof a === 'string' && ours.includes(a))) return fail('invalid_client', 401);
    // 5. exp: present, in the future, at most the assertion lifetime ahead; nbf not beyond the skew.
    if (typeof c.exp !== 'number' || !Number.isFinite(c.exp) || now >= c.exp || c.exp > now + this.#lifetimes.assertionMaxAhead) return fail('invalid_client', 401);
    if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf > now + this.#lifetimes.assertionNotBeforeSkew)) return fail('invalid_client', 401);
    // 6. jti: 1 to 256 characters, never seen for this client while it could still be used.
    if (typeof c.jti !== 'string' || c.jti.length < 1 || c.jti.length > 256) return fail('invalid_client', 401);
    const key = `${client.clientId}\n${c.jti}`;
    const seen = this.#usedAssertions.get(key);
    if (seen !== undefined && now < seen) return fail('invalid_client', 401);
    this.#usedAssertions.set(key, c.exp);
    return client;
  }

  #token(command: Cmd<'token'>): Observation {
    const { params, now, fresh } = command;
    const client = this.#authenticate(command);
    if ('kind' in client) return client;
    // Grant type: nothing repeated (resource excepted), present, supported, allowed for this client.
    if (anyRepeated(params)) return fail('invalid_request');
    const grantType = value(params, 'grant_type');
    if (grantType === undefined) return fail('invalid_request');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return fail('unsupported_grant_type');
    if (!client.grantTypes.includes(grantType)) return fail('unauthorized_client');
    return grantType === 'authorization_code' ? this.#exchange(client, params, now, fresh) : this.#refreshGrant(client, params, now, fresh);
  }

  /** authorization_code (REQ-09, EC-17..20). */
  #exchange(client: Client, params: Params, now: number, fresh: Cmd<'token'>['fresh']): Observation {
    // 1. code present; 2. known and unexpired; 3. issued to this client.
    const codeValue = value(params, 'code');
    if (codeValue === undefined) return fail('invalid_request');
    const code = this.#codes.get(codeValue);
    if (!code || now >= code.expiresAt) return fail('invalid_grant');
    if (code.clientId !== client.clientId) return fail('invalid_grant');
    // 4. PKCE: a well-formed verifier whose S256 is the challenge (a failure does not burn the code).
    const verifier = value(params, 'code_verifier');
    if (verifier === undefined || !VERIFIER.test(verifier) || this.#s256(verifier) !== code.challenge) return fail('invalid_grant');
    // 5. Second redemption (only provable with the verifier): refused, and the grant it produced is revoked (invariant 1).
    if (code.grantId !== undefined) {
      this.#revokeFamily(code.grantId);
      return fail('invalid_grant');
    }
    // 6. redirect_uri, if sent, is exactly the one of the authorization request.
    const redirectUri = value(params, 'redirect_uri');
    if (redirectUri !== undefined && redirectUri !== code.redirectUri) return fail('invalid_grant');
    // 7. resource, if sent, is the code's resource (REQ-11).
    if (!resourceMatches(params, code.resource)) return fail('invalid_target');
    // Effect: the code is redeemed, a grant is created, tokens are issued.
    code.grantId = fresh.grantId;
    client.connectedAt = now;
    if (client.document) this.#clients.set(client.clientId, client);
    const exp = now + this.#lifetimes.accessTokenTtl;
    this.#grants.set(fresh.grantId, { userId: code.userId, clientId: client.clientId, scopes: [...code.scopes], resource: code.resource, lastUsedAt: now, accessExpiresAt: exp });
    let refreshToken: string | undefined;
    // Refresh tokens only for a client that may refresh and an approved offline_access.
    if (client.grantTypes.includes('refresh_token') && code.scopes.includes('offline_access')) {
      refreshToken = fresh.refreshToken;
      this.#refresh.set(refreshToken, { grantId: fresh.grantId, clientId: client.clientId, scopes: [...code.scopes], resource: code.resource, expiresAt: now + this.#lifetimes.refreshTokenTtl });
    }
    return this.#tokens(fresh.grantId, code.scopes, now, fresh.jti, refreshToken, code.nonce);
  }

  /** refresh_token (REQ-16, EC-05/15/31/32). */
  #refreshGrant(client: Client, params: Params, now: number, fresh: Cmd<'token'>['fresh']): Observation {
    const cfg = this.#config;
    // 1. refresh_token present; 2. known and unexpired; 3. this client's (no revocation); 4. grant alive.
    const token = value(params, 'refresh_token');
    if (token === undefined) return fail('invalid_request');
    const record = this.#refresh.get(token);
    if (!record || now >= record.expiresAt) return fail('invalid_grant');
    if (record.clientId !== client.clientId) return fail('invalid_grant');
    const grant = this.#grants.get(record.grantId);
    if (!grant) return fail('invalid_grant');
    // 5. A rotated token: the same successor inside the grace window (while the successor is
    //    unrotated), otherwise reuse, which revokes the family before anything else is looked at.
    if (record.rotatedAt !== undefined) {
      const next = record.successor === undefined ? undefined : this.#refresh.get(record.successor);
      if (record.successor === undefined || next === undefined || next.rotatedAt !== undefined || now >= record.rotatedAt + this.#lifetimes.refreshGrace) {
        this.#revokeFamily(record.grantId);
        return fail('invalid_grant');
      }
    }
    // 6. scope: never wider than the record's (ignored scopes dropped; nothing left → all of them).
    const asked = scopeTokens(value(params, 'scope')).filter((t) => !cfg.ignoredScopes.includes(t));
    if (!asked.every((t) => record.scopes.includes(t))) return fail('invalid_scope');
    const scopes = asked.length > 0 ? sortedUnique(asked) : record.scopes;
    // 7. resource never changes (REQ-11).
    if (!resourceMatches(params, record.resource)) return fail('invalid_target');
    let successor: string;
    if (record.successor !== undefined) {
      // 7b. A grace retry: at most three per rotation (Decisions, "Grace retries"); then invalid_grant, nothing revoked.
      if ((record.retries ?? 0) >= GRACE_RETRIES) return fail('invalid_grant');
      record.retries = (record.retries ?? 0) + 1;
      successor = record.successor; // the grace retry
    } else {
      // 8. Rotate: a successor with the same scopes and a fresh (sliding) expiry.
      successor = fresh.refreshToken;
      this.#refresh.set(successor, { grantId: record.grantId, clientId: record.clientId, scopes: [...record.scopes], resource: record.resource, expiresAt: now + this.#lifetimes.refreshTokenTtl });
      record.rotatedAt = now;
      record.successor = successor;
    }
    return this.#tokens(record.grantId, scopes, now, fresh.jti, successor);
  }

  /** The tokens answer; the grant remembers its latest use and access expiry. */
  #tokens(grantId: string, scopes: readonly string[], now: number, jti: string, refreshToken: string | undefined, nonce?: string): Observation {
    const grant = this.#grants.get(grantId)!;
    const exp = now + this.#lifetimes.accessTokenTtl;
    grant.lastUsedAt = now;
    grant.accessExpiresAt = Math.max(grant.accessExpiresAt, exp);
    // The audience is always exactly the configured resource (invariant 3).
    const o: Observation = { kind: 'tokens', sub: grant.userId, aud: this.#config.resource, clientId: grant.clientId, scope: scopes.join(' '), iat: now, exp, jti, gid: grantId };
    if (refreshToken !== undefined) o.refreshToken = refreshToken;
    // OIDC: `openid` among this answer's scopes brings an ID token for the client, the code's nonce in it.
    if (scopes.includes('openid') && o.kind === 'tokens') o.idToken = { sub: grant.userId, aud: grant.clientId, exp, ...(nonce === undefined ? {} : { nonce }) };
    return o;
  }

  // ---------------------------------------------------------------- revoke (RFC 7009)

  #revoke(command: Cmd<'revoke'>): Observation {
    const { params, accessToken, now } = command;
    // 1. Client authentication exactly as at the token endpoint.
    const client = this.#authenticate(command);
    if ('kind' in client) return client;
    // 2. token: once and present (token_type_hint ignored).
    const token = value(params, 'token');
    if (param(params, 'token').kind === 'repeated' || token === undefined) return fail('invalid_request');
    const record = this.#refresh.get(token);
    if (record) {
      // 3. An unexpired refresh token of this client revokes its grant; anything else: no effect.
      if (record.clientId === client.clientId && now < record.expiresAt) this.#revokeFamily(record.grantId);
    } else if (accessToken && accessToken.clientId === client.clientId && this.#grants.has(accessToken.gid) && accessToken.exp > now) {
      // 4. One of our access tokens: its jti is remembered as revoked until it expires.
      this.#revokedAccess.set(accessToken.jti, accessToken.exp);
    }
    return { kind: 'revoked' };
  }

  // ---------------------------------------------------------------- revokeGrant, tick

  #revokeGrant({ grantId, userId }: Cmd<'revokeGrant'>): Observation {
    const grant = this.#grants.get(grantId);
    if (!grant || grant.userId !== userId) return fail('not_found', 404);
    this.#revokeFamily(grantId);
    return { kind: 'grant_revoked' };
  }

  #tick({ now }: Cmd<'tick'>): Observation {
    for (const [id, p] of this.#pending) if (now >= p.expiresAt) this.#pending.delete(id);
    for (const [c, code] of this.#codes) if (now >= code.expiresAt) this.#codes.delete(c);
    for (const [t, r] of this.#refresh) {
      if (now >= r.expiresAt || (r.rotatedAt !== undefined && now >= r.rotatedAt + this.#lifetimes.reuseDetection)) this.#refresh.delete(t);
    }
    for (const [jti, exp] of this.#revokedAccess) if (now >= exp) this.#revokedAccess.delete(jti);
    for (const [key, exp] of this.#usedAssertions) if (now >= exp) this.#usedAssertions.delete(key);
    for (const [id, g] of this.#grants) {
      const family = [...this.#refresh.values()].some((r) => r.grantId === id);
      if (!family && g.accessExpiresAt <= now) this.#grants.delete(id);
    }
    // Idle DCR clients: nothing left that names them, and past "Unused client lifetime" (never
    // connected) or "Idle client lifetime" (after the last code exchange).
    for (const [id, c] of this.#clients) {
      if (c.predefined) continue;
      const named = [...this.#pending.values(), ...this.#codes.values(), ...this.#grants.values()].some((r) => r.clientId === id);
      const until = c.connectedAt === undefined ? c.registeredAt + this.#lifetimes.unusedClientTtl : c.connectedAt + this.#lifetimes.idleClientTtl;
      if (!named && now >= until) this.#clients.delete(id);
    }
    return { kind: 'ticked' };
  }

  // ---------------------------------------------------------------- helpers

  /** An authorization response: always `iss` (REQ-12), `state` when echoable. */
  #redirect(redirectUri: string, params: Record<string, string>, state: string | undefined): Observation {
    const all: Record<string, string> = { ...params };
    if (state !== undefined) all.state = state;
    all.iss = this.#config.issuer;
    return { kind: 'redirect', redirectUri, params: all };
  }

  /** Delete a grant and every refresh record of its family. */
  #revokeFamily(grantId: string): void {
    this.#grants.delete(grantId);
    for (const [t, r] of this.#refresh) if (r.grantId === grantId) this.#refresh.delete(t);
  }

  // ---------------------------------------------------------------- queries for invariant checks

  isAccessTokenLive(ref: { jti: string; gid: string; exp: number }, now: number): boolean {
    return now < ref.exp && this.#grants.has(ref.gid) && !this.#revokedAccess.has(ref.jti);
  }

  /** Refresh tokens of a grant usable right now: not rotated, not expired. */
  liveRefreshTokens(grantId: string, now: number): string[] {
    return [...this.#refresh].filter(([, r]) => r.grantId === grantId && r.rotatedAt === undefined && now < r.expiresAt).map(([t]) => t);
  }

  /** Rotated tokens still inside their grace window whose successor is still unrotated. */
  graceTokens(grantId: string, now: number): string[] {
    return [...this.#refresh]
      .filter(([, r]) => {
        if (r.grantId !== grantId || r.rotatedAt === undefined || r.successor === undefined) return false;
        if (now >= r.rotatedAt + this.#lifetimes.refreshGrace || now >= r.expiresAt) return false;
        const next = this.#refresh.get(r.successor);
        return next !== undefined && next.rotatedAt === undefined;
      })
      .map(([t]) => t);
  }

  /**
   * What `GET /consent` must do for a signed-in user (Decisions, "Remembered consent skips the
   * page"): nothing to approve once the request is gone or expired; skip the page when a grant of
   * this user and this client already holds every requested scope; otherwise ask.
   */
  consentStep(requestId: string, userId: string, now: number): 'expired' | 'remembered' | 'ask' {
    const request = this.#pending.get(requestId);
    if (!request || now >= request.expiresAt) return 'expired';
    const covered = [...this.#grants.values()].some((g) => g.userId === userId && g.clientId === request.clientId && request.scopes.every((s) => g.scopes.includes(s)));
    return covered ? 'remembered' : 'ask';
  }

  grantIds(): string[] {
    return [...this.#grants.keys()];
  }

  /**
   * How many records each collection keeps right now (registered clients only: predefined ones
   * live in configuration). A store that forgets to prune, or prunes too early, differs here even
   * while every answer is still right.
   */
  storedCounts(): StoredCounts {
    const registered = [...this.#clients.values()].filter((c) => !c.predefined).length;
    return { clients: registered, pending: this.#pending.size, codes: this.#codes.size, grants: this.#grants.size, refreshTokens: this.#refresh.size, revokedAccessTokens: this.#revokedAccess.size, usedAssertions: this.#usedAssertions.size };
  }

  /** Pending requests still inside their lifetime at `now` (expired ones wait for the tick). */
  livePendingCount(now: number): number {
    return [...this.#pending.values()].filter((p) => now < p.expiresAt).length;
  }

  registeredRedirectUris(clientId: string): string[] {
    return [...(this.#clients.get(clientId)?.redirectUris ?? [])];
  }
}

function isHttpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}
