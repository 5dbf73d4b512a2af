// Dynamic client registration (RFC 7591, REQ-14). Checks run in the order of
// chatgpt-apps/auth.md; the first failure answers. Unknown metadata members are ignored.
import { invalidClientMetadata, invalidRedirectUri, isOAuthError as isError } from './errors.ts';
import { negotiateAuthMethod } from './auth-method.ts';
import { redirectPolicyVerdict } from './redirect-policy.ts';
import { hashSecret } from './secrets.ts';
import { collectionSize, Transaction } from './state.ts';
import type { AuthMethod, ClientRecord, CoreConfig, CoreState, GrantType, OAuthError, RegisterCommand, RegisteredClient, StepResult, RegisterOutcome } from './types.ts';

const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];

type Metadata = Record<string, unknown>;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function checkRedirectUris(meta: Metadata, config: CoreConfig): string[] | OAuthError {
  const uris = meta.redirect_uris;
  if (!isStringArray(uris) || uris.length === 0) return invalidRedirectUri('redirect_uris must be a non-empty array of strings');
  if (uris.length > config.limits.maxRedirectUris) return invalidRedirectUri(`at most ${config.limits.maxRedirectUris} redirect_uris`);
  for (const uri of uris) {
    const verdict = redirectPolicyVerdict(uri, config);
    if (!verdict.ok) return invalidRedirectUri(`redirect URI ${JSON.stringify(uri.slice(0, 200))} ${verdict.why}`);
  }
  return uris;
}

function checkAuthMethod(meta: Metadata): AuthMethod | OAuthError {
  return negotiateAuthMethod(meta.token_endpoint_auth_method, meta.token_endpoint_auth_methods_supported);
}

function checkGrantTypes(meta: Metadata): GrantType[] | OAuthError {
  const types = meta.grant_types === undefined ? GRANT_TYPES : meta.grant_types;
  if (!isStringArray(types) || !types.every((t) => GRANT_TYPES.includes(t as GrantType)) || !types.includes('authorization_code')) {
    return invalidClientMetadata('grant_types must include authorization_code and may add refresh_token');
  }
  return GRANT_TYPES.filter((t) => types.includes(t));
}

function checkResponseTypes(meta: Metadata): OAuthError | undefined {
  const types = meta.response_types === undefined ? ['code'] : meta.response_types;
  return isStringArray(types) && types.every((t) => t === 'code') ? undefined : invalidClientMetadata('response_types may only contain code');
}

function isHttpsUrl(value: string, config: CoreConfig): boolean {
  if (value.length > config.limits.maxUriLength) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

type Descriptive = Pick<ClientRecord, 'clientName' | 'clientUri' | 'logoUri' | 'scope' | 'applicationType'>;

function checkDescriptiveFields(meta: Metadata, config: CoreConfig): Descriptive | OAuthError {
  const fields: Descriptive = {};
  const name = meta.client_name;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length === 0 || name.length > config.limits.maxClientNameLength) {
      return invalidClientMetadata(`client_name must be a string of 1 to ${config.limits.maxClientNameLength} characters`);
    }
    fields.clientName = name;
  }
  for (const [member, key] of [['client_uri', 'clientUri'], ['logo_uri', 'logoUri']] as const) {
    const value = meta[member];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isHttpsUrl(value, config)) return invalidClientMetadata(`${member} must be an https URL`);
    fields[key] = value;
  }
  if (meta.scope !== undefined) {
    if (typeof meta.scope !== 'string' || meta.scope.length > config.limits.maxScopeLength) return invalidClientMetadata(`scope must be a string of at most ${config.limits.maxScopeLength} characters`);
    fields.scope = meta.scope; // kept, never enforced (EC-11)
  }
  if (meta.application_type === 'web' || meta.application_type === 'native') fields.applicationType = meta.application_type; // MCP-20
  return fields;
}

export function register(state: CoreState, config: CoreConfig, command: RegisterCommand): StepResult<RegisterOutcome> {
  const fail = (error: OAuthError): StepResult<RegisterOutcome> => ({ state, changes: [], outcome: { kind: 'error', error } });
  const meta = command.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return fail(invalidClientMetadata('the body must be a JSON object'));
  const m = meta as Metadata;

  const redirectUris = checkRedirectUris(m, config);
  if (isError(redirectUris)) return fail(redirectUris);
  const authMethod = checkAuthMethod(m);
  if (isError(authMethod)) return fail(authMethod);
  const grantTypes = checkGrantTypes(m);
  if (isError(grantTypes)) return fail(grantTypes);
  const responseTypesError = checkResponseTypes(m);
  if (responseTypesError) return fail(responseTypesError);
  const descriptive = checkDescriptiveFields(m, config);
  if (isError(descriptive)) return fail(descriptive);

  // REQ-14: open registration, but not unbounded; RFC 7591 has no "too many" code.
  if (collectionSize(state.clients) >= config.limits.maxClients) {
    return fail(invalidClientMetadata(`this server has reached its limit of ${config.limits.maxClients} registered clients`));
  }
  const { clientId, clientSecret } = command.fresh;
  if (Object.hasOwn(state.clients, clientId) || config.predefinedClients.some((c) => c.clientId === clientId)) {
    return fail(invalidClientMetadata('client id collision; retry'));
  }
  const confidential = authMethod !== 'none';
  const record: ClientRecord = {
    clientId,
    authMethod,
    redirectUris,
    grantTypes,
    ...descriptive,
    issuedAt: command.now,
    source: 'dcr',
  };
  if (confidential) record.secretHash = hashSecret(clientSecret);

  const tx = new Transaction(state);
  tx.put('clients', clientId, record);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'registered', client: describeRegistration(record, confidential ? clientSecret : undefined) } };
}

/** RFC 7591 §3.2.1: echo the metadata as registered, with the secret only at registration. */
function describeRegistration(client: ClientRecord, secret: string | undefined): RegisteredClient {
  const out: RegisteredClient = {
    client_id: client.clientId,
    client_id_issued_at: client.issuedAt,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.authMethod,
    grant_types: client.grantTypes,
    response_types: ['code'],
  };
  if (secret !== undefined) {
    out.client_secret = secret;
    out.client_secret_expires_at = 0; // EC-30: secrets never expire
  }
  if (client.clientName !== undefined) out.client_name = client.clientName;
  if (client.clientUri !== undefined) out.client_uri = client.clientUri;
  if (client.logoUri !== undefined) out.logo_uri = client.logoUri;
  if (client.scope !== undefined) out.scope = client.scope;
  if (client.applicationType !== undefined) out.application_type = client.applicationType;
  return out;
}
