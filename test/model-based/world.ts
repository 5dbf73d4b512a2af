// What the model-based tests know about the system while a command sequence runs: the clock, the
// fresh values handed to commands, and every credential seen so far, so later commands can reuse
// (and replay) them. Both the core and the reference model receive identical commands built here.
import { ReferenceModel } from '../../model/model.ts';
import { defaultConfig, emptyState, hashSecret, owned } from '../../src/core/index.ts';
import type { AccessTokenClaims, ClientDocument, ClientRecord, CoreConfig, CoreState } from '../../src/core/index.ts';
import { s256 } from '../kit/pkce.ts';

export const ISSUER = 'https://notes.example.com';
export const RESOURCE = `${ISSUER}/mcp`;
export const START = 1_700_000_000;

/** PKCE S256 computed by the test kit, so neither side grades its own homework. */
export { s256 };

const PREDEFINED_SECRET = 'predefined-secret-value';
/** The plaintext secrets of the predefined clients, as the model is given them. */
export const PREDEFINED_SECRETS: Record<string, string> = { 'confidential-predefined': PREDEFINED_SECRET };

const predefined: ClientRecord[] = [
  {
    clientId: 'chatgpt-predefined',
    authMethod: 'none',
    redirectUris: ['https://chatgpt.com/connector/oauth/{callback_id}', 'https://chatgpt.com/connector_platform_oauth_redirect'],
    grantTypes: ['authorization_code', 'refresh_token'],
    clientName: 'ChatGPT (predefined)',
    issuedAt: 0,
    source: 'predefined',
  },
  {
    clientId: 'confidential-predefined',
    authMethod: 'client_secret_basic',
    secretHash: hashSecret(PREDEFINED_SECRET),
    redirectUris: ['https://app.example.org/callback'],
    grantTypes: ['authorization_code'],
    issuedAt: 0,
    source: 'predefined',
  },
];

/** The operator trusts the confidential app's origin (the redirect policy refuses every other). */
export const config: CoreConfig = defaultConfig(ISSUER, { predefinedClients: predefined, trustedRedirectOrigins: ['https://app.example.net'] });

export interface KnownClient {
  /** A metadata document URL for document clients. */
  clientId: string;
  /** Known by its metadata document (CIMD) rather than registered. */
  document?: boolean;
  secret?: string;
  authMethod: string;
  redirectUris: string[];
  grantTypes: string[];
}

export interface KnownRequest {
  requestId: string;
  clientId: string;
  redirectUri: string;
  verifier: string;
  scopes: string[];
}

export interface KnownCode {
  code: string;
  clientId: string;
  redirectUri: string;
  verifier: string;
  redemptions: number;
}

export interface KnownRefresh {
  token: string;
  clientId: string;
  grantId: string;
  /** Set once the test saw it exchanged for a successor. */
  rotated: boolean;
}

export interface KnownGrant {
  grantId: string;
  userId: string;
  clientId: string;
  scopes: string[];
}

export class World {
  now = START;
  #counter = 0;
  clients: KnownClient[] = [
    { clientId: 'chatgpt-predefined', authMethod: 'none', redirectUris: ['https://chatgpt.com/connector/oauth/abcDEF123'], grantTypes: ['authorization_code', 'refresh_token'] },
    { clientId: 'confidential-predefined', secret: PREDEFINED_SECRET, authMethod: 'client_secret_basic', redirectUris: ['https://app.example.org/callback'], grantTypes: ['authorization_code'] },
  ];
  requests: KnownRequest[] = [];
  /** Requests already decided, kept so a hostile decision can replay one. */
  decided: KnownRequest[] = [];
  codes: KnownCode[] = [];
  refreshTokens: KnownRefresh[] = [];
  accessTokens: AccessTokenClaims[] = [];
  grants: KnownGrant[] = [];
  /** What each metadata document URL answers when the shell fetches it (the pure run's internet). */
  documents = new Map<string, ClientDocument>();
  /** Every client assertion `jti` presented so far, by client, so a hostile step can replay one. */
  assertionJtis: { clientId: string; jti: string }[] = [];
  /** The signed access tokens a server handed out, by `jti` (the pure run has none). */
  accessTokenJwts = new Map<string, string>();

  fresh(prefix: string): string {
    this.#counter += 1;
    return `${prefix}-${this.#counter}`;
  }

  /** A valid RFC 7636 verifier (43+ unreserved characters), unique per call. */
  verifier(): string {
    return this.fresh('verifier').padEnd(48, '~');
  }

  /** What a client presents for an access token: the JWT it was given, or a stand-in without one. */
  accessTokenString(claims: AccessTokenClaims): string {
    return this.accessTokenJwts.get(claims.jti) ?? `jwt-for-${claims.jti}`;
  }

  pick<T>(list: readonly T[], index: number): T | undefined {
    return list.length === 0 ? undefined : list[index % list.length];
  }
}

/** The system under test: core state, plus the state rebuilt from the journal alone. */
export interface Real {
  state: CoreState;
  replayed: CoreState;
  /** The same commands on a state the commit queue would own: updated in place, must stay equal. */
  inPlace: CoreState;
}

export interface Ctx {
  world: World;
  model: ReferenceModel;
}

export function freshSetup(): { model: Ctx; real: Real } {
  const model = new ReferenceModel({ config, s256, predefinedSecrets: PREDEFINED_SECRETS });
  return { model: { world: new World(), model }, real: { state: emptyState(), replayed: emptyState(), inPlace: owned(emptyState()) } };
}
