// The redirect policy's settings from the environment: exact URIs (under the new name and the old
// one), trusted origins, and a clear refusal of an origin that is not one.
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../src/config.ts';

describe('[config] redirect policy settings', () => {
  it('[REQ-10] nothing is allowed beyond the built-ins unless the operator says so', () => {
    const { core } = configFromEnv({});
    expect([core.allowedRedirectUris, core.trustedRedirectOrigins]).toEqual([[], []]);
  });

  it('[REQ-10] ALLOWED_REDIRECT_URIS lists exact URIs; EXTRA_REDIRECT_URIS, the old name, is still read', () => {
    expect(configFromEnv({ ALLOWED_REDIRECT_URIS: 'cursor://a/cb, https://x.example/cb ,' }).core.allowedRedirectUris).toEqual(['cursor://a/cb', 'https://x.example/cb']);
    expect(configFromEnv({ EXTRA_REDIRECT_URIS: 'cursor://old/cb' }).core.allowedRedirectUris).toEqual(['cursor://old/cb']);
    expect(configFromEnv({ ALLOWED_REDIRECT_URIS: 'cursor://new/cb', EXTRA_REDIRECT_URIS: 'cursor://old/cb' }).core.allowedRedirectUris).toEqual(['cursor://new/cb']);
  });

  it('[REQ-10] TRUSTED_REDIRECT_ORIGINS takes https origins and refuses anything else in one line', () => {
    expect(configFromEnv({ TRUSTED_REDIRECT_ORIGINS: 'https://app.example.com,https://b.example:8443' }).core.trustedRedirectOrigins).toEqual(['https://app.example.com', 'https://b.example:8443']);
    for (const bad of ['http://app.example.com', 'https://app.example.com/', 'https://app.example.com/cb', 'https://APP.example.com', 'https://app.example.com:443', 'app.example.com']) {
      expect(() => configFromEnv({ TRUSTED_REDIRECT_ORIGINS: bad }), bad).toThrow(ConfigError);
      expect(() => configFromEnv({ TRUSTED_REDIRECT_ORIGINS: bad }), bad).toThrow(/TRUSTED_REDIRECT_ORIGINS entries must be https origins/);
    }
  });
});
