// The one builder of Bearer challenges: parameter order, quoting and the RFC 6750 alphabets.
import { describe, expect, it } from 'vitest';
import { bearerChallenge, quotedString, resourceMetadataUrl, safeDescription } from '../../src/http/middleware/www-authenticate.ts';
import { challengeParams } from './harness.ts';

const PRM = 'https://notes.example.com/.well-known/oauth-protected-resource/mcp';

describe('[mcp] Bearer challenges', () => {
  it('[REQ-02][RFC6750-04] a no-token challenge names the metadata and the scopes, and no error', () => {
    expect(bearerChallenge({ resourceMetadata: PRM, scope: ['notes:read', 'notes:write'] })).toBe(
      `Bearer resource_metadata="${PRM}", scope="notes:read notes:write"`,
    );
  });

  it('[MCP-24][RFC6750-02] an insufficient-scope challenge carries error, description, scope and metadata', () => {
    const header = bearerChallenge({ resourceMetadata: PRM, error: 'insufficient_scope', errorDescription: 'needs notes:write', scope: ['notes:write'] });
    expect(header).toBe(`Bearer resource_metadata="${PRM}", error="insufficient_scope", error_description="needs notes:write", scope="notes:write"`);
    expect(challengeParams(header)).toEqual({ resource_metadata: PRM, error: 'insufficient_scope', error_description: 'needs notes:write', scope: 'notes:write' });
  });

  it('[RFC6750-02] quoted strings escape backslashes and quotes; descriptions keep to the RFC 6750 alphabet', () => {
    expect(quotedString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quotedString('line\nbreak')).toThrow();
    expect(safeDescription('token "x" is bad \\ é')).toBe("token 'x' is bad ? ?");
    const header = bearerChallenge({ resourceMetadata: PRM, error: 'invalid_token', errorDescription: 'the "aud" claim is wrong\n' });
    expect(challengeParams(header).error_description).toBe("the 'aud' claim is wrong?");
  });

  it('[RFC6750-02] a scope that is not a scope token is a programming error', () => {
    expect(() => bearerChallenge({ resourceMetadata: PRM, scope: ['notes read'] })).toThrow(/scope token/);
    expect(() => bearerChallenge({ resourceMetadata: PRM, scope: ['a"b'] })).toThrow(/scope token/);
  });

  it('[REQ-01] the metadata URL is the path-inserted well-known location of the resource', () => {
    expect(resourceMetadataUrl('https://notes.example.com/mcp')).toBe(PRM);
    expect(resourceMetadataUrl('http://127.0.0.1:3000/mcp')).toBe('http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp');
    expect(resourceMetadataUrl('https://notes.example.com')).toBe('https://notes.example.com/.well-known/oauth-protected-resource');
  });
});
