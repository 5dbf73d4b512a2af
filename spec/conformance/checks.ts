// The checks of the ChatGPT conformance run, in the order they run: ChatGPT's own steps, then the
// negative cases, then other clients. Static, so tests can name them before anything runs.

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckInfo {
  /** Short slug, stable across versions. */
  id: string;
  /** Rule IDs of spec/catalogue.ts this check gives evidence for. */
  rules: readonly string[];
  title: string;
}

export interface CheckResult extends CheckInfo {
  status: CheckStatus;
  detail: string;
}

export const CHECKS = [
  // ChatGPT's steps
  { id: 'prm', rules: ['REQ-01', 'CGPT-01', 'CGPT-02', 'CGPT-03'], title: 'protected-resource metadata is served at both well-known paths with one body and a canonical resource' },
  { id: 'as-metadata', rules: ['REQ-08', 'CGPT-08', 'CGPT-10', 'CGPT-13', 'MCP-11'], title: 'authorization-server metadata names the PRM issuer, S256 and the iss flag' },
  { id: 'register', rules: ['REQ-14', 'CGPT-09'], title: "ChatGPT's dynamic registration gets 201, a client_id and auth method none" },
  { id: 'authorize', rules: ['REQ-09', 'REQ-12', 'CGPT-22', 'CGPT-27'], title: 'authorize redirect carries code, state and iss' },
  { id: 'token', rules: ['REQ-15', 'CGPT-24'], title: 'code exchange with resource and redirect_uri returns uncached tokens' },
  { id: 'access-token', rules: ['REQ-03', 'CGPT-25', 'MCP-33'], title: 'access token verifies against the JWKS with issuer, audience, expiry and scopes, and opens /mcp' },
  { id: 'mcp-challenge', rules: ['REQ-02', 'CGPT-05'], title: '/mcp without a token answers 401 naming resource_metadata' },
  // Negative cases
  { id: 'pkce-missing', rules: ['REQ-09'], title: 'an authorization request without PKCE is sent back with invalid_request and iss' },
  { id: 'pkce-plain', rules: ['REQ-09', 'EC-17'], title: 'code_challenge_method=plain is refused' },
  { id: 'register-http-redirect', rules: ['REQ-10', 'MCP-41'], title: 'registering a non-loopback http redirect URI is refused with invalid_redirect_uri' },
  { id: 'register-evil-redirect', rules: ['REQ-10'], title: 'registering an https redirect URI outside the allowlist (https://evil.com/steal-tokens) is refused with invalid_redirect_uri' },
  { id: 'unregistered-redirect', rules: ['REQ-10', 'OA21-07'], title: 'an unregistered redirect_uri gets a 400 page, never a redirect' },
  { id: 'wrong-verifier', rules: ['REQ-09', 'RFC7636-03'], title: 'a wrong code_verifier is invalid_grant' },
  { id: 'code-replay', rules: ['REQ-09', 'OA21-05', 'EC-18'], title: 'a replayed code is invalid_grant and kills the first refresh token' },
  { id: 'wrong-resource', rules: ['REQ-11', 'EC-04'], title: 'a foreign resource at the token endpoint is invalid_target' },
  { id: 'expired-token', rules: ['REQ-03', 'MCP-53'], title: '/mcp answers 401 to an expired access token' },
  { id: 'wrong-audience', rules: ['REQ-03', 'MCP-53'], title: '/mcp answers 401 to a token for another audience' },
  { id: 'refresh-reuse', rules: ['REQ-16', 'EC-31'], title: 'a replayed rotated refresh token is invalid_grant and revokes its family' },
  { id: 'consent-deny', rules: ['EC-25', 'REQ-12'], title: 'denied consent sends access_denied with state and iss' },
  { id: 'refresh-rotation', rules: ['REQ-16'], title: 'refreshing returns a new refresh token' },
  { id: 'revocation', rules: ['REQ-19'], title: 'revocation answers 200 and the revoked refresh token stops working' },
  // Other clients
  { id: 'claude-register', rules: ['CLA-01', 'EC-27', 'EC-11'], title: 'Claude-shaped registration without scope or auth method gets none, and a scope-less authorization works' },
  { id: 'inspector-loopback', rules: ['INSP-01', 'EC-22', 'REQ-10'], title: "Inspector's loopback callback on another port gets sign-in, consent and its code" },
  // Client ID Metadata Documents
  { id: 'cimd-advertised', rules: ['REQ-13', 'MCP-19', 'CLA-04'], title: 'the metadata advertises client_id_metadata_document_supported and offers none (what Claude needs to use a document)' },
  { id: 'cimd-private-address', rules: ['REQ-13', 'EC-41', 'CIMD-03'], title: 'a client_id URL on a loopback address gets a 400 page, never a redirect' },
  { id: 'cimd-bad-url', rules: ['REQ-13', 'CIMD-01', 'EC-41'], title: 'a client_id URL with a dot segment gets a 400 page, never a redirect' },
  { id: 'cimd-client', rules: ['REQ-13', 'MCP-17', 'CLA-15'], title: 'a public metadata-document client (--client-metadata-url) gets consent, a code and tokens naming its URL' },
] as const satisfies readonly CheckInfo[];

export type CheckId = (typeof CHECKS)[number]['id'];
