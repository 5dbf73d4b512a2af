// `agent-notes token --user <name>`: a token pair for a person without a browser, for the operator
// and for tests. It walks the same core steps a client does (registration, authorization with PKCE,
// the person's consent, the code exchange), each through the commit queue, so the tokens are as
// real as any app's; nothing goes over the network. One client, "agent-notes CLI", serves every call.
import { createHash } from 'node:crypto';
import { findUserByName } from '../accounts/users.ts';
import { PeopleError } from './people.ts';
import type { Services } from './services.ts';

export const CLI_CLIENT_NAME = 'agent-notes CLI';
const CLI_REDIRECT = 'http://127.0.0.1/agent-notes-cli';

export interface MintedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  client_id: string;
}

export async function mintTokens(services: Services, username: string, scope: string): Promise<MintedTokens> {
  const { queue, now, fresh, config } = services;
  const user = findUserByName(queue.state, username);
  if (!user) throw new PeopleError(`there is no user ${JSON.stringify(username)} (agent-notes user list shows who there is)`);
  const clientId = await cliClient(services);
  const verifier = fresh();
  const authorized = await queue.run({
    type: 'authorize',
    now: now(),
    params: { response_type: 'code', client_id: clientId, redirect_uri: CLI_REDIRECT, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', scope, resource: config.core.resource },
    fresh: { requestId: fresh() },
  });
  if (authorized.kind !== 'consent_required') throw new PeopleError(`the request was refused: ${describe(authorized)}`);
  const decided = await queue.run({ type: 'decide', now: now(), requestId: authorized.request.requestId, userId: user.userId, decision: { approve: true }, fresh: { code: fresh() } });
  const code = decided.kind === 'redirect' ? decided.redirect.params.code : undefined;
  if (code === undefined) throw new PeopleError(`consent was refused: ${describe(decided)}`);
  const exchanged = await queue.run({ type: 'token', now: now(), params: { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: CLI_REDIRECT, resource: config.core.resource }, fresh: { grantId: fresh(), jti: fresh(), refreshToken: fresh() } });
  if (exchanged.kind !== 'tokens') throw new PeopleError(`the code exchange was refused: ${describe(exchanged)}`);
  const { tokens } = exchanged;
  return {
    access_token: await services.keys.sign(tokens.accessToken),
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
    scope: tokens.scope,
    ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
    client_id: clientId,
  };
}

/** The CLI's own public client: found by name and redirect URI, registered the first time. */
async function cliClient({ queue, now, fresh }: Services): Promise<string> {
  const known = Object.values(queue.state.clients).find((client) => client.clientName === CLI_CLIENT_NAME && client.source === 'dcr' && client.redirectUris.includes(CLI_REDIRECT));
  if (known) return known.clientId;
  const registered = await queue.run({
    type: 'register',
    now: now(),
    metadata: { client_name: CLI_CLIENT_NAME, redirect_uris: [CLI_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] },
    fresh: { clientId: fresh(), clientSecret: fresh() },
  });
  if (registered.kind !== 'registered') throw new PeopleError(`the CLI client could not be registered: ${describe(registered)}`);
  return registered.client.client_id;
}

function describe(outcome: { kind: string; error?: { error: string; description: string }; redirect?: { params: Record<string, string> } }): string {
  if (outcome.error) return `${outcome.error.error}: ${outcome.error.description}`;
  if (outcome.redirect?.params.error !== undefined) return `${outcome.redirect.params.error}: ${outcome.redirect.params.error_description ?? ''}`;
  return outcome.kind;
}
