// The OAuth steps the suite cannot take by itself: registering its client, playing the person in
// the browser (sign in, approve) for `authorization-code-grant`, and getting a bearer token for the
// generic server scenarios, which speak MCP without OAuth. Uses the repo's conformance browser.
import { walkAuthorization } from '../../spec/conformance/browser.ts';
import { describeReply, Http, jsonObject, type Reply } from '../../spec/conformance/http.ts';
import { newPkce, newState } from '../../spec/conformance/pkce.ts';

export interface Person {
  username: string;
  password: string;
}

interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
}

export async function asMetadata(http: Http, issuer: string): Promise<Metadata> {
  const reply = await http.get(`${issuer}/.well-known/oauth-authorization-server`);
  const json = jsonObject(reply);
  for (const name of ['issuer', 'authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const) {
    if (typeof json?.[name] !== 'string') throw new Error(`AS metadata has no ${name}: ${describeReply(reply)}`);
  }
  return json as unknown as Metadata;
}

/** Registers a public client (DCR, `token_endpoint_auth_method: none`) and returns its id. */
export async function registerPublicClient(http: Http, meta: Metadata, name: string, redirectUris: string[]): Promise<string> {
  const reply = await http.postJson(meta.registration_endpoint, {
    client_name: name,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  const clientId = jsonObject(reply)?.client_id;
  if (reply.status !== 201 || typeof clientId !== 'string') throw new Error(`registration failed: ${describeReply(reply)}`);
  return clientId;
}

/**
 * Acts as the person at an authorization URL the suite printed: signs in, approves, and delivers
 * the final redirect to the suite's callback listener (a GET of the Location, as a browser would).
 * Returns a description of where the walk ended, for the report.
 */
export async function completeInBrowser(authorizationUrl: string, callback: string, person: Person): Promise<string> {
  const http = new Http();
  const walk = await walkAuthorization(http, new URL(authorizationUrl), { stopAt: [callback], ...person, decision: 'approve' });
  if (walk.end === 'page') throw new Error(`the authorization ended on ${describeReply(walk.reply)}: ${walk.reason} (${walk.trail.join(', ')})`);
  // The suite starts its listener as it prints the URL; give it a moment if it is not up yet.
  let delivered: Reply;
  for (let attempt = 1; ; attempt++) {
    try {
      delivered = await http.get(walk.location);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return `${walk.trail.join(', ')} → callback ${delivered.status} (login ${walk.sawLogin ? 'yes' : 'no'}, consent ${walk.sawConsent ? 'yes' : 'no'})`;
}

/** A bearer token for `resource`, by the full authorization-code flow with PKCE (public client). */
export async function obtainAccessToken(issuer: string, resource: string, person: Person): Promise<string> {
  const http = new Http();
  const meta = await asMetadata(http, issuer);
  const redirectUri = 'http://127.0.0.1/conformance-suite/callback';
  const clientId = await registerPublicClient(http, meta, 'official conformance suite (server scenarios)', [redirectUri]);
  const pkce = newPkce();
  const state = newState();
  const url = new URL(meta.authorization_endpoint);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'notes:read notes:write', state, code_challenge: pkce.challenge, code_challenge_method: 'S256', resource };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const walk = await walkAuthorization(http, url, { stopAt: [redirectUri], ...person, decision: 'approve' });
  if (walk.end === 'page') throw new Error(`the authorization ended on ${describeReply(walk.reply)}: ${walk.reason}`);
  const code = walk.location.searchParams.get('code');
  if (code === null || walk.location.searchParams.get('state') !== state) throw new Error(`no code for the token: ${walk.location.search}`);
  const reply = await http.postForm(meta.token_endpoint, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: pkce.verifier, resource });
  const token = jsonObject(reply)?.access_token;
  if (reply.status !== 200 || typeof token !== 'string') throw new Error(`token exchange failed: ${describeReply(reply)}`);
  return token;
}
