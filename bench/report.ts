// The targets (issue 18, the second round) checked against one run's results, and the Markdown the
// README's "Performance" section shows (rewritten between its markers by every full run).
import { readFile, writeFile } from 'node:fs/promises';
import type { Comparison } from './compare.ts';
import type { GrowthPoint } from './growth.ts';
import { machineLine } from './machine.ts';
import type { Results } from './run.ts';
import { figure, spreadText } from './stats.ts';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const RATIO_TARGETS: Record<string, number> = { mcp: 0.9, refresh: 1.5, flow: 2, register: 2 };
/** CPU per operation, ours over the peer's, at most this. */
const CPU_TARGETS: Record<string, number> = { refresh: 0.6, flow: 0.6 };
const MB = 1e6;
const MEMORY_TARGETS = { freshStart: 90 * MB, afterLoad: 180 * MB, atLargest: 300 * MB };
const UNITS: Record<string, string> = { refresh: 'refresh grants/s', flow: 'whole flows/s', register: 'registrations/s', mcp: 'tools/list/s' };

const mb = (bytes: number) => `${figure(bytes / 1e6)} MB`;

export function targetsOf(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const c of results.comparisons) {
    const wanted = RATIO_TARGETS[c.scenario];
    if (wanted === undefined) continue;
    checks.push({ target: `${c.scenario}: agent-notes / ${c.b.name} >= ${wanted}`, measured: figure(c.ratio.median, 3), met: c.ratio.median >= wanted });
    const cpu = CPU_TARGETS[c.scenario];
    if (cpu !== undefined) {
      const share = c.a.cpuMicrosPerOp.median / c.b.cpuMicrosPerOp.median;
      checks.push({ target: `${c.scenario}: CPU per operation <= ${cpu}x ${c.b.name}'s`, measured: `${figure(share, 2)}x (${figure(c.a.cpuMicrosPerOp.median)} / ${figure(c.b.cpuMicrosPerOp.median)} us)`, met: share <= cpu });
    }
  }
  const ours = results.memory.find((trace) => trace.target === 'agent-notes');
  const first = ours?.points[0];
  const last = ours?.points.at(-1);
  if (first && last) {
    checks.push({ target: `resident memory of a fresh start, empty data <= ${mb(MEMORY_TARGETS.freshStart)}`, measured: mb(first.memory.rssBytes), met: first.memory.rssBytes <= MEMORY_TARGETS.freshStart });
    checks.push({ target: `resident memory after the bench load <= ${mb(MEMORY_TARGETS.afterLoad)}`, measured: `${mb(last.memory.rssBytes)} after ${last.after}`, met: last.memory.rssBytes <= MEMORY_TARGETS.afterLoad });
  }
  const smallest = results.growth[0];
  const largest = results.growth.at(-1);
  if (smallest && largest && largest !== smallest) {
    const kept = largest.refreshPerSecond.median / smallest.refreshPerSecond.median;
    const at = `at ${figure(largest.grants)} grants`;
    checks.push({ target: `refresh/s ${at} >= 0.8x its value at ${figure(smallest.grants)}`, measured: figure(kept, 3), met: kept >= 0.8 });
    checks.push({ target: `start-up ${at} < 3 s`, measured: `${figure(largest.startupMs / 1000, 2)} s`, met: largest.startupMs < 3000 });
    const rss = Math.max(largest.rssStartBytes, largest.rssAfterLoadBytes);
    checks.push({ target: `resident memory ${at} and as many notes <= ${mb(MEMORY_TARGETS.atLargest)}`, measured: `${mb(largest.rssStartBytes)} after start, ${mb(largest.rssAfterLoadBytes)} after the load`, met: rss <= MEMORY_TARGETS.atLargest });
    checks.push({
      target: `no request stalled > 100 ms by a compaction ${at}`,
      measured: `at most ${figure(largest.longestCompactionPauseMs, 1)} ms over ${largest.compactions} compactions (slowest refresh of the bursts, any cause: ${figure(largest.longestRequestMs)} ms)`,
      met: largest.compactions > 0 && largest.longestCompactionPauseMs <= 100,
    });
  }
  return checks;
}

