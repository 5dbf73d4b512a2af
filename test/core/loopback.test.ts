// The one loopback definition, under its two rules.
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/core/loopback.ts';

describe('isLoopback', () => {
  it.each([
    ['http://127.0.0.1/callback', true],
    ['http://localhost:8976/cb', true],
    ['http://[::1]:3000/', true],
    ['https://127.0.0.1/callback', false],
    ['http://127.0.0.2/callback', false],
    ['http://app.localhost/cb', false],
    ['http://localhost.example.com/cb', false],
    ['http://example.com/cb', false],
    ['not a url', false],
  ])('[REQ-10][EC-22][MCP-41] as a redirect URI, %s is loopback: %s', (url, expected) => {
    expect(isLoopback(url, 'redirect')).toBe(expected);
    expect(isLoopback(url)).toBe(expected);
  });

  it.each([
    ['http://localhost:5173', true],
    ['https://127.0.0.1', true],
    ['http://127.9.8.7:80', true],
    ['http://[::1]', true],
    ['http://inspector.localhost', true],
    ['http://127.0.0.1.example.com', false],
    ['http://1270.0.0.1', false],
    ['https://chatgpt.com', false],
    ['', false],
  ])('[MCP-49] as a browser origin, %s is on this computer: %s', (url, expected) => {
    expect(isLoopback(url, 'origin')).toBe(expected);
  });

  it('[MCP-49] a parsed URL is judged like its string', () => {
    expect(isLoopback(new URL('http://localhost:1/'), 'origin')).toBe(true);
    expect(isLoopback(new URL('https://localhost/'), 'redirect')).toBe(false);
  });
});
