// `agent-notes client add|list|remove`: the predefined clients an operator pastes into ChatGPT's or
// Claude's advanced OAuth settings. The secret is printed once and stored as its SHA-256 only; a
// running server reads the file at start-up, so changes apply at the next restart.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { clientsFilePath, readClientsFile, writeClientsFile } from '../app/clients-file.ts';
import { ConfigError, configFromEnv } from '../config.ts';
import { BUILT_IN_REDIRECT_URIS, CHATGPT_CALLBACK_TEMPLATE, hashSecret } from '../core/index.ts';
import type { AuthMethod, ClientRecord } from '../core/index.ts';

const USAGE = `usage:
  agent-notes client add <name> [--redirect-uri <uri>]... [--auth-method client_secret_post|client_secret_basic|none]
  agent-notes client list
  agent-notes client remove <client_id>
Without --redirect-uri the client may use ChatGPT's and Claude's callbacks.`;

const METHODS: readonly AuthMethod[] = ['client_secret_post', 'client_secret_basic', 'none'];

/** The callbacks a predefined client gets when none are named: every built-in one, and ChatGPT's per-connector template. */
const DEFAULT_REDIRECTS = [...BUILT_IN_REDIRECT_URIS, CHATGPT_CALLBACK_TEMPLATE];

function fail(message: string): number {
  console.error(`agent-notes: ${message}`);
  return 1;
}

async function add(path: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'redirect-uri': { type: 'string', multiple: true }, 'auth-method': { type: 'string' } } });
  const [name] = positionals;
  if (name === undefined || positionals.length > 1) return usage();
  const method = (values['auth-method'] ?? 'client_secret_post') as AuthMethod;
  if (!METHODS.includes(method)) return fail(`--auth-method must be one of ${METHODS.join(', ')}; nothing was changed.`);
  const redirectUris = values['redirect-uri'] ?? DEFAULT_REDIRECTS;
  const bad = redirectUris.find((uri) => uri !== CHATGPT_CALLBACK_TEMPLATE && !URL.canParse(uri));
  if (bad !== undefined) return fail(`${JSON.stringify(bad)} is not an absolute URL; nothing was changed.`);
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

async function remove(path: string, args: string[]): Promise<number> {
  const [clientId] = args;
  if (clientId === undefined || args.length > 1) return usage();
  const clients = await readClientsFile(path);
  if (!clients.some((c) => c.clientId === clientId)) return fail(`no predefined client ${JSON.stringify(clientId)} in ${path}; nothing was changed.`);
  await writeClientsFile(path, clients.filter((c) => c.clientId !== clientId));
  console.log(`agent-notes: removed client ${clientId}. Restart the server for it to take effect; the grants it holds stop working then.`);
  return 0;
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

export async function clientCommand(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  try {
    const { dataDir } = configFromEnv();
    const path = clientsFilePath(dataDir!, process.env);
    if (verb === 'add') return await add(path, args);
    if (verb === 'list' && args.length === 0) return await list(path);
    if (verb === 'remove') return await remove(path, args);
    return usage();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return fail(`${error.message}\n${USAGE}`);
    throw error;
  }
}
