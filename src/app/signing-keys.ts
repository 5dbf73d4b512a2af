// The running server's signing keys: `agent-notes keys rotate` reaches it over the control socket,
// the new keys are written to keys.json and swapped into the ring the routes and the verifier use,
// so the next token is signed with them and no restart is needed. A retired key stays in the JWKS
// until every token it signed has expired (`retention`), then the tick drops it.
import type { Logger } from 'pino';
import type { Seconds } from '../core/types.ts';
import { dropExpiredKeys, freshKeys, keptKeys, keyRingFrom, keyRoles, rotateKeyFile, SwappableKeyRing } from '../tokens/index.ts';
import type { KeyFileState, KeyRing, KeyRole, StoredKey } from '../tokens/index.ts';

export class SigningKeys {
  readonly ring: SwappableKeyRing;
  #stored: readonly StoredKey[];
  /** Rotations and drops one at a time: each reads the file the previous one wrote. */
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    /** `undefined`: keys live in memory only (tests). */
    private readonly dataDir: string | undefined,
    initial: KeyFileState,
    /** The longest a token lives plus the verifier's clock tolerance. */
    private readonly retention: Seconds,
    private readonly now: () => Seconds,
    private readonly log: Logger,
  ) {
    this.ring = new SwappableKeyRing(initial.ring);
    this.#stored = initial.stored;
  }

  roles(): KeyRole[] {
    return keyRoles(this.#stored, this.now(), this.retention);
  }

  /** New keys of every algorithm sign from now on; older ones verify until their tokens expire. */
  rotate(): Promise<KeyRole[]> {
    return this.#serially(async () => {
      const now = this.now();
      const next = this.dataDir === undefined
        ? await inMemory(keptKeys([...this.#stored, ...(await freshKeys(now))], now, this.retention))
        : await rotateKeyFile(this.dataDir, { now: () => now, retention: this.retention });
      this.#install(next);
      this.log.info({ kids: this.roles().filter((key) => key.role === 'signing').map((key) => key.kid) }, 'signing keys rotated');
      return this.roles();
    });
  }

  /** Drops retired keys whose tokens have all expired (from the tick); nothing is written when none has. */
  dropExpired(): Promise<void> {
    return this.#serially(async () => {
      const now = this.now();
      const before = this.#stored.length;
      const kept = keptKeys(this.#stored, now, this.retention);
      if (kept.length === before) return; // the usual minute: nothing read, nothing written
      const next = this.dataDir === undefined ? await inMemory(kept) : await dropExpiredKeys(this.dataDir, this.retention, { now: () => now });
      if (next === undefined) return;
      this.#install(next);
      this.log.info({ dropped: before - next.stored.length }, 'retired signing keys dropped from the JWKS: every token they signed has expired');
    });
  }

  #install(next: KeyFileState): void {
    this.ring.replace(next.ring);
    this.#stored = next.stored;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(task);
    this.#busy = run.catch(() => undefined);
    return run;
  }
}

async function inMemory(stored: StoredKey[]): Promise<KeyFileState> {
  const ring: KeyRing = await keyRingFrom(stored);
  return { ring, stored };
}
