// What runs without a request: the tick (time passing) and compaction of the journal.
import type { Logger } from 'pino';
import { pruneSessions } from '../accounts/sessions.ts';
import { NOTE_RETENTION, pruneNotes } from '../notes/index.ts';
import type { NoteRetention } from '../notes/index.ts';
import type { Store } from '../store/index.ts';
import type { CompactionStats } from '../store/types.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { AppState } from './services.ts';

export const TICK_EVERY_MS = 60_000;

export interface Timer {
  stop(): void;
}

/**
 * Every `everyMs`: the core expires what is due, sessions past their end are pruned, old versions
 * and the trash past its days are dropped (NOTES-VER-02, NOTES-TRASH-03), then `also` runs (retired keys dropped).
 */
export function startTick(queue: CommitQueue<AppState>, now: () => number, log: Logger, everyMs: number = TICK_EVERY_MS, also?: () => Promise<void>, retention: NoteRetention = NOTE_RETENTION): Timer {
  const timer = setInterval(() => {
    void (async () => {
      await queue.run({ type: 'tick', now: now() });
      await queue.apply((state) => pruneSessions(state, now()));
      await queue.apply((state) => pruneNotes(state, now(), retention));
      await also?.();
    })().catch((error: unknown) => log.error({ err: error }, 'tick failed'));
  }, everyMs);
  // Never what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** What compaction reads from the commit queue: the state to write, and whether it can be trusted. */
export interface Compactable {
  readonly state: AppState;
  readonly failed: boolean;
}

export interface Compaction {
  /** Starts a compaction if the journal is due, none is running and the queue has not failed. */
  startIfDue(queue: Compactable): void;
  /** At shutdown: waits for the running compaction, then compacts once more unless the queue failed. */
  finish(queue: Compactable): Promise<void>;
}

/**
 * Compaction starts as soon as the journal is due, in the background and one at a time; the
 * snapshot is written in slices, so requests keep being answered meanwhile.
 */
export function scheduleCompaction(store: Store, log: Logger): Compaction {
  let running: Promise<void> | undefined;
  return {
    startIfDue(queue) {
      if (running !== undefined || queue.failed || !store.needsCompaction()) return;
      running = store
        .compact(queue.state)
        .then(
          (stats) => {
            // The bench reads this line (test/bench/targets/agent-notes.ts).
            if (stats) log.info({ ...roundedMs(stats) }, 'journal compacted');
          },
          (error: unknown) => log.error({ err: error }, 'compaction failed'),
        )
        .finally(() => (running = undefined));
    },
    async finish(queue) {
      await running;
      if (!queue.failed) await store.compact(queue.state).catch((error: unknown) => log.error({ err: error }, 'compaction at shutdown failed'));
    },
  };
}

/** Durations to a tenth of a millisecond, for log lines. */
function roundedMs(stats: CompactionStats): CompactionStats {
  return Object.fromEntries(Object.entries(stats).map(([name, value]) => [name, typeof value === 'number' && name.endsWith('Ms') || name === 'ms' ? Math.round(value * 10) / 10 : value])) as CompactionStats;
}
