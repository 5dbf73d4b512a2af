// What the ID token and the userinfo endpoint say about a person, by granted scope (OIDC Core §5.4):
// `email` and `email_verified` for `email`, the username for `profile`. `email_verified` is true
// only when the operator said so (`agent-notes user set-email --verified`): an address nobody
// checked must not pass ChatGPT Enterprise's workspace domain restriction (CGPT-16).
import { findUserById } from '../accounts/queries.ts';
import type { AccountsState } from '../accounts/types.ts';

export function identityClaims(state: AccountsState, userId: string, scopes: readonly string[]): Record<string, unknown> {
  const user = findUserById(state, userId);
  if (!user) return {};
  const claims: Record<string, unknown> = {};
  if (scopes.includes('email') && user.email !== undefined) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified === true;
  }
  if (scopes.includes('profile')) {
    claims.preferred_username = user.username;
    claims.name = user.username;
  }
  return claims;
}
