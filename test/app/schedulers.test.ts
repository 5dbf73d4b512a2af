// The schedulers of the application layer, on an injected clock: the tick runs every 60 s and
// prunes what has expired; compaction starts when the journal is due, one at a time, and logs its
// rounded cost.
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '../../src/accounts/users.ts';
import { createNote, deleteNote } from '../../src/notes/index.ts';
import { startSession } from '../../src/accounts/sessions.ts';
import { scheduleCompaction, startTick, TICK_EVERY_MS } from '../../src/app/schedulers.ts';
import type { Compactable } from '../../src/app/schedulers.ts';
import { assembleApp, openData } from '../../src/app/start.ts';
import { configFromEnv } from '../../src/config.ts';
import type { Store } from '../../src/store/index.ts';
import type { CompactionStats } from '../../src/store/types.ts';

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

/** Lets the promise chains a timer started run to their end (real setImmediate: only intervals are faked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function appAt(clock: { now: number }) {
  const { log } = capturedLog();
  const app = assembleApp({ config: configFromEnv({}), data: await openData(undefined), log, now: () => clock.now, fresh: () => 'unused' });
  const { queue } = app.services;
  await queue.apply((state) => createUser(state, { userId: 'u1', username: 'alice', passwordHash: 'x', now: clock.now }));
  await queue.apply((state) => startSession(state, { userId: 'u1', sessionToken: 'short', csrf: 'c1', now: clock.now, ttl: 30 }));
  await queue.apply((state) => startSession(state, { userId: 'u1', sessionToken: 'long', csrf: 'c2', now: clock.now, ttl: 3600 }));
  return { app, queue, log };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('[app] the tick', () => {
  it('[app] every 60 seconds the core ticks at the injected time and expired sessions are pruned', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = { now: 1_000 };
    const { queue, log } = await appAt(clock);
    const run = vi.spyOn(queue, 'run');
    const tick = startTick(queue, () => clock.now, log);
    clock.now += 31; // the short session has ended; nothing is pruned before the tick

    await vi.advanceTimersByTimeAsync(TICK_EVERY_MS - 1);
    await settle();
    expect(run).not.toHaveBeenCalled();
    expect(Object.keys(queue.state.sessions)).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith({ type: 'tick', now: 1_031 });
    expect(Object.values(queue.state.sessions).map((session) => session.csrf)).toEqual(['c2']);

    tick.stop();
    clock.now += 7200;
    await vi.advanceTimersByTimeAsync(3 * TICK_EVERY_MS);
    await settle();
    expect(run).toHaveBeenCalledTimes(1);
    expect(Object.keys(queue.state.sessions)).toHaveLength(1);
  });
});

describe('the tick and the notes', () => {
  it('[NOTES-TRASH-03][NOTES-VER-02] the tick deletes for good what has been in the trash past its days, with the configured retention', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = { now: 1_000 };
    const { queue, log } = await appAt(clock);
    await queue.apply((state) => createNote(state, { noteId: 'n1', ownerId: 'u1', title: 'Old', body: '', tags: [], publicId: 'p1', now: clock.now }));
    await queue.apply((state) => deleteNote(state, { noteId: 'n1', ownerId: 'u1', now: clock.now }));
    const tick = startTick(queue, () => clock.now, log, TICK_EVERY_MS, undefined, { versionsPerNote: 10, versionDays: 10, trashDays: 2 });
    clock.now += 2 * 86_400 - 60;
    await vi.advanceTimersByTimeAsync(TICK_EVERY_MS);
    await settle();
    expect(Object.keys(queue.state.trashedNotes)).toEqual(['n1']);
    clock.now += 60;
    await vi.advanceTimersByTimeAsync(TICK_EVERY_MS);
    await settle();
    expect(queue.state.trashedNotes).toEqual({});
    tick.stop();
  });
});

/** A store whose compactions the test finishes by hand. */
function storeWithManualCompaction() {
  const pending: ((stats: CompactionStats) => void)[] = [];
  let due = false;
  const store: Store = {
    loaded: {},
    append: () => Promise.resolve(),
    compact: () => new Promise<CompactionStats | undefined>((resolve) => pending.push(resolve)),
    needsCompaction: () => due,
    close: () => Promise.resolve(),
  };
  return {
    store,
    pending,
    setDue(value: boolean) {
      due = value;
    },
  };
}

describe('[app] compaction scheduling', () => {
  const stats: CompactionStats = { ms: 12.3456, records: 40, snapshotBytes: 2048, longestSliceMs: 1.04, journalSwapMs: 0.26 };

  async function queueOf(): Promise<Compactable> {
    const { app } = await appAt({ now: 1_000 });
    return app.services.queue;
  }

  it('[app] nothing starts while the journal is not due, or once the queue has failed', async () => {
    const queue = await queueOf();
    const { store, pending, setDue } = storeWithManualCompaction();
    const compaction = scheduleCompaction(store, capturedLog().log);
    compaction.startIfDue(queue);
    expect(pending).toHaveLength(0);
    setDue(true);
    compaction.startIfDue({ state: queue.state, failed: true });
    expect(pending).toHaveLength(0);
  });

  it('[app] a due journal starts one compaction at a time, logged as "journal compacted" with rounded durations', async () => {
    const queue = await queueOf();
    const { store, pending, setDue } = storeWithManualCompaction();
    const { log, lines } = capturedLog();
    const compaction = scheduleCompaction(store, log);
    setDue(true);
    compaction.startIfDue(queue);
    compaction.startIfDue(queue);
    compaction.startIfDue(queue);
    expect(pending).toHaveLength(1);

    pending[0]?.(stats);
    await settle();
    expect(lines.filter((line) => line.msg === 'journal compacted')).toEqual([
      expect.objectContaining({ ms: 12.3, records: 40, snapshotBytes: 2048, longestSliceMs: 1, journalSwapMs: 0.3 }),
    ]);

    // The first one is over, so the next due journal starts another.
    compaction.startIfDue(queue);
    expect(pending).toHaveLength(2);
  });

  it('[app] at shutdown the running compaction finishes first, then one last compaction runs unless the queue failed', async () => {
    const queue = await queueOf();
    const { store, pending, setDue } = storeWithManualCompaction();
    const compaction = scheduleCompaction(store, capturedLog().log);
    setDue(true);
    compaction.startIfDue(queue);

    let finished = false;
    const finishing = compaction.finish(queue).then(() => (finished = true));
    await settle();
    expect(pending).toHaveLength(1);
    pending[0]?.(stats);
    await settle();
    expect(pending).toHaveLength(2);
    expect(finished).toBe(false);
    pending[1]?.(stats);
    await finishing;

    await compaction.finish({ state: queue.state, failed: true });
    expect(pending).toHaveLength(2);
  });
});
