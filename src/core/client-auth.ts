// Client authentication at the token and revocation endpoints (RFC 6749 §2.3, EC-26).
import { findClient } from './clients.ts';
import { invalidClient, invalidRequest } from './errors.ts';
import { single, isRepeated } from './params.ts';
import { hashSecret, hashesEqual } from './secrets.ts';
import type { ClientRecord, CoreConfig, CoreState, OAuthError, Params } from './types.ts';

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

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `undefined` when there is no header; an error when it is not usable Basic credentials. */
function parseBasic(header: string | undefined): BasicCredentials | OAuthError | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^Basic(?: +(\S*))? *$/i.exec(header);
  if (!match) return invalidRequest('the Authorization header must use the Basic scheme');
  const encoded = match[1] ?? '';
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return invalidClient('malformed Basic credentials', true);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return invalidClient('malformed Basic credentials', true);
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined || clientId === '') return invalidClient('malformed Basic credentials', true);
  return { clientId, secret };
}

/** Who is calling, proven as strongly as the client's registration demands. */
export function authenticateClient(state: CoreState, config: CoreConfig, params: Params, authorization: string | undefined): ClientRecord | OAuthError {
  const basic = parseBasic(authorization);
  if (basic && 'error' in basic) return basic;
  if (isRepeated(params, 'client_id') || isRepeated(params, 'client_secret')) return invalidRequest('client credentials are repeated');
  const bodyId = single(params, 'client_id');
  const bodySecret = single(params, 'client_secret');
  if (basic && bodySecret !== undefined) return invalidRequest('use one client authentication method, not two');
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) return invalidRequest('client_id does not match the Basic credentials');

  const usedBasic = basic !== undefined;
  const clientId = basic?.clientId ?? bodyId;
  if (clientId === undefined) return invalidClient('client authentication is required', false);
  const client = findClient(state, config, clientId);
  if (!client) return invalidClient('unknown client', usedBasic);
  if (client.authMethod === 'none' || client.secretHash === undefined) return client; // RW-21: a stray secret is ignored

  const secret = basic?.secret ?? bodySecret;
  if (secret === undefined || !hashesEqual(hashSecret(secret), client.secretHash)) {
    return invalidClient('client authentication failed', usedBasic);
  }
  return client;
}
