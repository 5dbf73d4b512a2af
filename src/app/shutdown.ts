// Shutdown, in the order that loses nothing: no more ticks; no more requests (the adapters close
// their connections); the running compaction finished and one last compaction, so the next start
// replays a short journal; the store released; the logs written out.
import type { Logs } from './logging.ts';
import type { RunningApp } from './start.ts';

export async function shutdown(app: RunningApp, closeAdapters: () => Promise<void>, logs: Logs): Promise<void> {
  app.tick.stop();
  await closeAdapters();
  await app.compaction.finish(app.services.queue);
  await app.store.close();
  logs.close();
}
