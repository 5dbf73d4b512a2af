// Shutdown, in the order that loses nothing: no more ticks; no more requests (the adapters stop
// accepting and let the requests in flight finish, within a bound); the running compaction finished
// and one last compaction, so the next start replays a short journal; the store released; the logs
// written out.
import type { Logs } from './logging.ts';
import type { RunningApp } from './start.ts';

/** What closing the adapters did to the requests in flight. */
export interface Drained {
  finished: number;
  cut: number;
}

export async function shutdown(app: RunningApp, closeAdapters: () => Promise<Drained>, logs: Logs): Promise<Drained> {
  app.tick.stop();
  const drained = await closeAdapters();
  await app.compaction.finish(app.services.queue);
  await app.store.close();
  logs.close();
  return drained;
}
