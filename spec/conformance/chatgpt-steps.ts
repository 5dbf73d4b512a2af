// ChatGPT's path through a server: discovery, registration, authorization, token, first MCP call.
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { CheckId } from './checks.ts';
import { CHATGPT_REDIRECT, asMetadataUrl, authorize, callMcp, chatgptRegistration, codeOf, exchangeCode, hasMcp, mcpWithoutToken, prmUrl, register, tokenSet } from './client.ts';
import { Failure, Findings, Unmet, strings, type CheckRun, type Json } from './context.ts';
import { describeReply, jsonObject } from './http.ts';

const MIN_STATE_LENGTH = 40;

const prm: CheckRun = async (run) => {
  const found = new Findings();
  const [root, inserted] = await Promise.all([run.http.get(prmUrl(run.mcpUrl, false)), run.http.get(prmUrl(run.mcpUrl, true))]);
  const docs = [root, inserted].map((reply) => {
    const json = jsonObject(reply);
    found.expect(reply.status === 200 && json !== undefined, `${describeReply(reply)} is not a 200 JSON document`);
    return json;
  });
  const [rootDoc, insertedDoc] = docs;
  if (rootDoc && insertedDoc) found.expect(JSON.stringify(rootDoc) === JSON.stringify(insertedDoc), 'the two well-known paths serve different documents');
  const doc = insertedDoc ?? rootDoc;
  if (!doc) throw new Failure(found.problems.join('; '));
  run.prm = doc;
  const { resource } = doc;
  if (found.expect(typeof resource === 'string', '`resource` is missing') && typeof resource === 'string') {
    found.expect(!resource.endsWith('/'), `\`resource\` ${resource} ends with a slash`);
    found.expect(resource === run.mcpUrl, `\`resource\` ${resource} is not the MCP URL ${run.mcpUrl} the client connected to (RFC 9728 §3.3)`);
  }
  const servers = strings(doc.authorization_servers);
  found.expect(servers !== undefined && servers.length > 0, '`authorization_servers` is not a non-empty list of issuer URLs');
  const bearer = strings(doc.bearer_methods_supported);
  found.expect(bearer === undefined || bearer.includes('header'), '`bearer_methods_supported` lacks "header"');
  found.expect(!(strings(doc.scopes_supported) ?? []).includes('offline_access'), '`scopes_supported` lists offline_access, which is not a resource scope');
  return found.verdict(`resource ${String(resource)}, authorization server ${servers?.[0] ?? '?'}`);
};

const asMetadata: CheckRun = async (run) => {
  const issuer = strings(run.need(run.prm, 'the protected-resource metadata (check prm)').authorization_servers)?.[0];
  if (issuer === undefined) throw new Unmet('needs `authorization_servers` in the protected-resource metadata');
  const reply = await run.http.get(asMetadataUrl(issuer));
  const meta = jsonObject(reply);
  if (reply.status !== 200 || !meta) throw new Failure(`${describeReply(reply)} is not a 200 JSON document`);
  const found = new Findings();
  found.expect(meta.issuer === issuer, `\`issuer\` ${JSON.stringify(meta.issuer)} is not byte-identical to the PRM entry ${JSON.stringify(issuer)}`);
  for (const name of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint', 'jwks_uri']) {
    const value = meta[name];
    found.expect(typeof value === 'string' && URL.canParse(value), `\`${name}\` is missing or not a URL`);
  }
  found.expect(strings(meta.response_types_supported)?.includes('code') === true, '`response_types_supported` lacks "code"');
  const grants = strings(meta.grant_types_supported);
  found.expect(grants?.includes('authorization_code') === true && grants.includes('refresh_token'), '`grant_types_supported` lacks authorization_code or refresh_token');
  found.expect(strings(meta.code_challenge_methods_supported)?.includes('S256') === true, '`code_challenge_methods_supported` lacks S256');
  found.expect(strings(meta.token_endpoint_auth_methods_supported)?.includes('none') === true, '`token_endpoint_auth_methods_supported` lacks "none"');
  found.expect(meta.authorization_response_iss_parameter_supported === true, '`authorization_response_iss_parameter_supported` is not true');
  found.expect(strings(meta.scopes_supported)?.includes('offline_access') === true, '`scopes_supported` lacks offline_access');
  if (typeof meta.authorization_endpoint === 'string' && typeof meta.token_endpoint === 'string') run.meta = meta;
  return found.verdict(`issuer ${issuer}; scopes ${(strings(meta.scopes_supported) ?? []).join(' ')}`);
};

const registerChatgpt: CheckRun = async (run) => {
  const reply = await register(run, chatgptRegistration());
  const client = jsonObject(reply);
  const found = new Findings();
  found.expect(reply.status === 201, `${describeReply(reply)}, expected 201`);
  const clientId = client?.client_id;
  found.expect(typeof clientId === 'string' && clientId !== '', 'no `client_id` in the answer');
  found.expect(client?.token_endpoint_auth_method === 'none', `\`token_endpoint_auth_method\` is ${JSON.stringify(client?.token_endpoint_auth_method)}, expected "none" echoed`);
  found.expect(strings(client?.redirect_uris)?.includes(CHATGPT_REDIRECT) === true, '`redirect_uris` is not echoed');
  if (reply.status === 201 && typeof clientId === 'string') run.client = { clientId, redirectUri: CHATGPT_REDIRECT };
  return found.verdict(`client_id ${String(clientId)}`);
};

