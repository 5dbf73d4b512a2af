// How cost grows with the data: one agent-notes per size (1k, 10k, 100k live grants and as many
// notes), seeded through the real transitions and the store's own compaction, all running at once
// and loaded in turn round by round, so the ratio between sizes is measured like the side-by-side
// scenarios. Compactions happen on their own: the journal is due every 10,000 writes, which the
// refresh load reaches within seconds; the server logs what each one cost.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burst, type Burst } from './load.ts';
import { refreshSequence, type Sequence } from './scenarios.ts';
import { seed } from './seed.ts';
import { spread, type Spread } from './stats.ts';
import { startAgentNotes, type AgentNotesTarget } from './targets/agent-notes.ts';
import { freePort } from './targets/child.ts';

export interface GrowthPoint {
  grants: number;
  notes: number;
  seedMs: number;
  startupMs: number;
  /** Snapshot plus journal, as seeded. */
  dataBytes: number;
  /** Resident memory after start-up, and after all the load of the run. */
  rssStartBytes: number;
  rssAfterLoadBytes: number;
  /** V8's heap in use after start-up and after the load. */
  heapStartBytes: number;
  heapAfterLoadBytes: number;
  refreshPerSecond: Spread;
  refreshCpuMicrosPerOp: Spread;
  mcpPerSecond: Spread;
  /** Compactions the server logged during the run (the journal is due every 10,000 writes). */
  compactions: number;
  /**
   * The longest a request could have been held up by one: the snapshot writer's longest stretch
   * without yielding plus the time appends waited for the journal swap (from the server's log).
   */
  longestCompactionPauseMs: number;
  /** The longest compaction from start to end (requests are served all along). */
  longestCompactionMs: number;
  /** The slowest answer of the refresh bursts, whatever held it up (the machine is shared). */
  longestRequestMs: number;
  failures: number;
}

export interface GrowthOptions {
  sizes: number[];
  rounds: number;
  seconds: number;
  connections: number;
  log: (line: string) => void;
}

interface Running {
  size: number;
  target: AgentNotesTarget;
  seedMs: number;
  dataBytes: number;
  rssStartBytes: number;
  heapStartBytes: number;
  refresh: Sequence;
  token: string;
  refreshBursts: Burst[];
  mcpBursts: Burst[];
}

async function fileSize(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

async function prepare(size: number, connections: number, log: (line: string) => void): Promise<Running> {
  const dataDir = await mkdtemp(join(tmpdir(), `agent-notes-growth-${size}-`));
  const port = await freePort();
  const seeded = await seed(dataDir, `http://127.0.0.1:${port}`, size, connections + 6);
  const dataBytes = (await fileSize(join(dataDir, 'agent-notes.json'))) + (await fileSize(join(dataDir, 'journal.jsonl')));
  const target = await startAgentNotes({ dataDir, createUser: false, port });
  const { rssBytes: rssStartBytes, heapUsedBytes: heapStartBytes } = await target.memory();
  log(`  growth ${size}: seeded in ${(seeded.seedMs / 1000).toFixed(1)} s, ${(dataBytes / 1e6).toFixed(1)} MB, started in ${Math.round(target.startupMs)} ms, ${(rssStartBytes / 1e6).toFixed(0)} MB resident`);
  // One chain gives the access token the MCP load uses; the rest are refreshed under load.
  const spare = seeded.chains.pop()!;
  const answer = await fetch(`${target.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: spare.clientId, refresh_token: spare.refreshToken }),
  });
  const { access_token: token } = (await answer.json()) as { access_token: string };
  return { size, target, seedMs: seeded.seedMs, dataBytes, rssStartBytes, heapStartBytes, refresh: refreshSequence(target, seeded.chains, connections), token, refreshBursts: [], mcpBursts: [] };
}

export async function measureGrowth(options: GrowthOptions): Promise<GrowthPoint[]> {
  const running: Running[] = [];
  for (const size of options.sizes) running.push(await prepare(size, options.connections, options.log));
  try {
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? running : [...running].reverse();
      for (const r of order) {
        const seen = r.target.compactions.length;
        const result = await burst(r.target, r.refresh, { seconds: options.seconds, connections: options.connections });
        const during = r.target.compactions.slice(seen);
        const counted = { result, compactions: during.length };
        r.refreshBursts.push(result);
        r.mcpBursts.push(await burst(r.target, { requests: [r.target.toolsList(r.token)] }, { seconds: options.seconds, connections: options.connections }));
        const costs = during.map((c) => `${Math.round(c.ms)} ms, slice ${c.longestSliceMs} ms, swap ${c.journalSwapMs} ms`);
        options.log(`  growth ${r.size} round ${round + 1}: refresh ${Math.round(counted.result.perSecond)}/s (slowest ${counted.result.latencyMaxMs} ms, ${counted.compactions} compactions${costs.length ? `: ${costs.join('; ')}` : ''}), mcp ${Math.round(r.mcpBursts.at(-1)!.perSecond)}/s`);
      }
    }
    const points: GrowthPoint[] = [];
    for (const r of running) {
      const after = await r.target.memory();
      points.push({
        grants: r.size,
        notes: r.size,
        seedMs: r.seedMs,
        startupMs: r.target.startupMs,
        dataBytes: r.dataBytes,
        rssStartBytes: r.rssStartBytes,
        rssAfterLoadBytes: after.rssBytes,
        heapStartBytes: r.heapStartBytes,
        heapAfterLoadBytes: after.heapUsedBytes,
        refreshPerSecond: spread(r.refreshBursts.map((b) => b.perSecond)),
        refreshCpuMicrosPerOp: spread(r.refreshBursts.map((b) => b.cpuMicrosPerOp)),
        mcpPerSecond: spread(r.mcpBursts.map((b) => b.perSecond)),
        compactions: r.target.compactions.length,
        longestCompactionPauseMs: Math.max(0, ...r.target.compactions.map((c) => c.longestSliceMs + c.journalSwapMs)),
        longestCompactionMs: Math.max(0, ...r.target.compactions.map((c) => c.ms)),
        longestRequestMs: Math.max(...r.refreshBursts.map((b) => b.latencyMaxMs)),
        failures: [...r.refreshBursts, ...r.mcpBursts].reduce((sum, b) => sum + b.failures, 0),
      });
    }
    return points;
  } finally {
    await Promise.all(running.map(async (r) => {
      await r.target.stop();
      await rm(r.target.dataDir, { recursive: true, force: true });
    }));
  }
}
