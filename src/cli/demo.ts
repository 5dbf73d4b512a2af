// `agent-notes demo`: a ChatGPT-shaped OAuth flow walked through the pure core, step by step,
// with what each step answered and how many records it changed.
import { createHash, randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { defaultConfig, emptyState, redirectLocation, step } from '../core/index.ts';
import type { Command as CoreCommand, CoreState, Outcome } from '../core/index.ts';
import { verb } from './errors.ts';

const random = () => randomBytes(32).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function demo(): void {
  const config = defaultConfig('http://127.0.0.1:8787');
  let state: CoreState = emptyState();
  const run = (label: string, command: CoreCommand): Outcome => {
    const result = step(state, config, command);
    state = result.state;
    const shown =
      result.outcome.kind === 'redirect' ? redirectLocation(result.outcome.redirect)
      : result.outcome.kind === 'error' ? `${result.outcome.error.error}: ${result.outcome.error.description}`
      : result.outcome.kind === 'tokens' ? `access token for ${result.outcome.tokens.accessToken.aud} (scope "${result.outcome.tokens.scope}")${result.outcome.tokens.refreshToken ? ' + refresh token' : ''}`
      : result.outcome.kind;
    console.log(`${label.padEnd(34)} -> ${shown}   [${result.changes.length} record(s) changed]`);
    return result.outcome;
  };

  const registered = run('register (DCR, like ChatGPT)', {
    type: 'register', now: now(),
    metadata: { client_name: 'ChatGPT', redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], token_endpoint_auth_method: 'none' },
    fresh: { clientId: random(), clientSecret: random() },
  });
  if (registered.kind !== 'registered') return;
  const clientId = registered.client.client_id;
  const verifier = random();
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const consent = run('authorize (PKCE S256)', {
    type: 'authorize', now: now(),
    params: { client_id: clientId, response_type: 'code', redirect_uri: 'https://chatgpt.com/connector_platform_oauth_redirect', code_challenge: challenge, code_challenge_method: 'S256', scope: '', state: 'oauth_s_demo', resource: config.resource },
    fresh: { requestId: random() },
  });
  if (consent.kind !== 'consent_required') return;
  const approved = run('consent (approve)', { type: 'decide', now: now(), requestId: consent.request.requestId, userId: 'owner', decision: { approve: true }, fresh: { code: random() } });
  if (approved.kind !== 'redirect') return;
  const code = approved.redirect.params.code ?? '';
  const exchange = { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, resource: config.resource };
  const tokens = run('token (authorization_code)', { type: 'token', now: now(), params: exchange, fresh: { grantId: random(), jti: random(), refreshToken: random() } });
  if (tokens.kind !== 'tokens' || !tokens.tokens.refreshToken) return;
  const refresh = { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.tokens.refreshToken };
  run('token (refresh_token, rotates)', { type: 'token', now: now(), params: refresh, fresh: { grantId: random(), jti: random(), refreshToken: random() } });
  run('token (same code again)', { type: 'token', now: now(), params: exchange, fresh: { grantId: random(), jti: random(), refreshToken: random() } });
  run('token (refresh after the replay)', { type: 'token', now: now(), params: refresh, fresh: { grantId: random(), jti: random(), refreshToken: random() } });
}

export function registerDemo(program: Command): void {
  program.command('demo').description('walk a ChatGPT-style OAuth flow through the pure core').action(verb(demo));
}