function comparisonRow(c: Comparison): string {
  const wanted = RATIO_TARGETS[c.scenario];
  const met = wanted === undefined ? '' : c.ratio.median >= wanted ? 'met' : 'not met';
  return `| ${UNITS[c.scenario] ?? c.scenario} | ${spreadText(c.a.perSecond)} | ${c.b.name}: ${spreadText(c.b.perSecond)} | ${spreadText(c.ratio, 2)} | ${wanted === undefined ? '' : `>= ${wanted}`} ${met} | ${figure(c.a.cpuMicrosPerOp.median)} / ${figure(c.b.cpuMicrosPerOp.median)} | ${c.a.failures + c.b.failures} |`;
}

function growthRow(g: GrowthPoint): string {
  return `| ${figure(g.grants)} | ${mb(g.dataBytes)} | ${figure(g.startupMs)} ms | ${mb(g.rssStartBytes)} / ${mb(g.rssAfterLoadBytes)} (heap ${mb(g.heapStartBytes)} / ${mb(g.heapAfterLoadBytes)}) | ${spreadText(g.refreshPerSecond)} | ${figure(g.refreshCpuMicrosPerOp.median)} us | ${spreadText(g.mcpPerSecond)} | ${g.compactions}, up to ${figure(g.longestCompactionMs)} ms | ${figure(g.longestCompactionPauseMs, 1)} ms | ${figure(g.longestRequestMs)} ms | ${g.failures} |`;
}

export function report(results: Results): string {
  const { settings } = results;
  const lines = [
    `Measured ${results.date} with \`npm run bench\` on ${machineLine(results.machine)}.`,
    `${settings.rounds} rounds of ${settings.seconds} s per target and scenario, ${settings.connections} connections, targets alternating A B, B A, ...; figures are medians (min-max) of the rounds, ratios are taken per round. CPU is the server process's user + system time per successful operation.`,
    '',
    '| Scenario | agent-notes | Peer | Ratio | Target | CPU us/op (ours / peer) | Failures |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.comparisons.map(comparisonRow),
  ];
  if (results.memory.length > 0) {
    const moments = [...new Set(results.memory.flatMap((trace) => trace.points.map((p) => p.after)))];
    const cell = (trace: (typeof results.memory)[number], after: string) => {
      const point = trace.points.find((p) => p.after === after);
      return point === undefined ? '' : `${mb(point.memory.rssBytes)} (heap ${mb(point.memory.heapUsedBytes)})`;
    };
    lines.push(
      '',
      'Memory of each server, resident (and V8 heap in use), after start-up and after each scenario it served:',
      '',
      `| Server | ${moments.map((m) => `after ${m}`).join(' | ')} |`,
      `| --- | ${moments.map(() => '---').join(' | ')} |`,
      ...results.memory.map((trace) => `| ${trace.target} | ${moments.map((m) => cell(trace, m)).join(' | ')} |`),
    );
  }
  if (results.signIn) lines.push('', `Sign-ins through the form (argon2id, slow on purpose), agent-notes alone: ${spreadText(results.signIn.perSecond, 1)} per second, ${figure(results.signIn.cpuMicrosPerOp.median / 1000, 1)} ms CPU each.`);
  if (results.growth.length > 0) {
    lines.push(
      '',
      'Growth (agent-notes alone; every size running at once and loaded in turn):',
      '',
      '| Live grants and notes | Data file | Start-up | Resident memory (start / after load) | Refresh/s | CPU per refresh | tools/list/s | Compactions | Longest hold-up by a compaction | Slowest refresh (any cause) | Failures |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...results.growth.map(growthRow),
    );
  }
  const checks = targetsOf(results);
  if (checks.length > 0) lines.push('', 'Targets:', '', ...checks.map((c) => `- ${c.met ? 'Met' : '**Not met**'}: ${c.target} (measured ${c.measured})`));
  return lines.join('\n');
}

/** Replaces the README's table between the bench markers (left alone when they are missing). */
export async function updateReadme(path: string, markdown: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) {
    console.log(`README has no ${START} ... ${END} markers; table not written there`);
    return;
  }
  await writeFile(path, `${text.slice(0, start + START.length)}\n${markdown}\n${text.slice(end)}`);
}
