// `npm run bench:profile [scenario]`: one agent-notes under one scenario's load with V8's CPU
// profiler on, then the functions that took the most self time, grouped by file. What to look at
// before changing anything for speed. Scenarios: refresh (default), flow, register, mcp.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burst } from './load.ts';
import { flowSequence, refreshSequence, registerSequence, type Sequence } from './scenarios.ts';
import { startAgentNotes, type AgentNotesTarget } from './targets/agent-notes.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }
interface Profile { nodes: ProfileNode[]; samples: number[] }

const scenario = process.argv[2] ?? 'refresh';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dir = await mkdtemp(join(tmpdir(), 'agent-notes-profile-'));
const target = await startAgentNotes({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
const sequences: Record<string, (t: AgentNotesTarget) => Promise<Sequence>> = {
  refresh: async (t) => refreshSequence(t, await t.chains(15), 10),
  flow: async (t) => flowSequence(t),
  register: async (t) => registerSequence(t),
  mcp: async (t) => {
    await t.chains(15);
    return { requests: [t.toolsList(t.accessTokens[0]!)] };
  },
};
const make = sequences[scenario];
if (make === undefined) throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(sequences).join(', ')}`);
const result = await burst(target, await make(target), { seconds, connections: 10 });
console.log(`${scenario}: ${Math.round(result.perSecond)}/s, ${Math.round(result.cpuMicrosPerOp)} us CPU/op, ${result.failures} failures`);
await target.stop();

const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'))!;
const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile;
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const where = node.callFrame.url.replace(/^file:\/\//, '').replace(process.cwd(), '.').replace(/.*node_modules\//, 'node_modules/');
  const key = `${node.callFrame.functionName || '(anonymous)'}  ${where}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  const group = where === '' ? `(${node.callFrame.functionName})` : where.startsWith('node_modules/') ? where.split('/').slice(0, where.startsWith('node_modules/@') ? 3 : 2).join('/') : where.startsWith('node:') ? 'node internals' : where;
  byFile.set(group, (byFile.get(group) ?? 0) + node.hitCount);
}
const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log(`\nself time by file or package (${total} samples):\n${top(byFile, 25).join('\n')}`);
console.log(`\nself time by function:\n${top(byFunction, 30).join('\n')}`);
console.log(`\nprofile: ${join(dir, file)}`);
