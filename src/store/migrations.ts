// Forward migrations of the stored records, one per schemaVersion step, run at start on the state
// as loaded (snapshot plus journal) before anything else reads it. A migration must give the shape
// the current code would have written, and must be harmless on records already in that shape: a
// journal written after a crash-interrupted upgrade may mix both.
import { CURRENT_SCHEMA_VERSION } from './snapshot-format.ts';

type Collections = Record<string, Record<string, unknown>>;

interface Migration {
  /** What changed, for the log line at start. */
  what: string;
  run(collections: Collections): void;
}

/** `MIGRATIONS[v]` takes records of schemaVersion v to v + 1. */
const MIGRATIONS: Record<number, Migration> = {
  1: {
    what: 'refresh-token families become chains (each token names the one it replaced; a grant lists only its live tokens)',
    run: chainRefreshFamilies,
  },
};

/** A snapshot written by a newer agent-notes: nothing is touched. */
export class SchemaTooNew extends Error {
  override readonly name = 'SchemaTooNew';

  constructor(
    readonly path: string,
    readonly found: number,
  ) {
    super(
      `${path} was written by a newer agent-notes (data schemaVersion ${found}; this one reads up to ${CURRENT_SCHEMA_VERSION}); ` +
        'nothing was changed: upgrade agent-notes again, or restore a backup made by this version',
    );
  }
}

/** Brings `collections` from `from` to the current version in place; the steps it ran, in order. */
export function migrate(collections: Collections, from: number, path: string): string[] {
  if (from > CURRENT_SCHEMA_VERSION) throw new SchemaTooNew(path, from);
  const ran: string[] = [];
  for (let version = from; version < CURRENT_SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) throw new Error(`no migration from schemaVersion ${version}: this agent-notes cannot read ${path}`);
    step.run(collections);
    ran.push(`${version} -> ${version + 1}: ${step.what}`);
  }
  return ran;
}

interface StoredRefresh {
  tokenHash: string;
  grantId: string;
  previousHash?: string;
  rotation?: { successorHash: string };
}

interface StoredGrant {
  refreshHashes: string[];
}

/**
 * 1 -> 2. Version 1 listed every token of a family (rotated ones too) on the grant and linked them
 * only forwards; revocation walks back from the live tokens, so rotated tokens of old families
 * would outlive their grant until the next tick. Link each successor back to its predecessor and
 * keep only live tokens on the grant.
 */
function chainRefreshFamilies(collections: Collections): void {
  const tokens = (collections['refreshTokens'] ?? {}) as Record<string, StoredRefresh>;
  for (const record of Object.values(tokens)) {
    const successor = record.rotation === undefined ? undefined : tokens[record.rotation.successorHash];
    if (successor !== undefined && successor.grantId === record.grantId && successor.previousHash === undefined) {
      tokens[successor.tokenHash] = { ...successor, previousHash: record.tokenHash };
    }
  }
  const grants = (collections['grants'] ?? {}) as Record<string, StoredGrant>;
  for (const [id, grant] of Object.entries(grants)) {
    const live = grant.refreshHashes.filter((hash) => tokens[hash] !== undefined && tokens[hash].rotation === undefined);
    if (live.length !== grant.refreshHashes.length) grants[id] = { ...grant, refreshHashes: live };
  }
}
