// The command contract: the vocabulary the pure OAuth core (`step`) and the reference model
// (`model/`) share. Configuration, the state records the model-based tests compare, the commands,
// and each command's own outcome type. Plain, JSON-serialisable data; this module imports nothing,
// so the model can depend on it and on nothing else of `src/`.
/** Seconds since the Unix epoch. The core never reads a clock: `now` arrives in every command. */
export type Seconds = number;

export type AuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
export type GrantType = 'authorization_code' | 'refresh_token';

export interface CoreConfig {
  /** Issuer identifier, byte-identical everywhere it appears (metadata, PRM, every `iss`). */
  issuer: string;
  /** Canonical resource identifier of the MCP endpoint, e.g. `https://notes.example.com/mcp`. */
  resource: string;
  /** Resource scopes a client may be granted. */
  scopes: readonly string[];
  /** Scopes granted when a request has no `scope` or an empty one. */
  defaultScopes: readonly string[];
  /** OpenID Connect scopes granted besides the resource scopes (`openid` brings an ID token); empty when OIDC is off. */
  identityScopes: readonly string[];
  /** Scopes accepted but never granted (the OpenID scopes when OIDC is off). */
  ignoredScopes: readonly string[];
  codeTtl: Seconds;
  accessTokenTtl: Seconds;
  refreshTokenTtl: Seconds;
  /** How long a rotated refresh token may be retried and still get the same successor. */
  refreshGrace: Seconds;
  /** How long a rotated refresh token is remembered so that its reuse revokes the family. */
  reuseDetection: Seconds;
  /** How long a validated authorization request waits for sign-in and consent. */
  pendingTtl: Seconds;
  /** A DCR client that never exchanged a code is forgotten this long after registering. */
  unusedClientTtl: Seconds;
  /** A DCR client with nothing left (no grant, request or code) is forgotten this long after its last code exchange. */
  idleClientTtl: Seconds;
  /** Clients defined by the operator; never stored in state, never registrable over DCR. */
  predefinedClients: readonly ClientRecord[];
  /** Exact redirect URIs DCR may register besides the built-in ones (any scheme: private-use too). */
  allowedRedirectUris: readonly string[];
  /** HTTPS origins (`https://host[:port]`) under which DCR may register any canonical redirect URI. */
  trustedRedirectOrigins: readonly string[];
  /** Whether a URL-shaped `client_id` names a Client ID Metadata Document (CIMD) to fetch. */
  clientMetadataDocuments: boolean;
  /** Origins (`https://host[:port]`) whose metadata documents may list any canonical redirect URIs. */
  trustedClientOrigins: readonly string[];
  limits: {
    maxRedirectUris: number;
    maxUriLength: number;
    maxStateLength: number;
    maxClientNameLength: number;
    /** A registered `scope` string is kept (EC-11); bounded so registrations cannot inflate the state. */
    maxScopeLength: number;
    /** Clients registered over DCR (predefined ones do not count); registration stops there. */
    maxClients: number;
  };
}

// ---------------------------------------------------------------- state records

export interface ClientRecord {
  clientId: string;
  /** SHA-256 (base64url) of the client secret; absent for public clients. */
  secretHash?: string;
  authMethod: AuthMethod;
  redirectUris: string[];
  grantTypes: GrantType[];
  clientName?: string;
  clientUri?: string;
  logoUri?: string;
  scope?: string;
  applicationType?: 'web' | 'native';
  issuedAt: Seconds;
  /** The last code exchange (a new grant); absent until the first. The tick prunes idle clients by it. */
  connectedAt?: Seconds;
  source: 'dcr' | 'predefined' | 'cimd';
}

/** A validated authorization request waiting for the user's decision. */
export interface PendingRecord {
  requestId: string;
  clientId: string;
  /** The redirect URI this request will answer to (as sent, or the single registered one). */
  redirectUri: string;
  state?: string;
  scopes: string[];
  resource: string;
  codeChallenge: string;
  /** OpenID Connect `nonce`, echoed in the ID token. */
  nonce?: string;
  createdAt: Seconds;
  expiresAt: Seconds;
}

