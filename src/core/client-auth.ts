// Client authentication at the token and revocation endpoints (RFC 6749 §2.3, EC-26).
import { findClient } from './queries.ts';
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

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `undefined` when there is no header; an error when it is not usable Basic credentials. */
function parseBasic(header: string | undefined): BasicCredentials | OAuthError | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') return invalidRequest('the Authorization header must use the Basic scheme');
  const encoded = space < 0 ? '' : header.slice(space + 1);
  if (!BASE64.test(encoded)) return invalidClient('malformed Basic credentials', true);
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return invalidClient('malformed Basic credentials', true);
  }
  const colon = decoded.indexOf(':');
  const clientId = colon < 0 ? undefined : formDecode(decoded.slice(0, colon));
  const secret = colon < 0 ? undefined : formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) return invalidClient('malformed Basic credentials', true);
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
  const clientId = basic ? basic.clientId : bodyId;
  if (clientId === undefined) return invalidClient('client authentication is required', false);
  if (clientId === '') return invalidClient('unknown client', usedBasic);
  const client = findClient(state, config, clientId);
  if (!client) return invalidClient('unknown client', usedBasic);
  if (client.authMethod === 'none') return client; // RW-21: a stray secret is ignored

  // A confidential client without a stored secret (a misconfigured predefined one) can never pass.
  const secret = basic?.secret ?? bodySecret;
  if (secret === undefined || client.secretHash === undefined || !hashesEqual(hashSecret(secret), client.secretHash)) {
    return invalidClient('client authentication failed', usedBasic);
  }
  return client;
}
