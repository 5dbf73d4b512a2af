// What a server must refuse: missing or weak PKCE, bad redirect URIs, wrong verifiers, replays,
// foreign resources and audiences, reused refresh tokens; and what deny and revoke must do.
import type { CheckId } from './checks.ts';
import {
  authorize, callMcp, chatgptRegistration, exchangeCode, freshCode, freshTokens, mcpWithoutToken,
  oauthError, refresh, register, registerOrUnmet, revoke, tokenSet, type Authorization,
} from './client.ts';
import { Failure, Findings, Skip, type CheckRun, type Conformance } from './context.ts';
import { describeReply, type Reply } from './http.ts';
import { newPkce } from './pkce.ts';

const FOREIGN_RESOURCE = 'https://attacker.example/mcp';
const FOREIGN_REDIRECT = 'https://attacker.example/callback';

/** The authorization ended with an error redirected to the client, carrying `state` and `iss`. */
function expectRedirectedError(run: Conformance, auth: Authorization, expected: string | undefined, found: Findings): string {
  const { walk } = auth;
  if (walk.end === 'page') throw new Failure(`no redirect to the client: ${describeReply(walk.reply)} (${walk.reason})`);
  const params = walk.location.searchParams;
  const error = params.get('error');
  found.expect(params.get('code') === null, 'the client got a code');
  found.expect(error !== null && (expected === undefined || error === expected), `error is ${JSON.stringify(error)}, expected ${expected ?? 'an error'}`);
  found.expect(params.get('state') === auth.state, `\`state\` came back as ${JSON.stringify(params.get('state'))}`);
  found.expect(params.get('iss') === run.metadata('issuer'), `\`iss\` is ${JSON.stringify(params.get('iss'))}, expected ${run.metadata('issuer')}`);
  return `redirected with error=${error ?? '?'}, state and iss`;
}

/** A token answer is the OAuth error `expected` (status 400). */
function expectTokenError(found: Findings, reply: Reply, expected: string, what: string): void {
  found.expect(reply.status === 400 && oauthError(reply) === expected, `${what}: ${describeReply(reply)}, expected 400 ${expected}`);
}

const pkceMissing: CheckRun = async (run) => {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const auth = await authorize(run, { client, override: { code_challenge: undefined, code_challenge_method: undefined } });
  const found = new Findings();
  return found.verdict(expectRedirectedError(run, auth, 'invalid_request', found));
};

const pkcePlain: CheckRun = async (run) => {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const plain = newPkce().verifier;
  const auth = await authorize(run, { client, override: { code_challenge: plain, code_challenge_method: 'plain' } });
  const found = new Findings();
  return found.verdict(expectRedirectedError(run, auth, undefined, found));
};

const registerHttpRedirect: CheckRun = async (run) => {
  const reply = await register(run, { ...chatgptRegistration('conformance: http redirect'), redirect_uris: ['http://example.com/callback'] });
  const found = new Findings();
  found.expect(reply.status === 400 && oauthError(reply) === 'invalid_redirect_uri', `${describeReply(reply)}, expected 400 invalid_redirect_uri`);
  return found.verdict('http://example.com/callback refused with invalid_redirect_uri');
};

/** The seed's negative DCR case: open registration must not hand a phishing page a callback. */
const registerEvilRedirect: CheckRun = async (run) => {
  const reply = await register(run, { ...chatgptRegistration('conformance: evil redirect'), redirect_uris: ['https://evil.com/steal-tokens'] });
  const found = new Findings();
  found.expect(reply.status === 400 && oauthError(reply) === 'invalid_redirect_uri', `${describeReply(reply)}, expected 400 invalid_redirect_uri`);
  return found.verdict('https://evil.com/steal-tokens refused with invalid_redirect_uri');
};

const unregisteredRedirect: CheckRun = async (run) => {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const auth = await authorize(run, { client, redirectUri: FOREIGN_REDIRECT });
  if (auth.walk.end === 'redirect') throw new Failure(`the server redirected to the unregistered ${auth.walk.location.origin}${auth.walk.location.pathname}`);
  const found = new Findings();
  found.expect(auth.walk.reply.status === 400, `ended on ${describeReply(auth.walk.reply)}, expected a 400 page`);
  return found.verdict(`400 page after ${auth.walk.trail.join(', ')}`);
};

