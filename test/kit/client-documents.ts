// Metadata documents shaped like the live ones of ChatGPT and Claude, for the tests that serve
// them (as data to the core, or over HTTPS from the local document host).

/** ChatGPT's document, field for field (spec-facts CGPT-OBS-04, August 2026). */
export function chatgptDocument(clientId: string, callback: string): Record<string, unknown> {
  return {
    client_id: clientId,
    client_uri: 'https://chatgpt.com/',
    redirect_uris: [callback],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: 'ChatGPT',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg: 'RS256',
    jwks_uri: 'https://chatgpt.com/oauth/jwks.json',
  };
}

/** Claude's: a public client that names no auth method at all. */
export function claudeDocument(clientId: string, redirectUris: readonly string[]): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: 'Claude',
    client_uri: 'https://claude.ai',
    redirect_uris: [...redirectUris],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}
