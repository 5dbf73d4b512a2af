// The lifecycle of what the core hands out (codes, refresh tokens, access tokens) as data: each
// state, each transition with the rule that makes it, and the scenario step in spec/scenarios/
// that shows the core taking it. chatgpt-apps/auth.md draws it as a state diagram generated from
// this table (a test fails when the drawing is stale, or when a scenario no longer shows a step).

export interface LifecycleTransition {
  from: string;
  to: string;
  /** What happens, as the diagram labels it. */
  on: string;
  rule: string;
  /** The scenario step where the core takes this transition, and the answer it gives there. */
  shown: { scenario: string; step: number; answer: 'tokens' | 'error' | 'redirect' | 'live' | 'dead' | 'revoked' | 'grant_revoked' | 'ticked' };
}

export const LIFECYCLE: readonly LifecycleTransition[] = [
  { from: '[*]', to: 'CodeIssued', on: 'consent approved', rule: 'REQ-09', shown: { scenario: 'ec-18-code-reuse.yaml', step: 3, answer: 'redirect' } },
  { from: 'CodeIssued', to: 'TokensLive', on: 'code exchanged with its verifier', rule: 'REQ-09', shown: { scenario: 'ec-18-code-reuse.yaml', step: 4, answer: 'tokens' } },
  { from: 'CodeIssued', to: 'CodeExpired', on: 'CODE_TTL passes', rule: 'REQ-09', shown: { scenario: 'lifecycle-expiry.yaml', step: 5, answer: 'error' } },
  { from: 'TokensLive', to: 'GrantRevoked', on: 'the same code again', rule: 'EC-18', shown: { scenario: 'ec-18-code-reuse.yaml', step: 6, answer: 'error' } },
  { from: 'TokensLive', to: 'Rotated', on: 'refresh gives a new pair, the old token is rotated', rule: 'REQ-16', shown: { scenario: 'ec-31-grace-then-reuse.yaml', step: 5, answer: 'tokens' } },
  { from: 'Rotated', to: 'Rotated', on: 'old token retried within the grace window gets the same successor', rule: 'EC-31', shown: { scenario: 'ec-31-grace-then-reuse.yaml', step: 6, answer: 'tokens' } },
  { from: 'Rotated', to: 'GrantRevoked', on: 'old token after the grace window is reuse', rule: 'REQ-16', shown: { scenario: 'ec-31-grace-then-reuse.yaml', step: 8, answer: 'error' } },
  { from: 'TokensLive', to: 'GrantRevoked', on: 'refresh token revoked, or app disconnected', rule: 'REQ-19', shown: { scenario: 'lifecycle-revocation.yaml', step: 6, answer: 'revoked' } },
  { from: 'TokensLive', to: 'AccessExpired', on: 'ACCESS_TOKEN_TTL passes and the access token stops', rule: 'REQ-03', shown: { scenario: 'lifecycle-expiry.yaml', step: 10, answer: 'dead' } },
  { from: 'AccessExpired', to: 'Rotated', on: 'refresh with the live refresh token', rule: 'REQ-16', shown: { scenario: 'lifecycle-expiry.yaml', step: 11, answer: 'tokens' } },
  { from: 'GrantRevoked', to: '[*]', on: 'every token of the grant refused', rule: 'REQ-19', shown: { scenario: 'lifecycle-revocation.yaml', step: 7, answer: 'dead' } },
];
