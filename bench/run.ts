// `npm run bench`: agent-notes side by side with oidc-provider (refresh, flow, register) and with a
// bare MCP SDK server (tools/list), then how agent-notes' cost grows with 1k, 10k and 100k live
// grants and notes. Prints medians with min and max and the per-round ratios, checks the targets
// of issue 7, writes bench/results.json and the README's Performance table.
//
// Then search over 10,000 notes (bench/search.ts): p50/p99 query time, index memory, start-up.
//
// Settings (environment): BENCH_SECONDS per burst (5), BENCH_ROUNDS (5), BENCH_GROWTH sizes
// ("1000,10000,100000"), BENCH_SCENARIOS to run a subset ("refresh,flow,register,mcp,signin,growth,search").
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { alone, compare, type Comparison, type CompareOptions, type Side } from './compare.ts';
import { measureGrowth, type GrowthPoint } from './growth.ts';
import { Counter } from './load.ts';
import { machine, type Machine } from './machine.ts';
import { report, targetsOf, updateReadme } from './report.ts';
import { flowSequence, refreshSequence, registerSequence } from './scenarios.ts';
import { measureSearch, searchReport, type SearchFigures } from './search.ts';
import { startAgentNotes, toolsListBody, toolsListHeaders } from './targets/agent-notes.ts';
import { startBareMcp } from './targets/bare-mcp.ts';
import { startOidcProvider } from './targets/oidc-provider.ts';
import type { Memory, Target } from './targets/target.ts';

/** Each target's memory after start-up and after each scenario it took part in, in order. */
export interface MemoryTrace {
  target: string;
  points: { after: string; memory: Memory }[];
}

export interface Results {
  date: string;
  memory: MemoryTrace[];
  machine: Machine;
  settings: { seconds: number; rounds: number; connections: number; warmupSeconds: number; growthSizes: number[] };
  comparisons: Comparison[];
  signIn?: Side;
  growth: GrowthPoint[];
  search?: SearchFigures;
}

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const SECONDS = number('BENCH_SECONDS', 5);
const ROUNDS = number('BENCH_ROUNDS', 5);
const CONNECTIONS = 10;
const SIZES = (process.env.BENCH_GROWTH ?? '1000,10000,100000').split(',').map(Number);
const ALL_SCENARIOS = 'refresh,flow,register,mcp,signin,growth,search';
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS).split(','));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));

const log = (line: string) => console.log(line);
const options: CompareOptions = { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: 2, log };

async function sideBySide(): Promise<{ comparisons: Comparison[]; signIn?: Side; memory: MemoryTrace[] }> {
  const comparisons: Comparison[] = [];
  let signIn: Side | undefined;
  log('starting agent-notes, oidc-provider and the bare MCP SDK server');
  const [agentNotes, peer, bare] = await Promise.all([startAgentNotes(), startOidcProvider(), startBareMcp()]);
  const traces = new Map<Target, MemoryTrace>([agentNotes, peer, bare].map((t) => [t, { target: t.name, points: [] }]));
  const note = async (after: string, ...targets: Target[]) => {
    for (const target of targets) {
      const memory = await target.memory();
      traces.get(target)!.points.push({ after, memory });
      log(`  memory of ${target.name} after ${after}: ${(memory.rssBytes / 1e6).toFixed(0)} MB resident, heap ${(memory.heapUsedBytes / 1e6).toFixed(0)} of ${(memory.heapTotalBytes / 1e6).toFixed(0)} MB`);
    }
  };
  try {
    await note('start', agentNotes, peer, bare);
    const chainsOf = async (target: typeof agentNotes | typeof peer) => target.chains(CONNECTIONS + 5);
    const [ours, theirs] = [await chainsOf(agentNotes), await chainsOf(peer)];
    if (SCENARIOS.has('refresh')) {
      log('refresh: refresh_token grants, each connection following its own rotating chain');
      comparisons.push(await compare('refresh', { target: agentNotes, sequence: refreshSequence(agentNotes, ours, CONNECTIONS) }, { target: peer, sequence: refreshSequence(peer, theirs, CONNECTIONS) }, options));
      await note('refresh', agentNotes, peer);
    }
    if (SCENARIOS.has('flow')) {
      log('flow: registration, authorization through consent, code exchange (session signed in once)');
      comparisons.push(await compare('flow', { target: agentNotes, sequence: flowSequence(agentNotes) }, { target: peer, sequence: flowSequence(peer) }, options));
      await note('flow', agentNotes, peer);
    }
    if (SCENARIOS.has('register')) {
      log('register: dynamic client registrations');
      comparisons.push(await compare('register', { target: agentNotes, sequence: registerSequence(agentNotes) }, { target: peer, sequence: registerSequence(peer) }, options));
      await note('register', agentNotes, peer);
    }
    if (SCENARIOS.has('mcp')) {
      log('mcp: authenticated tools/list (2026-07-28) vs the bare SDK server without authentication');
      const token = agentNotes.accessTokens[0]!;
      comparisons.push(await compare('mcp', { target: agentNotes, sequence: { requests: [agentNotes.toolsList(token)] } }, { target: bare, sequence: { requests: [{ method: 'POST', path: '/mcp', headers: toolsListHeaders(), body: toolsListBody() }] } }, options));
      await note('mcp', agentNotes, bare);
    }
    if (SCENARIOS.has('signin')) {
      log('sign-in: the sign-in form (argon2id, slow on purpose), agent-notes alone');
      const counter = new Counter();
      signIn = await alone({ target: agentNotes, sequence: { requests: agentNotes.signInRequests(counter.done), counter } }, options);
      await note('signin', agentNotes);
    }
  } finally {
    await Promise.all([agentNotes.stop(), peer.stop(), bare.stop()]);
    await rm(agentNotes.dataDir, { recursive: true, force: true });
  }
  return { comparisons, ...(signIn && { signIn }), memory: [...traces.values()] };
}

const started = performance.now();
const host = await machine(); // before the load: its load average says how busy the machine was
const sideBySideWanted = ['refresh', 'flow', 'register', 'mcp', 'signin'].some((name) => SCENARIOS.has(name));
const { comparisons, signIn, memory } = sideBySideWanted ? await sideBySide() : { comparisons: [], signIn: undefined, memory: [] };
const growth = SCENARIOS.has('growth') ? await (log('growth: agent-notes with seeded grants and notes'), measureGrowth({ sizes: SIZES, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, log })) : [];
const search = SCENARIOS.has('search') ? measureSearch({ log }) : undefined;
const results: Results = {
  date: new Date().toISOString().slice(0, 10),
  machine: host,
  memory,
  settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, warmupSeconds: options.warmupSeconds, growthSizes: SIZES },
  comparisons,
  ...(signIn && { signIn }),
  growth,
  ...(search && { search }),
};
await writeFile(RESULTS, `${JSON.stringify({ ...results, targets: targetsOf(results) }, null, 2)}\n`);
const markdown = report(results);
console.log(`\n${markdown}`);
if (search) console.log(`\n${searchReport(search)}`);
if (SCENARIOS.size === ALL_SCENARIOS.split(',').length) await updateReadme(README, search ? `${markdown}\n\n${searchReport(search)}` : markdown);
console.log(`\nbench done in ${Math.round((performance.now() - started) / 1000)} s; results in ${RESULTS}`);
