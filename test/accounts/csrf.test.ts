import { describe, expect, it } from 'vitest';
import { csrfMatches } from '../../src/accounts/index.ts';

describe('[MCP-45] CSRF tokens', () => {
  it('[MCP-45] a form token matches only the exact token bound to the session', () => {
    expect(csrfMatches('abc123', 'abc123')).toBe(true);
    expect(csrfMatches('abc123', 'abc124')).toBe(false);
    expect(csrfMatches('abc123', 'ABC123')).toBe(false);
  });

  it.each([
    ['a shorter token', 'abc12'],
    ['a longer token', 'abc1234'],
    ['an empty token', ''],
    ['no token', undefined],
    ['a repeated field', ['abc123', 'abc123']],
    ['a number', 123],
  ])('[MCP-45] %s never matches', (_name, given) => {
    expect(csrfMatches('abc123', given)).toBe(false);
  });

  it('[MCP-45] an empty expected token matches nothing, not even an empty one', () => {
    expect(csrfMatches('', '')).toBe(false);
  });
});
