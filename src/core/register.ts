// Dynamic client registration (RFC 7591, REQ-14). Checks run in the order of
// chatgpt-apps/auth.md; the first failure answers. Unknown metadata members are ignored.
import { invalidClientMetadata, isOAuthError as isError } from './errors.ts';
import { negotiateAuthMethod } from './auth-method.ts';
import { checkDescriptiveFields, checkGrantTypes, checkRedirectUris, checkResponseTypes, isMetadataObject, type Metadata } from './client-metadata.ts';
import { hashSecret } from './secrets.ts';
import { collectionSize, Transaction } from './state.ts';
import type { AuthMethod, ClientRecord, CoreConfig, CoreState, OAuthError, RegisterCommand, RegisteredClient, StepResult, RegisterOutcome } from './types.ts';

function checkAuthMethod(meta: Metadata): AuthMethod | OAuthError {
  return negotiateAuthMethod(meta.token_endpoint_auth_method, meta.token_endpoint_auth_methods_supported);
}

export function register(state: CoreState, config: CoreConfig, command: RegisterCommand): StepResult<RegisterOutcome> {
  const fail = (error: OAuthError): StepResult<RegisterOutcome> => ({ state, changes: [], outcome: { kind: 'error', error } });
  const m = command.metadata;
  if (!isMetadataObject(m)) return fail(invalidClientMetadata('the body must be a JSON object', 'REQ-14'));

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
    return fail(invalidClientMetadata(`this server has reached its limit of ${config.limits.maxClients} registered clients`, 'REQ-14'));
  }
  const { clientId, clientSecret } = command.fresh;
  if (Object.hasOwn(state.clients, clientId) || config.predefinedClients.some((c) => c.clientId === clientId)) {
    return fail(invalidClientMetadata('client id collision; retry', 'REQ-14'));
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
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'registered', client: describeRegistration(record, confidential ? clientSecret : undefined), rule: 'REQ-14' } };
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
