// The ChatGPT conformance client against our own server: started in memory on an ephemeral port,
// driven only over HTTP. One test per check; the run happens once, the tests read its verdicts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId } from '../../spec/catalogue.ts';
import { extractTitles, idsInTitle } from '../../spec/coverage.ts';
import { CHECKS, formatReport, runConformance, type CheckId, type CheckResult } from '../../spec/conformance/index.ts';
import { DocumentHost } from '../kit/document-host.ts';
import { PASSWORD, startTestServer, type TestServer } from '../kit/server.ts';

const USERNAME = 'alice';
/** A public client's metadata document, served from 127.0.0.1 under a name only this test resolves. */
const DOCUMENT_URL = 'https://documents.example/conformance/client.json';

let host: DocumentHost;
let server: TestServer;
let results: CheckResult[] = [];
const judged = new Set<string>();

beforeAll(async () => {
  // Rate limits as shipped: the conformance client must get through them like ChatGPT does.
  host = await DocumentHost.start();
  host.serve(DOCUMENT_URL, { client_id: DOCUMENT_URL, client_name: 'Conformance document client', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none' });
  server = await startTestServer({ users: [USERNAME], env: { RATE_LIMITS: 'on' }, fetchPolicy: host.fetchPolicy() });
  results = await runConformance({ baseUrl: server.url, username: USERNAME, password: PASSWORD, clientMetadataUrl: DOCUMENT_URL });
  console.log(`\n${formatReport(results)}\n`);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await host?.close();
});

/** The verdict of one check: failures fail the test, skips skip it with the reason. */
function verdict(id: CheckId, context: { skip: (note?: string) => never }): void {
  judged.add(id);
  const result = results.find((r) => r.id === id);
  expect(result, `check ${id} did not run`).toBeDefined();
  if (result?.status === 'skip') context.skip(result.detail);
  expect(result?.status, result?.detail).toBe('pass');
}

describe('ChatGPT conformance: ChatGPT steps', () => {
  it('[REQ-01][CGPT-01][CGPT-02][CGPT-03] conformance: protected-resource metadata is served at both well-known paths with one body and a canonical resource', (ctx) => verdict('prm', ctx));
  it('[REQ-08][CGPT-08][CGPT-10][CGPT-13][MCP-11] conformance: authorization-server metadata names the PRM issuer, S256 and the iss flag', (ctx) => verdict('as-metadata', ctx));
  it("[REQ-14][CGPT-09] conformance: ChatGPT's dynamic registration gets 201, a client_id and auth method none", (ctx) => verdict('register', ctx));
  it('[REQ-09][REQ-12][CGPT-22][CGPT-27] conformance: authorize redirect carries code, state and iss', (ctx) => verdict('authorize', ctx));
  it('[REQ-15][CGPT-24] conformance: code exchange with resource and redirect_uri returns uncached tokens', (ctx) => verdict('token', ctx));
  it('[REQ-03][CGPT-25][MCP-33] conformance: access token verifies against the JWKS with issuer, audience, expiry and scopes, and opens /mcp', (ctx) => verdict('access-token', ctx));
  it('[REQ-02][CGPT-05] conformance: /mcp without a token answers 401 naming resource_metadata', (ctx) => verdict('mcp-challenge', ctx));
});

describe('ChatGPT conformance: negative cases', () => {
  it('[REQ-09] conformance: an authorization request without PKCE is sent back with invalid_request and iss', (ctx) => verdict('pkce-missing', ctx));
  it('[REQ-09][EC-17] conformance: code_challenge_method=plain is refused', (ctx) => verdict('pkce-plain', ctx));
  it('[REQ-10][MCP-41] conformance: registering a non-loopback http redirect URI is refused with invalid_redirect_uri', (ctx) => verdict('register-http-redirect', ctx));
  it('[REQ-10] conformance: registering an https redirect URI outside the allowlist (https://evil.com/steal-tokens) is refused with invalid_redirect_uri', (ctx) => verdict('register-evil-redirect', ctx));
  it('[REQ-10][OA21-07] conformance: an unregistered redirect_uri gets a 400 page, never a redirect', (ctx) => verdict('unregistered-redirect', ctx));
  it('[REQ-09][RFC7636-03] conformance: a wrong code_verifier is invalid_grant', (ctx) => verdict('wrong-verifier', ctx));
  it('[REQ-09][OA21-05][EC-18] conformance: a replayed code is invalid_grant and kills the first refresh token', (ctx) => verdict('code-replay', ctx));
  it('[REQ-11][EC-04] conformance: a foreign resource at the token endpoint is invalid_target', (ctx) => verdict('wrong-resource', ctx));
  it('[REQ-03][MCP-53] conformance: /mcp answers 401 to an expired access token', (ctx) => verdict('expired-token', ctx));
  it('[REQ-03][MCP-53] conformance: /mcp answers 401 to a token for another audience', (ctx) => verdict('wrong-audience', ctx));
  it('[REQ-16][EC-31] conformance: a replayed rotated refresh token is invalid_grant and revokes its family', (ctx) => verdict('refresh-reuse', ctx));
  it('[EC-25][REQ-12] conformance: denied consent sends access_denied with state and iss', (ctx) => verdict('consent-deny', ctx));
  it('[REQ-16] conformance: refreshing returns a new refresh token', (ctx) => verdict('refresh-rotation', ctx));
  it('[REQ-19] conformance: revocation answers 200 and the revoked refresh token stops working', (ctx) => verdict('revocation', ctx));
});

describe('ChatGPT conformance: other clients', () => {
  it('[CLA-01][EC-27][EC-11] conformance: Claude-shaped registration without scope or auth method gets none, and a scope-less authorization works', (ctx) => verdict('claude-register', ctx));
  it("[INSP-01][EC-22][REQ-10] conformance: Inspector's loopback callback on another port gets sign-in, consent and its code", (ctx) => verdict('inspector-loopback', ctx));
});

describe('ChatGPT conformance: client ID metadata documents', () => {
  it('[REQ-13][MCP-19][CLA-04] conformance: the metadata advertises client_id_metadata_document_supported and offers none (what Claude needs to use a document)', (ctx) => verdict('cimd-advertised', ctx));
  it('[REQ-13][EC-41][CIMD-03] conformance: a client_id URL on a loopback address gets a 400 page, never a redirect', (ctx) => verdict('cimd-private-address', ctx));
  it('[REQ-13][CIMD-01][EC-41] conformance: a client_id URL with a dot segment gets a 400 page, never a redirect', (ctx) => verdict('cimd-bad-url', ctx));
  it('[REQ-13][MCP-17][CLA-15] conformance: a public metadata-document client (--client-metadata-url) gets consent, a code and tokens naming its URL', (ctx) => verdict('cimd-client', ctx));
});

describe('ChatGPT conformance: the suite itself', () => {
  it('[spec] every check has a test above, and each title names exactly the rules of its check', () => {
    expect([...judged].sort()).toEqual(CHECKS.map((c) => c.id).sort());
    expect(results.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    const titles = extractTitles(readFileSync(fileURLToPath(import.meta.url), 'utf8'));
    for (const check of CHECKS) {
      const title = titles.find((t) => t.endsWith(`conformance: ${check.title}`));
      expect(title, `no test titled after check ${check.id}`).toBeDefined();
      expect(idsInTitle(title ?? '').sort(), check.id).toEqual([...check.rules].sort());
    }
  });

  it('[spec] every rule a check names exists in the catalogue', () => {
    const unknown = CHECKS.flatMap((c) => c.rules.filter((id) => byId(id) === undefined).map((id) => `${c.id}: ${id}`));
    expect(unknown).toEqual([]);
  });
});
