// Interning (src/records/intern.ts): records keep their values exactly, and equal repeated members
// become one shared, frozen copy.
import { describe, expect, it } from 'vitest';
import { internCollections, internRecord } from '../../src/records/index.ts';

const client = (id: string) => JSON.parse(JSON.stringify({ clientId: id, authMethod: 'none', redirectUris: ['https://chatgpt.com/connector_platform_oauth_redirect'], grantTypes: ['authorization_code', 'refresh_token'], clientName: 'ChatGPT', issuedAt: 1, source: 'dcr' })) as Record<string, unknown>;

describe('[OPS-MEM-01] interning', () => {
  it('[OPS-MEM-01] an interned record is equal to what it was, and serialises to the same bytes', () => {
    const record = client('a');
    const before = JSON.stringify(record);
    const copy = structuredClone(record);
    expect(internRecord(record)).toBe(record);
    expect(record).toEqual(copy);
    expect(JSON.stringify(record)).toBe(before);
  });

  it('[OPS-MEM-01] equal repeated lists of two records become one frozen list; ids and unique members stay their own', () => {
    const [a, b] = [client('a'), client('b')];
    expect(a.redirectUris).not.toBe(b.redirectUris);
    internCollections({ clients: { a, b } });
    expect(a.redirectUris).toBe(b.redirectUris);
    expect(a.grantTypes).toBe(b.grantTypes);
    expect(Object.isFrozen(a.grantTypes)).toBe(true);
    expect(() => (a.grantTypes as string[]).push('x')).toThrow(TypeError);
    expect(a.clientId).toBe('a');
    expect(b.clientId).toBe('b');
  });

  it('[OPS-MEM-01] members outside the repeated set, and lists holding anything but short strings, are left as they are', () => {
    const grant = { grantId: 'g', refreshHashes: ['h1'], scopes: ['notes:read'], nested: [{ x: 1 }], userId: 'u' };
    const hashes = grant.refreshHashes;
    const nested = grant.nested;
    internRecord(grant);
    expect(grant.refreshHashes).toBe(hashes);
    expect(Object.isFrozen(grant.refreshHashes)).toBe(false);
    expect(grant.nested).toBe(nested);
    expect(Object.isFrozen(grant.scopes)).toBe(true);
  });
});
