// Client authentication at the token and revocation endpoints (RFC 6749 §2.3, EC-26).
import { authenticateByAssertion } from './client-assertion.ts';
import { invalidClient, invalidRequest, isOAuthError } from './errors.ts';
import { isRepeated, single } from './params.ts';
import { requestClient } from './request-client.ts';
import { hashSecret, hashesEqual } from './secrets.ts';
import type { Transaction } from './state.ts';
import type { ClientRecord, CoreConfig, CoreState, OAuthError, RevokeCommand, TokenCommand } from './types.ts';

const CREDENTIALS = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];

interface BasicCredentials {
  clientId: string;
  secret: string;
}

/** RFC 6749 §2.3.1: both halves are form-urlencoded before base64. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `undefined` when there is no header; an error when it is not usable Basic credentials. */
function parseBasic(header: string | undefined): BasicCredentials | OAuthError | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') return invalidRequest('the Authorization header must use the Basic scheme', 'EC-26');
  const encoded = space < 0 ? '' : header.slice(space + 1);
  if (!BASE64.test(encoded)) return invalidClient('malformed Basic credentials', true, 'EC-26');
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return invalidClient('malformed Basic credentials', true, 'EC-26');
  }
  const colon = decoded.indexOf(':');
  const clientId = colon < 0 ? undefined : formDecode(decoded.slice(0, colon));
  const secret = colon < 0 ? undefined : formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) return invalidClient('malformed Basic credentials', true, 'EC-26');
  return { clientId, secret };
}

/** Who is calling, proven as strongly as the client's registration or document demands. */
export function authenticateClient(tx: Transaction, state: CoreState, config: CoreConfig, command: TokenCommand | RevokeCommand): ClientRecord | OAuthError {
  const { params, now } = command;
  const basic = parseBasic(command.authorization);
  if (basic && 'error' in basic) return basic;
  if (CREDENTIALS.some((name) => isRepeated(params, name))) return invalidRequest('client credentials are repeated', 'EC-26');
  const bodyId = single(params, 'client_id');
  const bodySecret = single(params, 'client_secret');
  if (single(params, 'client_assertion') !== undefined || single(params, 'client_assertion_type') !== undefined) {
    if (basic || bodySecret !== undefined) return invalidRequest('use one client authentication method, not two', 'EC-26');
    return authenticateByAssertion(tx, state, config, command, bodyId);
  }
  if (basic && bodySecret !== undefined) return invalidRequest('use one client authentication method, not two', 'EC-26');
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) return invalidRequest('client_id does not match the Basic credentials', 'EC-26');

  const usedBasic = basic !== undefined;
  const clientId = basic ? basic.clientId : bodyId;
  if (clientId === undefined) return invalidClient('client authentication is required', false, 'EC-26');
  if (clientId === '') return invalidClient('unknown client', usedBasic, 'EC-26');
  const client = requestClient(state, config, clientId, command.clientDocument, now);
  if (client === undefined) return invalidClient('unknown client', usedBasic, 'EC-26');
  if (isOAuthError(client)) return invalidClient(client.description, usedBasic, 'EC-26');
  if (client.authMethod === 'private_key_jwt') return invalidClient('this client must authenticate with private_key_jwt (a client_assertion)', usedBasic, 'EC-29');
  if (client.authMethod === 'none') return client; // RW-21: a stray secret is ignored

  // A confidential client without a stored secret (a misconfigured predefined one) can never pass.
  const secret = basic?.secret ?? bodySecret;
  if (secret === undefined || client.secretHash === undefined || !hashesEqual(hashSecret(secret), client.secretHash)) {
    return invalidClient('client authentication failed', usedBasic, 'EC-26');
  }
  return client;
}
