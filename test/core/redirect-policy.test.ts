// The redirect policy (auth.md "Redirect URI policy"): which URIs a client may register. Each
// refusal names its rule; the built-in callbacks are exact strings, so every near miss is refused.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_REDIRECT_URIS, redirectPolicyVerdict } from '../../src/core/redirect-policy.ts';
import { Flow, testConfig } from './flow.ts';

const config = testConfig({ allowedRedirectUris: ['cursor://anysphere.cursor-retrieval/oauth/callback', 'https://exact.example/only/this'], trustedRedirectOrigins: ['https://app.example.net'] });
const verdict = (uri: string) => redirectPolicyVerdict(uri, config);

describe('redirect policy', () => {
  it.each([
    ...BUILT_IN_REDIRECT_URIS,
    'https://chatgpt.com/connector/oauth/AbC_12-x',
    'http://127.0.0.1:6274/oauth/callback',
    'http://localhost:33418/callback',
    'http://[::1]/cb?x=1',
    'cursor://anysphere.cursor-retrieval/oauth/callback',
    'https://exact.example/only/this',
    'https://app.example.net/any/path?q=1',
  ])('[REQ-10][CGPT-18][CLA-01] %s may be registered', (uri) => {
    expect(verdict(uri)).toEqual({ ok: true });
  });

  it.each([
    ['https://evil.example/cb', /not a ChatGPT or Claude callback/],
    ['https://evil.com/steal-tokens', /not a ChatGPT or Claude callback/],
    ['https://chatgpt.com.evil.example/connector/oauth/x', /not a ChatGPT or Claude callback/],
    ['https://chatgpt.com/connector/oauth/../../evil', /dot segment/],
    ['https://chatgpt.com/connector/oauth/%2e%2e/evil', /dot segment/],
    ['https://app.example.net/a/%2E%2e/cb', /dot segment/],
    ['https://app.example.net/a/./cb', /dot segment/],
    ['https://chatgpt.com/connector/oauth/a%2fb', /not a ChatGPT or Claude callback/],
    ['https://chatgpt.com:443/connector_platform_oauth_redirect', /canonical/],
    ['https://chatgpt.com:8443/connector_platform_oauth_redirect', /not a ChatGPT or Claude callback/],
    ['https://CHATGPT.com/connector_platform_oauth_redirect', /canonical/],
    ['https://сhatgpt.com/connector_platform_oauth_redirect', /canonical/], // Cyrillic с
    ['https://xn--80ak6aa92e.com/connector_platform_oauth_redirect', /not a ChatGPT or Claude callback/],
    ['https://claude.ai/api/mcp/auth_callback/', /not a ChatGPT or Claude callback/],
    ['https://user@claude.ai/api/mcp/auth_callback', /userinfo/],
    ['https://app.example.net\\@evil.example/cb', /backslash/],
    ['https://app.example.net/cb#frag', /fragment/],
    ['https://app.example.net:8443/cb', /not a ChatGPT or Claude callback/],
    ['http://app.example.net/cb', /not a ChatGPT or Claude callback/],
    ['https://localhost/cb', /not a ChatGPT or Claude callback/],
    ['http://127.0.0.2/cb', /not a ChatGPT or Claude callback/],
    ['cursor://anysphere.cursor-retrieval/oauth/other', /not a ChatGPT or Claude callback/],
    ['https://exact.example/only/this/too', /not a ChatGPT or Claude callback/],
    ['not a uri', /not an absolute URL/],
    [`https://app.example.net/${'p'.repeat(2000)}`, /longer than 2000/],
  ])('[REQ-10][MCP-41] %s is refused (%s)', (uri, why) => {
    const result = verdict(uri);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.why).toMatch(why);
  });

  it('[REQ-10][RFC7591-04] registration answers 400 invalid_redirect_uri naming the URI and the rule, for the first bad URI of several', () => {
    const flow = new Flow(config);
    const outcome = flow.register({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://evil.com/steal-tokens'] });
    expect(outcome).toMatchObject({ kind: 'error', error: { error: 'invalid_redirect_uri', status: 400 } });
    if (outcome.kind === 'error') expect(outcome.error.description).toMatch(/"https:\/\/evil\.com\/steal-tokens" is not a ChatGPT or Claude callback/);
    expect(Object.keys(flow.state.clients)).toEqual([]);
  });

  it('[REQ-10] with nothing configured only the built-in callbacks and loopback register', () => {
    const bare = testConfig({ trustedRedirectOrigins: [] });
    expect(redirectPolicyVerdict('https://app.example.net/cb', bare).ok).toBe(false);
    expect(redirectPolicyVerdict('https://chatgpt.com/connector_platform_oauth_redirect', bare).ok).toBe(true);
    expect(redirectPolicyVerdict('http://127.0.0.1:1234/cb', bare).ok).toBe(true);
  });
});