const wrongVerifier: CheckRun = async (run) => {
  const { client, code } = await freshCode(run);
  const reply = await exchangeCode(run, { client, code, verifier: newPkce().verifier });
  const found = new Findings();
  expectTokenError(found, reply, 'invalid_grant', 'exchange with another verifier');
  return found.verdict('invalid_grant');
};

const codeReplay: CheckRun = async (run) => {
  const { client, code, pkce } = await freshCode(run);
  const first = await exchangeCode(run, { client, code, verifier: pkce.verifier });
  const tokens = run.need(tokenSet(first), `a first exchange that works (${describeReply(first)})`);
  const replay = await exchangeCode(run, { client, code, verifier: pkce.verifier });
  const found = new Findings();
  expectTokenError(found, replay, 'invalid_grant', 'second exchange of the code');
  if (tokens.refresh_token === undefined) return found.verdict('replay is invalid_grant (no refresh token was issued to check)');
  expectTokenError(found, await refresh(run, client, tokens.refresh_token), 'invalid_grant', 'refresh with the first refresh token after the replay');
  return found.verdict('replay is invalid_grant; the first refresh token is dead');
};

const wrongResource: CheckRun = async (run) => {
  const { client, code, pkce } = await freshCode(run);
  const reply = await exchangeCode(run, { client, code, verifier: pkce.verifier, resource: FOREIGN_RESOURCE });
  const found = new Findings();
  expectTokenError(found, reply, 'invalid_target', `exchange with resource=${FOREIGN_RESOURCE}`);
  return found.verdict('invalid_target');
};

/** The real access token with some claims changed; its signature no longer matches. */
function tampered(token: string, claims: Record<string, unknown>): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...decoded, ...claims })).toString('base64url'), signature].join('.');
}

async function expectRejected(run: Conformance, token: string, what: string): Promise<string> {
  const reply = await callMcp(run, token);
  const found = new Findings();
  found.expect(reply.status === 401, `${describeReply(reply)} for ${what}, expected 401`);
  const challenge = reply.headers.get('www-authenticate') ?? '';
  found.expect(/resource_metadata=/i.test(challenge), `the 401 challenge ${JSON.stringify(challenge)} does not name resource_metadata`);
  return found.verdict(`401 for ${what}${/invalid_token/.test(challenge) ? ' (error="invalid_token")' : ''}`);
}

const expiredToken: CheckRun = async (run) => {
  await mcpWithoutToken(run);
  const { access_token } = run.need(run.tokens, 'an access token (check token)');
  const now = Math.floor(Date.now() / 1000);
  // A black box cannot get an expired token signed by the server; this is the real one with exp
  // and iat moved an hour back, so its signature no longer matches either.
  return expectRejected(run, tampered(access_token, { iat: now - 7200, exp: now - 3600 }), 'the token with exp an hour ago (re-encoded, signature no longer matching)');
};

const wrongAudience: CheckRun = async (run) => {
  try {
    await mcpWithoutToken(run);
  } catch (error) {
    if (error instanceof Skip) throw new Skip(`a black box cannot mint a token for another audience, and ${error.message}`);
    throw error;
  }
  const { access_token } = run.need(run.tokens, 'an access token (check token)');
  return expectRejected(run, tampered(access_token, { aud: FOREIGN_RESOURCE }), `the token with aud ${FOREIGN_RESOURCE} (re-encoded, signature no longer matching)`);
};

