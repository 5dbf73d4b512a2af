// Predefined clients, kept in a file of their own (`<dataDir>/clients.json`, or CLIENTS_FILE): for
// operators who paste a client ID and secret into ChatGPT's or Claude's advanced OAuth settings
// instead of letting the app register itself. Secrets are stored as their SHA-256 only; the
// server reads the file at start-up, and `agent-notes client` writes it.
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';
import type { AuthMethod, ClientRecord } from '../core/index.ts';

const FILE_NAME = 'clients.json';
const METHODS: readonly AuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

/** Where the predefined clients live for this data directory. */
export function clientsFilePath(dataDir: string, env: NodeJS.ProcessEnv): string {
  return env.CLIENTS_FILE !== undefined && env.CLIENTS_FILE !== '' ? env.CLIENTS_FILE : join(dataDir, FILE_NAME);
}

interface StoredClient {
  client_id: string;
  client_name?: string;
  token_endpoint_auth_method: AuthMethod;
  client_secret_sha256?: string;
  redirect_uris: string[];
  grant_types: ('authorization_code' | 'refresh_token')[];
  issued_at: number;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** One entry of the file as a client record, or the reason it is not one. */
function recordOf(entry: unknown, index: number, path: string): ClientRecord {
  const where = `${path}: client ${index + 1}`;
  if (typeof entry !== 'object' || entry === null) throw new ConfigError(`${where} is not an object`);
  const e = entry as Partial<Record<keyof StoredClient, unknown>>;
  if (typeof e.client_id !== 'string' || e.client_id === '') throw new ConfigError(`${where} has no client_id`);
  if (!METHODS.includes(e.token_endpoint_auth_method as AuthMethod)) throw new ConfigError(`${where} (${e.client_id}): token_endpoint_auth_method must be one of ${METHODS.join(', ')}`);
  const method = e.token_endpoint_auth_method as AuthMethod;
  if (method !== 'none' && typeof e.client_secret_sha256 !== 'string') throw new ConfigError(`${where} (${e.client_id}): a confidential client needs client_secret_sha256`);
  if (!isStringArray(e.redirect_uris) || e.redirect_uris.length === 0) throw new ConfigError(`${where} (${e.client_id}): redirect_uris must be a non-empty list`);
  const grantTypes = e.grant_types === undefined ? ['authorization_code', 'refresh_token'] : e.grant_types;
  if (!isStringArray(grantTypes) || !grantTypes.includes('authorization_code') || grantTypes.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) {
    throw new ConfigError(`${where} (${e.client_id}): grant_types must include authorization_code and may add refresh_token`);
  }
  const record: ClientRecord = {
    clientId: e.client_id,
    authMethod: method,
    redirectUris: [...e.redirect_uris],
    grantTypes: grantTypes as ClientRecord['grantTypes'],
    issuedAt: typeof e.issued_at === 'number' ? e.issued_at : 0,
    source: 'predefined',
  };
  if (typeof e.client_name === 'string' && e.client_name !== '') record.clientName = e.client_name;
  if (method !== 'none') record.secretHash = e.client_secret_sha256 as string;
  return record;
}

/** The predefined clients in `path`; none when the file does not exist; a ConfigError when it is malformed. */
export async function readClientsFile(path: string): Promise<ClientRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (typeof code === 'string') throw error; // the file system's (no permission, not a directory): the CLI names it
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON`);
  }
  const clients = (parsed as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(clients)) throw new ConfigError(`${path} must hold {"clients": [...]}`);
  const records = clients.map((entry, index) => recordOf(entry, index, path));
  const ids = new Set<string>();
  for (const record of records) {
    if (ids.has(record.clientId)) throw new ConfigError(`${path}: client_id ${record.clientId} appears twice`);
    ids.add(record.clientId);
  }
  return records;
}

/** Writes `records` to `path` whole (a temporary file renamed over it), readable by the owner only. */
export async function writeClientsFile(path: string, records: readonly ClientRecord[]): Promise<void> {
  const clients: StoredClient[] = records.map((r) => ({
    client_id: r.clientId,
    ...(r.clientName === undefined ? {} : { client_name: r.clientName }),
    token_endpoint_auth_method: r.authMethod,
    ...(r.secretHash === undefined ? {} : { client_secret_sha256: r.secretHash }),
    redirect_uris: [...r.redirectUris],
    grant_types: [...r.grantTypes],
    issued_at: r.issuedAt,
  }));
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ clients }, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
