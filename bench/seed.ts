// Fills a data directory with `count` live grants and `count` notes the way the server would have
// made them: every record comes out of the real transitions (register, authorize, decide, token
// exchange, create user, create note) and is written by the store's own compaction, never by hand.
// Notes are spread over users of 1,000 notes each (the per-user cap is 10,000); the bench user owns
// the first grants, whose refresh tokens come back as chains for the load.
import { createHash, randomBytes } from 'node:crypto';
import { createUser } from '../src/accounts/users.ts';
import { emptyAccountsState } from '../src/accounts/types.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { configFromEnv } from '../src/config.ts';
import { applyChanges, emptyState, owned, step } from '../src/core/index.ts';
import type { Command, CoreConfig, CoreState } from '../src/core/index.ts';
import type { AppState } from '../src/app/services.ts';
import { emptyNotesState } from '../src/notes/index.ts';
import { createNote } from '../src/notes/transitions.ts';
import type { NotesState } from '../src/notes/types.ts';
import { openFileStore } from '../src/store/index.ts';
import { BENCH_PASSWORD, BENCH_USER, registrationMetadata } from './targets/agent-notes.ts';
import { BENCH_REDIRECT, PKCE, type Chain } from './targets/target.ts';

const NOTES_PER_USER = 1_000;
const GRANTS_PER_CLIENT = 10;
const fresh = () => randomBytes(32).toString('base64url');
const WORDS = 'alpha beta gamma delta notes meeting travel recipe garden budget project reading music health ideas'.split(' ');

export interface Seeded {
  chains: Chain[];
  seedMs: number;
}

/** The core configuration the server at `url` will run with. */
export function benchCoreConfig(url: string): CoreConfig {
  return configFromEnv({ PUBLIC_URL: url, MAX_CLIENTS: '1000000' }).core;
}

export async function seed(dataDir: string, url: string, count: number, chainCount: number): Promise<Seeded> {
  const started = performance.now();
  const config = benchCoreConfig(url);
  const now = Math.floor(Date.now() / 1000);
  let state = owned({ ...emptyState(), ...emptyAccountsState(), ...emptyNotesState() }) as AppState;
  const run = (command: Command) => {
    const result = step(state, config, command);
    state = result.state as AppState;
    return result.outcome;
  };

  // Users: the bench user (the password the bench signs in with) and enough others for the notes.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users: string[] = [];
  for (let u = 0; u < Math.max(1, Math.ceil(count / NOTES_PER_USER)); u++) {
    const userId = fresh();
    const created = createUser(state, { userId, username: u === 0 ? BENCH_USER : `user${u}`, passwordHash, now });
    if (created.outcome.kind !== 'user_created') throw new Error(`seed: cannot create user ${u}`);
    state = created.state;
    users.push(userId);
  }
  // The accounts transition hands back a fresh (copy-on-write) state: own it again, or every step
  // below copies whole collections (seeding 10k grants took 130 s that way, 100k never ended).
  state = owned(state);

  // Grants: clients registered as ChatGPT would, each authorized by some users.
  const metadata = JSON.parse(registrationMetadata()) as Record<string, unknown>;
  const clients: string[] = [];
  const chains: Chain[] = [];
  const resource = config.resource;
  for (let i = 0; i < count; i++) {
    if (i % GRANTS_PER_CLIENT === 0) {
      const registered = run({ type: 'register', now, metadata, fresh: { clientId: fresh(), clientSecret: fresh() } });
      if (registered.kind !== 'registered') throw new Error(`seed: registration refused: ${JSON.stringify(registered)}`);
      clients.push(registered.client.client_id);
    }
    const clientId = clients.at(-1)!;
    // The bench user holds the first grants (its chains); the rest are spread over every user.
    const userId = i < chainCount ? users[0]! : users[i % users.length]!;
    const asked = run({
      type: 'authorize', now,
      params: { response_type: 'code', client_id: clientId, redirect_uri: BENCH_REDIRECT, scope: 'notes:read notes:write offline_access', state: 's', code_challenge: PKCE.challenge, code_challenge_method: 'S256', resource },
      fresh: { requestId: fresh() },
    });
    if (asked.kind !== 'consent_required') throw new Error(`seed: authorize gave ${asked.kind}`);
    const decided = run({ type: 'decide', now, requestId: asked.request.requestId, userId, decision: { approve: true }, fresh: { code: fresh() } });
    if (decided.kind !== 'redirect' || decided.redirect.params.code === undefined) throw new Error(`seed: decide gave ${decided.kind}`);
    const tokens = run({
      type: 'token', now,
      params: { grant_type: 'authorization_code', client_id: clientId, code: decided.redirect.params.code, code_verifier: PKCE.verifier, redirect_uri: BENCH_REDIRECT, resource },
      fresh: { grantId: fresh(), jti: fresh(), refreshToken: fresh() },
    });
    if (tokens.kind !== 'tokens' || tokens.tokens.refreshToken === undefined) throw new Error(`seed: exchange gave ${tokens.kind}`);
    if (i < chainCount) chains.push({ clientId, refreshToken: tokens.tokens.refreshToken });
  }

  // Notes: created per owner against that owner's notes only (the per-user cap and id checks look
  // at the owner's own notes), then merged: the same records and changes, without a quadratic seed.
  // Owned, so each applyChanges below writes in place instead of copying every note so far.
  state = owned(state);
  for (const [u, ownerId] of users.entries()) {
    let own: NotesState = owned(emptyNotesState());
    for (let n = 0; n < Math.min(NOTES_PER_USER, count - u * NOTES_PER_USER); n++) {
      const words = Array.from({ length: 12 }, (_, w) => WORDS[(n * 7 + w * 3 + u) % WORDS.length]).join(' ');
      const created = createNote(own, { noteId: fresh(), ownerId, title: `Note ${n} ${WORDS[n % WORDS.length]}`, body: `${words}\n\n${createHash('sha256').update(`${u}:${n}`).digest('hex')}`, tags: [WORDS[n % 5]!], publicId: fresh(), now });
      if (created.outcome.kind !== 'note_created') throw new Error(`seed: note refused: ${JSON.stringify(created.outcome)}`);
      own = created.state;
      state = applyChanges(state as unknown as CoreState, created.changes as never) as unknown as AppState;
    }
  }

  // Let the codes (spent) and authorization requests expire, as they would within minutes: what is
  // left is the steady state of `count` live grants.
  run({ type: 'tick', now: now + config.codeTtl + 1 });

  const store = await openFileStore(dataDir);
  await store.compact(state);
  await store.close();
  return { chains, seedMs: performance.now() - started };
}
