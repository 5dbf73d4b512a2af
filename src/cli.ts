// The `agent-notes` command line. Today it can walk a ChatGPT-shaped OAuth flow through the pure
// core (`demo`); `serve` arrives with the HTTP adapter.
import { createHash, randomBytes } from 'node:crypto';
import { defaultConfig, emptyState, redirectLocation, step } from './core/index.ts';
import type { Command, CoreState, Outcome } from './core/index.ts';

const USAGE = `usage: agent-notes <command>

  demo     walk a ChatGPT-style OAuth flow (register, authorize, consent, token,
           refresh, replay) through the pure core and print each step
  serve    run the HTTP server (not in this release yet)
  help     show this text`;

const random = () => randomBytes(32).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function demo(): void {
  const config = defaultConfig('http://127.0.0.1:8787');
  let state: CoreState = emptyState();
  const run = (label: string, command: Command): Outcome => {
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

const [command = 'help'] = process.argv.slice(2);
switch (command) {
  case 'demo':
    demo();
    break;
  case 'serve':
    console.error('agent-notes: the HTTP server is not part of this release yet (see README, "What works today"). Try `agent-notes demo`.');
    process.exitCode = 2;
    break;
  case 'help':
  case '--help':
    console.log(USAGE);
    break;
  default:
    console.error(`agent-notes: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    process.exitCode = 2;
}
