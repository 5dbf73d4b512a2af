// Which token endpoint auth method a client gets (EC-27, EC-28, CGPT-32). Clients state it twice in
// the wild: ChatGPT's document names `private_key_jwt` in the singular member and
// `["none", "private_key_jwt"]` in the plural one, and servers that read only one of them broke.
// So both are read: what they offer together, intersected with what we support, with the singular
// preferred when it is in the intersection. Nothing offered means a public client.
import { invalidClientMetadata, unauthorizedClient } from './errors.ts';
import type { AuthMethod, OAuthError } from './types.ts';

/** Ours, in the order we pick from when the client's own preference is not among them. */
export const SUPPORTED_AUTH_METHODS: readonly AuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

export function negotiateAuthMethod(singular: unknown, plural: unknown): AuthMethod | OAuthError {
  if (singular !== undefined && typeof singular !== 'string') return invalidClientMetadata('token_endpoint_auth_method must be a string', 'EC-26');
  if (plural !== undefined && !(Array.isArray(plural) && plural.every((m) => typeof m === 'string'))) {
    return invalidClientMetadata('token_endpoint_auth_methods_supported must be an array of strings', 'EC-26');
  }
  const offered = [...(singular === undefined ? [] : [singular]), ...((plural as string[] | undefined) ?? [])];
  if (offered.length === 0) return 'none'; // EC-27: a public client by default
  const common = SUPPORTED_AUTH_METHODS.filter((method) => offered.includes(method));
  if (common.length === 0) {
    return invalidClientMetadata(`none of the offered auth methods (${offered.join(', ')}) is supported; this server supports ${SUPPORTED_AUTH_METHODS.join(', ')}`, 'EC-26');
  }
  return common.includes(singular as AuthMethod) ? (singular as AuthMethod) : common[0]!;
}

const SHARED_SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];

/**
 * The one method a metadata-document client must use (CIMD-02, CIMD-04, EC-28). Neither member
 * means `none`; the plural, when present, is the offer and the singular must be in it; shared-secret
 * methods are forbidden outright. When `private_key_jwt` is offered it is required: the draft makes
 * a declared key binding (-03 "Client Authentication Key Material"), and a stolen refresh token of
 * such a client is useless without its key.
 */
export function documentAuthMethod(singular: unknown, plural: unknown): 'none' | 'private_key_jwt' | OAuthError {
  if (singular !== undefined && typeof singular !== 'string') return invalidClientMetadata('token_endpoint_auth_method must be a string', 'EC-26');
  if (plural !== undefined && !(Array.isArray(plural) && plural.length > 0 && plural.every((m) => typeof m === 'string'))) {
    return invalidClientMetadata('token_endpoint_auth_methods_supported must be a non-empty array of strings', 'EC-28');
  }
  const offered: string[] = (plural as string[] | undefined) ?? (singular === undefined ? ['none'] : [singular]);
  if (singular !== undefined && !offered.includes(singular)) {
    return invalidClientMetadata('token_endpoint_auth_method must be one of token_endpoint_auth_methods_supported', 'EC-28');
  }
  const secret = offered.find((method) => SHARED_SECRET_METHODS.includes(method));
  if (secret !== undefined) return invalidClientMetadata(`a metadata document may not use ${secret}: it has no shared secret`, 'EC-28');
  if (offered.includes('private_key_jwt')) return 'private_key_jwt';
  if (offered.includes('none')) return 'none';
  return unauthorizedClient(`none of the document's auth methods (${offered.join(', ')}) is supported; this server supports none and private_key_jwt`, 'EC-28');
}
