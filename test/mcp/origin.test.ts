// Origin policy of the MCP endpoint (MCP-49).
import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '../../src/mcp/origin.ts';

const hosted = { publicUrl: 'https://notes.example.com', allowedOrigins: ['https://inspector.example.org/'] };
const local = { publicUrl: 'http://localhost:3000', allowedOrigins: [] };

describe('[mcp] Origin policy', () => {
  it('[MCP-49] no Origin passes; our own origin and configured ones pass; others do not', () => {
    expect(isAllowedOrigin(undefined, hosted)).toBe(true);
    expect(isAllowedOrigin('https://notes.example.com', hosted)).toBe(true);
    expect(isAllowedOrigin('https://inspector.example.org', hosted)).toBe(true);
    expect(isAllowedOrigin('https://evil.example', hosted)).toBe(false);
    expect(isAllowedOrigin('http://notes.example.com', hosted)).toBe(false);
    expect(isAllowedOrigin('https://notes.example.com:8443', hosted)).toBe(false);
  });

  it('[MCP-49] null, malformed and non-origin values are refused', () => {
    for (const origin of ['null', '', 'notes.example.com', 'https://notes.example.com/path', 'file:///etc', 'https://user@notes.example.com']) {
      expect(isAllowedOrigin(origin, hosted), origin).toBe(false);
    }
  });

  it('[MCP-49] loopback origins pass only while the server itself is on loopback', () => {
    expect(isAllowedOrigin('http://localhost:6274', local)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:6274', local)).toBe(true);
    expect(isAllowedOrigin('http://[::1]:6274', local)).toBe(true);
    expect(isAllowedOrigin('http://localhost:6274', hosted)).toBe(false);
  });
});