const authorizeChatgpt: CheckRun = async (run) => {
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const auth = await authorize(run, { client });
  const code = codeOf(auth);
  const params = (auth.walk.end === 'redirect' ? auth.walk.location : new URL('about:blank')).searchParams;
  const issuer = run.metadata('issuer');
  const found = new Findings();
  found.expect(auth.state.length >= MIN_STATE_LENGTH, 'internal: state too short');
  found.expect(params.get('state') === auth.state, `\`state\` came back as ${JSON.stringify(params.get('state'))}`);
  found.expect(params.get('iss') === issuer, `\`iss\` is ${JSON.stringify(params.get('iss'))}, expected ${JSON.stringify(issuer)}`);
  found.expect(params.get('error') === null, `the redirect also carries error=${params.get('error')}`);
  run.pending = { client, code, verifier: auth.pkce.verifier };
  const steps = [auth.walk.sawLogin ? 'signed in' : '', auth.walk.sawConsent ? 'approved consent' : 'consent skipped'].filter(Boolean).join(', ');
  return found.verdict(`${steps}; redirect carries code, state (${auth.state.length} chars) and iss`);
};

const token: CheckRun = async (run) => {
  const { client, code, verifier } = run.need(run.pending, 'an authorization code (check authorize)');
  const reply = await exchangeCode(run, { client, code, verifier });
  const tokens = tokenSet(reply);
  const json: Json = jsonObject(reply) ?? {};
  const found = new Findings();
  if (!tokens) throw new Failure(`${describeReply(reply)}, expected 200 with an access_token`);
  found.expect(/no-store/i.test(reply.headers.get('cache-control') ?? ''), `Cache-Control is ${JSON.stringify(reply.headers.get('cache-control'))}, expected no-store`);
  found.expect(typeof json.token_type === 'string' && json.token_type.toLowerCase() === 'bearer', `token_type is ${JSON.stringify(json.token_type)}`);
  found.expect(typeof tokens.expires_in === 'number' && tokens.expires_in > 0, '`expires_in` is missing');
  found.expect(tokens.refresh_token !== undefined, 'no refresh_token although offline_access was asked for');
  run.tokens = tokens;
  return found.verdict(`scope "${tokens.scope ?? ''}", expires in ${tokens.expires_in ?? '?'} s${tokens.refresh_token ? ', with a refresh token' : ''}`);
};

const accessToken: CheckRun = async (run) => {
  const tokens = run.need(run.tokens, 'an access token (check token)');
  const client = run.need(run.client, 'the registered ChatGPT client (check register)');
  const jwksReply = await run.http.get(run.metadata('jwks_uri'));
  const jwks = jsonObject(jwksReply);
  if (jwksReply.status !== 200 || !Array.isArray(jwks?.keys)) throw new Failure(`${describeReply(jwksReply)} is not a JWKS`);
  const issuer = run.metadata('issuer');
  const resource = run.resource();
  const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks as { keys: [] }), { issuer, audience: resource }).catch((error: Error) => {
    throw new Failure(`the access token does not verify against ${run.metadata('jwks_uri')} for issuer ${issuer} and audience ${resource}: ${error.message}`);
  });
  const found = new Findings();
  found.expect(typeof payload.exp === 'number' && payload.exp > Date.now() / 1000, '`exp` is missing or in the past');
  const claimed = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  const granted = (tokens.scope ?? '').split(' ').filter((s) => s !== '' && s !== 'offline_access');
  const resourceScopes = strings(run.prm?.scopes_supported) ?? [];
  found.expect(granted.every((s) => claimed.includes(s)), `\`scope\` claim "${claimed.join(' ')}" lacks granted scopes "${granted.join(' ')}"`);
  found.expect(claimed.some((s) => resourceScopes.includes(s)), `\`scope\` claim "${claimed.join(' ')}" holds none of the resource scopes`);
  found.expect(payload.client_id === client.clientId, `\`client_id\` claim is ${JSON.stringify(payload.client_id)}`);
  let mcp = `${new URL(run.mcpUrl).pathname} answers 404: the MCP call was not made`;
  if (await hasMcp(run)) {
    const reply = await callMcp(run, tokens.access_token);
    found.expect(reply.status !== 401 && reply.status !== 403 && reply.status < 500, `${describeReply(reply)} with the fresh token`);
    mcp = `MCP initialize with the token answered ${reply.status}`;
  }
  return found.verdict(`signature (JWKS), iss, aud ${resource}, exp and scope "${claimed.join(' ')}" verified; ${mcp}`);
};

const mcpChallenge: CheckRun = async (run) => {
  const reply = await mcpWithoutToken(run);
  const challenge = reply.headers.get('www-authenticate') ?? '';
  const metadataUrl = /resource_metadata="([^"]*)"/i.exec(challenge)?.[1];
  const found = new Findings();
  found.expect(reply.status === 401, `${describeReply(reply)}, expected 401`);
  found.expect(/^Bearer\b/i.test(challenge), `WWW-Authenticate is ${JSON.stringify(challenge)}, expected a Bearer challenge`);
  if (found.expect(metadataUrl !== undefined, 'the challenge does not name resource_metadata') && metadataUrl !== undefined) {
    const doc = await run.http.get(metadataUrl);
    found.expect(doc.status === 200 && jsonObject(doc)?.resource === run.prm?.resource, `resource_metadata ${metadataUrl} does not serve the protected-resource metadata`);
  }
  return found.verdict(`401 with ${challenge}`);
};

export const chatgptSteps = {
  prm,
  'as-metadata': asMetadata,
  register: registerChatgpt,
  authorize: authorizeChatgpt,
  token,
  'access-token': accessToken,
  'mcp-challenge': mcpChallenge,
} satisfies Partial<Record<CheckId, CheckRun>>;