export interface CodeRecord {
  /** SHA-256 (base64url) of the code. */
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  resource: string;
  codeChallenge: string;
  nonce?: string;
  issuedAt: Seconds;
  expiresAt: Seconds;
  /** Set once redeemed; kept until expiry so a replay can be detected and punished. */
  grantId?: string;
}

export interface GrantRecord {
  grantId: string;
  userId: string;
  clientId: string;
  scopes: string[];
  resource: string;
  createdAt: Seconds;
  lastUsedAt: Seconds;
  /** Latest expiry of any access token minted for this grant. */
  accessExpiresAt: Seconds;
  /** Hashes of every refresh token record of this grant's family (live and remembered). */
  refreshHashes: string[];
}

export interface RefreshRecord {
  tokenHash: string;
  grantId: string;
  clientId: string;
  scopes: string[];
  resource: string;
  issuedAt: Seconds;
  expiresAt: Seconds;
  /** The token this one replaced: revocation walks the family back through it. */
  previousHash?: string;
  /** Present once the token has been exchanged for a successor. */
  rotation?: {
    rotatedAt: Seconds;
    successorHash: string;
    /** The successor, sealed with a key derived from this token (only its holder can open it). */
    sealedSuccessor: string;
    /** Grace retries answered so far (absent: none); capped, each one mints an access token. */
    retries?: number;
  };
}

export interface CoreState {
  clients: Record<string, ClientRecord>;
  pending: Record<string, PendingRecord>;
  codes: Record<string, CodeRecord>;
  grants: Record<string, GrantRecord>;
  refreshTokens: Record<string, RefreshRecord>;
  /** Access tokens revoked one by one (RFC 7009), by `jti`, remembered until they expire. */
  revokedAccessTokens: Record<string, { jti: string; expiresAt: Seconds }>;
  /** Client assertions already used (RFC 7523 `jti`), keyed by a hash of client and `jti`, until they expire. */
  usedAssertions: Record<string, { key: string; expiresAt: Seconds }>;
}

// ---------------------------------------------------------------- commands

/** Request parameters as the shell parsed them: a repeated parameter arrives as an array. */
export type Params = Record<string, string | string[] | undefined>;

export interface RegisterCommand {
  type: 'register';
  now: Seconds;
  /** The JSON body as received; the core validates every member. */
  metadata: unknown;
  fresh: { clientId: string; clientSecret: string };
}

/**
 * The metadata document of a URL-shaped `client_id`, as the shell fetched it (CIMD), or why it
 * could not: the core decides what either means.
 */
export type ClientDocument = { url: string; document: unknown } | { url: string; failure: string };

/**
 * A `client_assertion` (RFC 7523) after the shell checked its signature against the client's keys:
 * its claims, which the core checks, or why the signature check failed.
 */
export type ClientAssertion = { claims: Record<string, unknown> } | { failure: string };

export interface AuthorizeCommand {
  type: 'authorize';
  now: Seconds;
  params: Params;
  /** Present when `client_id` is a metadata document URL. */
  clientDocument?: ClientDocument;
  fresh: { requestId: string };
}

export interface DecideCommand {
  type: 'decide';
  now: Seconds;
  requestId: string;
  userId: string;
  /** `approve: true` grants every requested scope, or with `scopes` a non-empty subset of them; `approve: false` refuses. */
  decision: { approve: true; scopes?: string[] } | { approve: false };
  fresh: { code: string };
}

export interface TokenCommand {
  type: 'token';
  now: Seconds;
  params: Params;
  /** The raw `Authorization` header, if any. */
  authorization?: string;
  clientDocument?: ClientDocument;
  /** Present when the request carries a `client_assertion`. */
  assertion?: ClientAssertion;
  fresh: { grantId: string; jti: string; refreshToken: string };
}

/** Claims of a verified access token, as the shell's verifier decoded them. */
export interface AccessTokenRef {
  jti: string;
  gid: string;
  clientId: string;
  exp: Seconds;
}

export interface RevokeCommand {
  type: 'revoke';
  now: Seconds;
  params: Params;
  authorization?: string;
  clientDocument?: ClientDocument;
  assertion?: ClientAssertion;
  /** Set by the shell when `token` verified as one of our access tokens. */
  accessToken?: AccessTokenRef;
}

