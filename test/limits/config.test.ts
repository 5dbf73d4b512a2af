// Rate limits from the environment: the documented defaults, the `<count>/<window>` form, the
// switch, and a clear refusal of anything else.
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, DEFAULT_RATE_LIMITS } from '../../src/config.ts';

describe('[limits] rate-limit configuration', () => {
  it('[limits] without variables every limit is on with the documented defaults', () => {
    expect(configFromEnv({}).rateLimits).toEqual({
      enabled: true,
      loginFailuresPerIp: { points: 50, seconds: 900 },
      loginFailuresPerUserAndIp: { points: 10, seconds: 900 },
      loginFailuresPerUserTotal: { points: 100, seconds: 3600 },
      setupPerIp: { points: 10, seconds: 900 },
      registerPerIp: { points: 20, seconds: 3600 },
      tokenPerClient: { points: 120, seconds: 60 },
      tokenPerIp: { points: 300, seconds: 60 },
      tokenFailuresPerIp: { points: 60, seconds: 60 },
      revokePerIp: { points: 60, seconds: 60 },
      authorizePerIp: { points: 60, seconds: 60 },
      mcpPerGrant: { points: 600, seconds: 60 },
      mcpPerIp: { points: 300, seconds: 60 },
    });
  });

  it('[limits] each variable reads <count>/<window> with the window in s, m or h', () => {
    const limits = configFromEnv({
      RATE_LIMIT_LOGIN_PER_IP: '5/30s',
      RATE_LIMIT_LOGIN_PER_USER: '3/15m',
      RATE_LIMIT_LOGIN_PER_USER_TOTAL: '30/2h',
      RATE_LIMIT_SETUP_PER_IP: '4/10m',
      RATE_LIMIT_REGISTER_PER_IP: '100/24h',
      RATE_LIMIT_TOKEN_PER_CLIENT: '7/1m',
      RATE_LIMIT_TOKEN_PER_IP: '8/2m',
      RATE_LIMIT_AUTHORIZE_PER_IP: '9/1h',
      RATE_LIMIT_MCP: '1000/10s',
      RATE_LIMIT_TOKEN_FAILURES_PER_IP: '4/1m',
      RATE_LIMIT_REVOKE_PER_IP: '5/1m',
      RATE_LIMIT_MCP_PER_IP: '6/1m',
    }).rateLimits;
    expect(limits).toEqual({
      enabled: true,
      loginFailuresPerIp: { points: 5, seconds: 30 },
      loginFailuresPerUserAndIp: { points: 3, seconds: 900 },
      loginFailuresPerUserTotal: { points: 30, seconds: 7200 },
      setupPerIp: { points: 4, seconds: 600 },
      registerPerIp: { points: 100, seconds: 86_400 },
      tokenPerClient: { points: 7, seconds: 60 },
      tokenPerIp: { points: 8, seconds: 120 },
      tokenFailuresPerIp: { points: 4, seconds: 60 },
      revokePerIp: { points: 5, seconds: 60 },
      authorizePerIp: { points: 9, seconds: 3600 },
      mcpPerGrant: { points: 1000, seconds: 10 },
      mcpPerIp: { points: 6, seconds: 60 },
    });
  });

  it('[limits] RATE_LIMITS=off disables them, on or empty keeps them', () => {
    expect(configFromEnv({ RATE_LIMITS: 'off' }).rateLimits).toEqual({ enabled: false, ...DEFAULT_RATE_LIMITS });
    expect(configFromEnv({ RATE_LIMITS: 'on' }).rateLimits.enabled).toBe(true);
    expect(configFromEnv({ RATE_LIMITS: '' }).rateLimits.enabled).toBe(true);
  });

  it.each([
    ['RATE_LIMITS', 'no'],
    ['RATE_LIMIT_MCP', '600'],
    ['RATE_LIMIT_MCP', '600/min'],
    ['RATE_LIMIT_MCP', '0/1m'],
    ['RATE_LIMIT_MCP', '-1/1m'],
    ['RATE_LIMIT_MCP', '1.5/1m'],
    ['RATE_LIMIT_LOGIN_PER_USER', '10/0s'],
    ['RATE_LIMIT_REGISTER_PER_IP', '20/25h'],
    ['RATE_LIMIT_LOGIN_PER_USER_TOTAL', '100'],
    ['RATE_LIMIT_SETUP_PER_IP', '10/15'],
  ])('[limits] %s=%s is refused at start, naming the variable', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(name);
  });
});
