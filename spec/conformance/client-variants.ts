// Other clients the same server must serve: Claude's registration and MCP Inspector's loopback
// callback on a port it did not register.
import type { CheckId } from './checks.ts';
import { authorize, codeOf, exchangeCode, register, tokenSet } from './client.ts';
import { Failure, Findings, strings, type CheckRun, type RegisteredClient } from './context.ts';
import { describeReply, jsonObject } from './http.ts';

const CLAUDE_REDIRECT = 'https://claude.ai/api/mcp/auth_callback';
const INSPECTOR_REGISTERED = 'http://127.0.0.1/oauth/callback';
const INSPECTOR_REDIRECT = 'http://127.0.0.1:6276/oauth/callback';

/** Registers `body`, expecting 201 and auth method none echoed; returns the client or a `Failure`. */
async function registerPublic(run: Parameters<CheckRun>[0], body: Record<string, unknown>, found: Findings): Promise<RegisteredClient> {
  const reply = await register(run, body);
  const client = jsonObject(reply);
  if (reply.status !== 201 || typeof client?.client_id !== 'string') throw new Failure(`${describeReply(reply)}, expected 201 with a client_id`);
  found.expect(client.token_endpoint_auth_method === 'none', `\`token_endpoint_auth_method\` is ${JSON.stringify(client.token_endpoint_auth_method)}, expected "none"`);
  return { clientId: client.client_id, redirectUri: strings(body.redirect_uris)?.[0] ?? '' };
}

const claudeRegister: CheckRun = async (run) => {
  const found = new Findings();
  const client = await registerPublic(run, {
    client_name: 'Claude',
    redirect_uris: [CLAUDE_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }, found);
  // EC-11: an authorization request without `scope` gets the default scopes.
  const auth = await authorize(run, { client, override: { scope: undefined } });
  const code = codeOf(auth);
  const reply = await exchangeCode(run, { client, code, verifier: auth.pkce.verifier });
  const tokens = tokenSet(reply);
  found.expect(tokens !== undefined, `${describeReply(reply)}, expected tokens`);
  found.expect((tokens?.scope ?? '').trim() !== '', 'the scope-less authorization granted an empty scope');
  return found.verdict(`201 with none; scope-less authorization granted "${tokens?.scope ?? ''}"`);
};

const inspectorLoopback: CheckRun = async (run) => {
  const found = new Findings();
  const client = await registerPublic(run, {
    client_name: 'MCP Inspector',
    redirect_uris: [INSPECTOR_REGISTERED],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }, found);
  const auth = await authorize(run, { client, redirectUri: INSPECTOR_REDIRECT, alsoStopAt: [INSPECTOR_REGISTERED] });
  const code = codeOf(auth);
  if (auth.walk.end !== 'redirect') throw new Failure('no redirect');
  const { location } = auth.walk;
  found.expect(location.origin === new URL(INSPECTOR_REDIRECT).origin, `redirected to ${location.origin}${location.pathname}, expected ${INSPECTOR_REDIRECT}`);
  found.expect(auth.walk.sawConsent, 'no consent page was shown to a new loopback client');
  found.expect(location.searchParams.get('state') === auth.state && location.searchParams.get('iss') === run.metadata('issuer'), 'state or iss missing from the redirect');
  const reply = await exchangeCode(run, { client, code, verifier: auth.pkce.verifier, redirectUri: INSPECTOR_REDIRECT });
  found.expect(tokenSet(reply) !== undefined, `exchange with the port-6276 redirect_uri: ${describeReply(reply)}`);
  return found.verdict(`${auth.walk.sawLogin ? 'sign-in, ' : ''}consent, code at ${INSPECTOR_REDIRECT}, tokens`);
};

export const clientVariants = {
  'claude-register': claudeRegister,
  'inspector-loopback': inspectorLoopback,
} satisfies Partial<Record<CheckId, CheckRun>>;