export interface RevokeGrantCommand {
  type: 'revokeGrant';
  now: Seconds;
  grantId: string;
  userId: string;
}

export interface TickCommand {
  type: 'tick';
  now: Seconds;
}

export type Command =
  | RegisterCommand
  | AuthorizeCommand
  | DecideCommand
  | TokenCommand
  | RevokeCommand
  | RevokeGrantCommand
  | TickCommand;

// ---------------------------------------------------------------- outcomes

export interface OAuthError {
  error: string;
  description: string;
  /** HTTP status the shell answers with when the error is not redirected. */
  status: 400 | 401 | 404;
  /** True when the client authenticated with HTTP Basic and failed (needs `WWW-Authenticate`). */
  basicChallenge?: boolean;
  /** The catalogue ID of the rule that decided this error (spec/catalogue.ts); shown by `explain`, never sent. */
  rule?: string;
}

/** Where an authorization response goes: always carries `iss` (RFC 9207). */
export interface Redirect {
  redirectUri: string;
  params: Record<string, string>;
  /** The rule that decided it, a code or an error (never sent; see OAuthError.rule). */
  rule?: string;
}

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  iat: Seconds;
  exp: Seconds;
  jti: string;
  gid: string;
}

/** OpenID Connect ID token claims (Core §2); the shell adds the user's email and name claims. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  /** The client the ID token is for. */
  aud: string;
  iat: Seconds;
  exp: Seconds;
  nonce?: string;
}

export interface TokenResponse {
  accessToken: AccessTokenClaims;
  /** Present when the granted scopes include `openid`. */
  idToken?: IdTokenClaims;
  tokenType: 'Bearer';
  expiresIn: Seconds;
  scope: string;
  refreshToken?: string;
}

export interface RegisteredClient {
  client_id: string;
  client_id_issued_at: Seconds;
  client_secret?: string;
  client_secret_expires_at?: 0;
  redirect_uris: string[];
  token_endpoint_auth_method: AuthMethod;
  grant_types: GrantType[];
  response_types: ['code'];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  scope?: string;
  application_type?: 'web' | 'native';
}

// Successful outcomes name the rule that governs them too (`rule`, a catalogue ID, never sent),
// as refusals do through OAuthError.rule: `agent-notes explain` shows which rule answered each step.

export type RegisterOutcome = { kind: 'registered'; client: RegisteredClient; rule: string } | ErrorOutcome;

/** A valid request waits for sign-in and consent; an invalid one is redirected or shown. */
export type AuthorizeOutcome = { kind: 'consent_required'; request: PendingRecord; client: ClientRecord; rule: string } | RedirectOutcome | ErrorOutcome;

export type DecideOutcome = RedirectOutcome | ErrorOutcome;

export type TokenOutcome = { kind: 'tokens'; tokens: TokenResponse; rule: string } | ErrorOutcome;

export type RevokeOutcome = { kind: 'revoked'; rule: string } | ErrorOutcome;

export type RevokeGrantOutcome = { kind: 'grant_revoked'; rule: string } | ErrorOutcome;

export type TickOutcome = { kind: 'ticked'; pruned: number };

/** An error answered directly (never redirected). */
export interface ErrorOutcome {
  kind: 'error';
  error: OAuthError;
}

/** An authorization response sent to a validated redirect URI (success or error). */
export interface RedirectOutcome {
  kind: 'redirect';
  redirect: Redirect;
}

/** Each command's outcome type, by command type. */
export interface OutcomeByType {
  register: RegisterOutcome;
  authorize: AuthorizeOutcome;
  decide: DecideOutcome;
  token: TokenOutcome;
  revoke: RevokeOutcome;
  revokeGrant: RevokeGrantOutcome;
  tick: TickOutcome;
}

/** What running `C` can answer: exactly its own outcomes (the wide `Outcome` for a wide `Command`). */
export type OutcomeOf<C extends Command> = OutcomeByType[C['type']];

/** Every outcome of every command, for the model runs that take any command. */
export type Outcome = OutcomeByType[Command['type']];