const refreshReuse: CheckRun = async (run) => {
  const { client, tokens } = await freshTokens(run);
  const first = tokens.refresh_token;
  const rotated = tokenSet(await refresh(run, client, first));
  if (rotated?.refresh_token === undefined || rotated.refresh_token === first) throw new Failure('the first refresh did not rotate the refresh token');
  const second = rotated.refresh_token;
  const found = new Findings();
  const retry = await refresh(run, client, first);
  if (retry.status === 400 && oauthError(retry) === 'invalid_grant') {
    // No grace window: the replay itself must have killed the family.
    expectTokenError(found, await refresh(run, client, second), 'invalid_grant', 'refresh with the successor after the replay');
    return found.verdict('immediate replay is invalid_grant and kills the successor');
  }
  if (tokenSet(retry)?.refresh_token !== second) throw new Failure(`immediate replay of the rotated token: ${describeReply(retry)}, expected invalid_grant or (grace retry) the same successor`);
  // A grace retry returned the same successor; after one more rotation the old token is plain reuse.
  const third = tokenSet(await refresh(run, client, second))?.refresh_token;
  if (third === undefined || third === second) throw new Failure('the second refresh did not rotate the refresh token');
  expectTokenError(found, await refresh(run, client, first), 'invalid_grant', 'replay of the first token after two rotations');
  expectTokenError(found, await refresh(run, client, third), 'invalid_grant', 'refresh with the live token after the replay');
  return found.verdict('immediate replay was a grace retry (same successor); after two rotations the replay is invalid_grant and kills the family');
};

const consentDeny: CheckRun = async (run) => {
  const client = await registerOrUnmet(run, chatgptRegistration('conformance: deny'));
  const auth = await authorize(run, { client, decision: 'deny' });
  const found = new Findings();
  found.expect(auth.walk.sawConsent, 'no consent page was shown to a new client');
  return found.verdict(expectRedirectedError(run, auth, 'access_denied', found));
};

const refreshRotation: CheckRun = async (run) => {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const tokens = run.need(run.tokens, 'tokens from the first exchange (check token)');
  const old = run.need(tokens.refresh_token, 'a refresh token from the first exchange (check token)');
  const reply = await refresh(run, client, old);
  const next = tokenSet(reply);
  if (!next) throw new Failure(`${describeReply(reply)}, expected new tokens`);
  const found = new Findings();
  found.expect(next.refresh_token !== undefined && next.refresh_token !== old, 'no new refresh token');
  found.expect(next.access_token !== tokens.access_token, 'the same access token came back');
  const before = (tokens.scope ?? '').split(' ');
  found.expect((next.scope ?? '').split(' ').every((s) => s === '' || before.includes(s)), `the scope widened from "${tokens.scope ?? ''}" to "${next.scope ?? ''}"`);
  found.expect(/no-store/i.test(reply.headers.get('cache-control') ?? ''), 'the refresh answer lacks Cache-Control: no-store');
  return found.verdict(`new refresh token and access token, scope "${next.scope ?? ''}"`);
};

const revocation: CheckRun = async (run) => {
  const meta = run.need(run.meta, 'the authorization-server metadata (check as-metadata)');
  if (typeof meta.revocation_endpoint !== 'string') throw new Skip('the metadata advertises no revocation_endpoint (REQ-19 is a MAY)');
  const { client, tokens } = await freshTokens(run);
  const reply = await revoke(run, client, tokens.refresh_token, 'refresh_token');
  const found = new Findings();
  found.expect(reply.status === 200, `${describeReply(reply)}, expected 200`);
  expectTokenError(found, await refresh(run, client, tokens.refresh_token), 'invalid_grant', 'refresh with the revoked token');
  return found.verdict('200, then invalid_grant for the revoked refresh token');
};

export const negativeCases = {
  'pkce-missing': pkceMissing,
  'pkce-plain': pkcePlain,
  'register-http-redirect': registerHttpRedirect,
  'register-evil-redirect': registerEvilRedirect,
  'unregistered-redirect': unregisteredRedirect,
  'wrong-verifier': wrongVerifier,
  'code-replay': codeReplay,
  'wrong-resource': wrongResource,
  'expired-token': expiredToken,
  'wrong-audience': wrongAudience,
  'refresh-reuse': refreshReuse,
  'consent-deny': consentDeny,
  'refresh-rotation': refreshRotation,
  revocation,
} satisfies Partial<Record<CheckId, CheckRun>>;
