// One copy of each value that records repeat: a hundred thousand grants name the same resource,
// the same few scope lists, a few hundred client and user ids; a client's redirect URIs and grant
// types are mostly the same few lists. Parsed from JSON or a request, every record would carry its
// own copy (about 300 bytes of heap for a DCR client, 56 once its repeated members are shared).
// Interning swaps a record's repeated members, in place, for the pooled equal value, so records
// and answers are unchanged. Interned lists are frozen: a record is never edited in place (see
// src/store/snapshot-file.ts), and one shared list edited by mistake would be edited everywhere.

/** Members whose values repeat across records. Anything unique per record (ids, hashes) is left alone. */
const REPEATED = new Set(['scopes', 'grantTypes', 'redirectUris', 'resource', 'authMethod', 'source', 'clientName', 'scope', 'applicationType', 'clientId', 'userId', 'redirectUri', 'ownerId', 'tags']);
/** Past this many pooled values, new ones are kept as they come: a stream of distinct names must not grow the pool without end. */
const MAX_POOLED = 100_000;
/** Longer strings are rare enough not to be worth a pool entry. */
const MAX_LENGTH = 512;

const strings = new Map<string, string>();
const lists = new Map<string, readonly string[]>();

function internString(value: string): string {
  if (value.length > MAX_LENGTH) return value;
  const pooled = strings.get(value);
  if (pooled !== undefined) return pooled;
  if (strings.size < MAX_POOLED) strings.set(value, value);
  return value;
}

function internList(value: unknown[]): unknown[] | readonly string[] {
  if (!value.every((item): item is string => typeof item === 'string' && item.length <= MAX_LENGTH)) return value;
  const key = value.join('\u0000');
  const pooled = lists.get(key);
  if (pooled !== undefined) return pooled;
  const list = Object.freeze(value.map(internString));
  if (lists.size < MAX_POOLED) lists.set(key, list);
  return list;
}

/** Replaces `record`'s repeated members with their pooled copies; returns it. */
export function internRecord<T>(record: T): T {
  if (typeof record !== 'object' || record === null || Object.isFrozen(record)) return record;
  const fields = record as Record<string, unknown>;
  for (const name in fields) {
    if (!REPEATED.has(name)) continue;
    const value = fields[name];
    if (typeof value === 'string') fields[name] = internString(value);
    else if (Array.isArray(value)) fields[name] = internList(value);
  }
  return record;
}

/** Every record of every collection (after a load). */
export function internCollections(collections: Record<string, Record<string, unknown>>): void {
  for (const records of Object.values(collections)) for (const key in records) internRecord(records[key]);
}

/** How many values are pooled (for tests and the bench). */
export function pooledValues(): number {
  return strings.size + lists.size;
}
