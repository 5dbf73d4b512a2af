import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.ts';
import { describeScope, effectiveScopes, NOTES_SCOPES, OFFLINE_ACCESS } from '../../src/core/scopes.ts';

describe('the scopes module', () => {
  it('[REQ-17][EC-47] every scope the server can grant has plain words for the consent page', () => {
    const config = defaultConfig('https://notes.example.com');
    for (const scope of [...config.scopes, OFFLINE_ACCESS]) {
      expect(describeScope(scope), scope).not.toBe(scope);
    }
  });

  it('[MCP-25] the default configuration grants exactly the named scopes, and writing implies reading for each', () => {
    expect(defaultConfig('https://notes.example.com').scopes).toEqual(NOTES_SCOPES);
    expect([...effectiveScopes(NOTES_SCOPES.join(' '))].sort()).toEqual([...NOTES_SCOPES].sort());
    expect(effectiveScopes('notes:write').has('notes:read')).toBe(true);
    expect(effectiveScopes('notes:read').has('notes:write')).toBe(false);
  });
});
