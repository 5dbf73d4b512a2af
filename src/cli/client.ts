// `agent-notes client add|list|remove`: the predefined clients an operator pastes into ChatGPT's or
// Claude's advanced OAuth settings. The secret is printed once and stored as its SHA-256 only; a
// running server reads the file at start-up, so changes apply at the next restart.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { clientsFilePath, readClientsFile, writeClientsFile } from '../app/clients-file.ts';
import { configFromEnv } from '../config.ts';
import { BUILT_IN_REDIRECT_URIS, CHATGPT_CALLBACK_TEMPLATE, hashSecret } from '../core/index.ts';
import type { AuthMethod, ClientRecord } from '../core/index.ts';
import { CliError, verb } from './errors.ts';

const METHODS: readonly AuthMethod[] = ['client_secret_post', 'client_secret_basic', 'none'];

/** The callbacks a predefined client gets when none are named: every built-in one, and ChatGPT's per-connector template. */
const DEFAULT_REDIRECTS = [...BUILT_IN_REDIRECT_URIS, CHATGPT_CALLBACK_TEMPLATE];

async function add(path: string, name: string, options: { redirectUri?: string[]; authMethod?: string }): Promise<number> {
  const method = (options.authMethod ?? 'client_secret_post') as AuthMethod;
  if (!METHODS.includes(method)) throw new CliError(`--auth-method must be one of ${METHODS.join(', ')}; nothing was changed.`, 2);
  const redirectUris = options.redirectUri ?? DEFAULT_REDIRECTS;
  const bad = redirectUris.find((uri) => uri !== CHATGPT_CALLBACK_TEMPLATE && !URL.canParse(uri));
  if (bad !== undefined) throw new CliError(`${JSON.stringify(bad)} is not an absolute URL; nothing was changed.`, 2);
  const clients = await readClientsFile(path);
  const record: ClientRecord = {
    clientId: `agent-notes-${randomBytes(12).toString('base64url')}`,
    clientName: name,
    authMethod: method,
    redirectUris,
    grantTypes: ['authorization_code', 'refresh_token'],
    issuedAt: Math.floor(Date.now() / 1000),
    source: 'predefined',
  };
  const secret = method === 'none' ? undefined : randomBytes(32).toString('base64url');
  if (secret !== undefined) record.secretHash = hashSecret(secret);
  await writeClientsFile(path, [...clients, record]);
  console.log(`agent-notes: added client ${JSON.stringify(name)} to ${path}.`);
  console.log(`  client ID:     ${record.clientId}`);
  if (secret !== undefined) console.log(`  client secret: ${secret}   (shown only now; only its hash is kept)`);
  console.log(`  auth method:   ${method}`);
  console.log('Restart the server for it to take effect.');
  return 0;
}

async function list(path: string): Promise<number> {
  const clients = await readClientsFile(path);
  if (clients.length === 0) {
    console.log(`agent-notes: no predefined clients in ${path}.`);
    return 0;
  }
  for (const client of clients) {
    console.log(`${client.clientId}  ${JSON.stringify(client.clientName ?? '')}  ${client.authMethod}  ${client.redirectUris.join(' ')}`);
  }
  return 0;
}

async function remove(path: string, clientId: string): Promise<number> {
  const clients = await readClientsFile(path);
  if (!clients.some((c) => c.clientId === clientId)) throw new CliError(`no predefined client ${JSON.stringify(clientId)} in ${path}; nothing was changed.`);
  await writeClientsFile(path, clients.filter((c) => c.clientId !== clientId));
  console.log(`agent-notes: removed client ${clientId}. Restart the server for it to take effect; the grants it holds stop working then.`);
  return 0;
}

const clientsFile = () => clientsFilePath(configFromEnv().dataDir!, process.env);
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerClient(program: Command): void {
  const client = program.command('client').description("predefined OAuth clients: a client ID and secret to paste into ChatGPT's or Claude's advanced settings");
  client.command('add').description('add a client; without --redirect-uri it may use ChatGPT\'s and Claude\'s callbacks').argument('<name>')
    .option('--redirect-uri <uri>', 'a redirect URI it may use (repeat for more)', collect)
    .option('--auth-method <method>', `${METHODS.join(' | ')} (default client_secret_post)`)
    .action(verb((name: string, options: { redirectUri?: string[]; authMethod?: string }) => add(clientsFile(), name, options)));
  client.command('list').description('the predefined clients').action(verb(() => list(clientsFile())));
  client.command('remove').description('remove a client (at the next restart its grants stop working)').argument('<client_id>')
    .action(verb((clientId: string) => remove(clientsFile(), clientId)));
}
