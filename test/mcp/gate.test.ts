// The bearer gate's pure parts: reading the header, the scope hierarchy, the identity handed on.
import { describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from '../../src/core/types.ts';
import { effectiveScopes } from '../../src/core/scopes.ts';
import { authInfoOf, bearerToken, identifyCaller, principalOf, satisfies } from '../../src/mcp/gate.ts';
import type { Verification } from '../../src/tokens/index.ts';

const claims: AccessTokenClaims = { iss: 'https://n.example', sub: 'user-1', aud: 'https://n.example/mcp', client_id: 'client-1', scope: 'notes:write', iat: 1, exp: 2, jti: 'j', gid: 'grant-1' };
const accept = async (): Promise<Verification> => ({ ok: true, claims });
const refuse = async (): Promise<Verification> => ({ ok: false, error: 'invalid_token', description: 'token expired' });

describe('[mcp] bearer gate', () => {
  it('[RFC6750-01][MCP-32] only the Bearer scheme of the Authorization header carries a token', () => {
    expect(bearerToken(undefined)).toEqual({ kind: 'none' });
    expect(bearerToken('Basic dXNlcjpwYXNz')).toEqual({ kind: 'none' });
    expect(bearerToken('Bearer abc.def-ghi_jkl~')).toEqual({ kind: 'token', token: 'abc.def-ghi_jkl~' });
    expect(bearerToken('bearer abc')).toEqual({ kind: 'token', token: 'abc' });
    expect(bearerToken('Bearer')).toEqual({ kind: 'malformed' });
    expect(bearerToken('Bearer a b')).toEqual({ kind: 'malformed' });
  });

  it('[RFC6750-01] the scheme must open the header: anything before it makes the header no credential', () => {
    for (const header of ['1Bearer abc', ' Bearer abc', '"Bearer abc', 'x,Bearer abc']) expect(bearerToken(header), header).toEqual({ kind: 'none' });
    expect(bearerToken('Bearer   abc  ')).toEqual({ kind: 'token', token: 'abc' });
  });

  it('[MCP-25] notes:write implies notes:read; nothing else is implied', () => {
    expect([...effectiveScopes('notes:write')].sort()).toEqual(['notes:read', 'notes:write']);
    expect([...effectiveScopes('notes:read')]).toEqual(['notes:read']);
    expect([...effectiveScopes('')]).toEqual([]);
    expect([...effectiveScopes('constructor __proto__')].sort()).toEqual(['__proto__', 'constructor']);
  });

  it('[REQ-03][EC-34] a token is verified fully or counts as refused; no header is anonymous', async () => {
    expect(await identifyCaller(undefined, accept)).toEqual({ kind: 'anonymous' });
    expect(await identifyCaller('Bearer x', refuse)).toEqual({ kind: 'invalid', description: 'token expired' });
    expect(await identifyCaller('Bearer', accept)).toEqual({ kind: 'invalid', description: 'the Authorization header does not hold a bearer token' });
    const caller = await identifyCaller('Bearer x', accept);
    expect(caller.kind).toBe('authenticated');
    expect(satisfies(caller, ['notes:read'])).toBe(true);
    expect(satisfies({ kind: 'anonymous' }, ['notes:read'])).toBe(false);
    expect(satisfies({ kind: 'anonymous' }, [])).toBe(true);
  });

  it('[mcp] the SDK authInfo carries token, client, scopes with the hierarchy, user and grant', async () => {
    const caller = await identifyCaller('Bearer tok', accept);
    if (caller.kind !== 'authenticated') throw new Error('expected a user');
    const info = authInfoOf(caller);
    expect(info).toMatchObject({ token: 'tok', clientId: 'client-1', scopes: ['notes:read', 'notes:write'], expiresAt: 2, extra: { userId: 'user-1', grantId: 'grant-1' } });
    expect(principalOf(info)).toEqual({ kind: 'user', userId: 'user-1', scopes: new Set(['notes:read', 'notes:write']) });
    expect(principalOf(undefined)).toEqual({ kind: 'anonymous' });
    expect(principalOf({ token: 't', clientId: 'c', scopes: [] })).toEqual({ kind: 'anonymous' });
    // Only a non-empty string user id makes a user; anything else the SDK might pass is nobody.
    for (const userId of ['', 42, null]) expect(principalOf({ token: 't', clientId: 'c', scopes: ['notes:read'], extra: { userId } }), String(userId)).toEqual({ kind: 'anonymous' });
  });
});
