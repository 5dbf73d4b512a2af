// The bearer gate: who is calling, decided from the `Authorization` header alone and before any
// MCP method is dispatched (MCP-47). Tokens are read from the header only, never from the query
// string or the body (RFC6750-01, MCP-32), and verified fully or not at all (EC-34).
import type { AuthInfo } from '@modelcontextprotocol/server';
import { effectiveScopes } from '../core/scopes.ts';
import type { AccessTokenClaims } from '../core/types.ts';
import type { Verification } from '../tokens/index.ts';
import { bearerToken } from '../http/middleware/bearer.ts';

export { bearerToken };

export type Caller =
  | { kind: 'anonymous' }
  /** A token was presented and refused; `description` says why (for `error_description`). */
  | { kind: 'invalid'; description: string }
  | { kind: 'authenticated'; token: string; claims: AccessTokenClaims; scopes: ReadonlySet<string> };

export type Authenticated = Extract<Caller, { kind: 'authenticated' }>;

/** Whether `held` (hierarchy applied) covers every scope in `required`. */
export function holdsAll(held: ReadonlySet<string>, required: readonly string[]): boolean {
  return required.every((scope) => held.has(scope));
}

/** Whether the caller may run an operation needing `required` (nothing required: everyone may). */
export function satisfies(caller: Caller, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  return caller.kind === 'authenticated' && holdsAll(caller.scopes, required);
}


/** REQ-03: verifies the presented token (signature, issuer, audience, times, liveness). */
export async function identifyCaller(authorization: string | undefined, verify: (token: string) => Promise<Verification>): Promise<Caller> {
  const presented = bearerToken(authorization);
  if (presented.kind === 'none') return { kind: 'anonymous' };
  if (presented.kind === 'malformed') return { kind: 'invalid', description: 'the Authorization header does not hold a bearer token' };
  const verified = await verify(presented.token);
  if (!verified.ok) return { kind: 'invalid', description: verified.description };
  return { kind: 'authenticated', token: presented.token, claims: verified.claims, scopes: effectiveScopes(verified.claims.scope) };
}

/** What the SDK hands to handlers as `authInfo`: the verified identity, hierarchy applied. */
export function authInfoOf(caller: Authenticated): AuthInfo {
  return {
    token: caller.token,
    clientId: caller.claims.client_id,
    scopes: [...caller.scopes].sort(),
    expiresAt: caller.claims.exp,
    resource: new URL(caller.claims.aud),
    extra: { userId: caller.claims.sub, grantId: caller.claims.gid },
  };
}

/** Who a tool runs for: a signed-in user with their scopes, or nobody (mixed mode). */
export type Principal = { kind: 'anonymous' } | { kind: 'user'; userId: string; scopes: ReadonlySet<string> };

/** The principal behind an `authInfo` this gate produced; anything else is anonymous. */
export function principalOf(authInfo: AuthInfo | undefined): Principal {
  const userId = authInfo?.extra?.userId;
  if (authInfo === undefined || typeof userId !== 'string' || userId === '') return { kind: 'anonymous' };
  return { kind: 'user', userId, scopes: new Set(authInfo.scopes) };
}
