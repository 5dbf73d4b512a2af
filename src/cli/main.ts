// The `agent-notes` command line: serve, manage users, check a server's conformance, or walk a
// ChatGPT-shaped OAuth flow through the pure core.
import { createHash, randomBytes } from 'node:crypto';
import { defaultConfig, emptyState, redirectLocation, step } from '../core/index.ts';
import type { Command, CoreState, Outcome } from '../core/index.ts';
import { conformanceCommand } from './conformance.ts';
import { clientCommand } from './client.ts';
import { userCommand } from './user.ts';
import { ConfigError, configFromEnv } from '../config.ts';
import { startServer, type RunningServer } from '../server.ts';
import { DataDirLocked, DataDirUnsafe } from '../store/index.ts';

const USAGE = `usage: agent-notes <command>

  serve                        run the server (configuration: see README)
  user add <name>              add a user; the password is read from standard input
  user set-email <name> <email> [--verified]
                               give a user the email address OpenID Connect clients see;
                               --verified only if you have checked it (otherwise it is
                               reported as unverified)
  user set-email <name> --clear
                               remove a user's email address
  client add|list|remove       manage predefined OAuth clients (client ID and secret to paste
                               into ChatGPT's or Claude's advanced settings)
  conformance <url> --user <n> run ChatGPT's OAuth steps against a server
                               (password in AGENT_NOTES_PASSWORD)
  demo                         walk a ChatGPT-style OAuth flow through the pure core
  help                         show this text`;

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

async function serve(): Promise<number> {
  let server: RunningServer;
  try {
    const config = configFromEnv();
    server = await startServer({ dataDir: config.dataDir!, env: process.env, log: true });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLocked || error instanceof DataDirUnsafe) {
      console.error(`agent-notes: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { config } = server;
  console.error(`
  agent-notes is running at ${config.publicUrl}
  MCP server URL for ChatGPT and Claude: ${config.core.resource}
  data directory: ${config.dataDir}
${server.setupUrl ? `\n  No account yet. Create the owner account (one-time link):\n  ${server.setupUrl}\n` : ''}`);
  const stop = (signal: string) => {
    console.error(`agent-notes: ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return 0;
}

const [command = 'help', ...rest] = process.argv.slice(2);
switch (command) {
  case 'serve':
    process.exitCode = await serve();
    break;
  case 'user':
    process.exitCode = await userCommand(rest);
    break;
  case 'client':
    process.exitCode = await clientCommand(rest);
    break;
  case 'conformance':
    process.exitCode = await conformanceCommand(rest);
    break;
  case 'demo':
    demo();
    break;
  case 'help':
  case '--help':
    console.log(USAGE);
    break;
  default:
    console.error(`agent-notes: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    process.exitCode = 2;
}
