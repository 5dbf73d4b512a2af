// `npm run mutation [area ...]`: Stryker over each area of mutation-areas.json in turn (all of them
// when none is named), then one table of scores against the targets (90% for the core, 85% for
// the shell areas). Each area's HTML report is in reports/mutation/<area>/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const areas = Object.keys(JSON.parse(readFileSync(`${root}mutation-areas.json`, 'utf8'))).filter((name) => !name.startsWith('$'));
const TARGET: Record<string, number> = { core: 90 };

interface Tally {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
}

/** Counts by status in a mutation-testing-report JSON file (Stryker's `json` reporter). */
export function tally(report: { files: Record<string, { mutants: { status: string }[] }> }): Tally {
  const counts: Tally = { killed: 0, survived: 0, noCoverage: 0, timeout: 0 };
  for (const file of Object.values(report.files)) {
    for (const { status } of file.mutants) {
      if (status === 'Killed') counts.killed += 1;
      else if (status === 'Survived') counts.survived += 1;
      else if (status === 'NoCoverage') counts.noCoverage += 1;
      else if (status === 'Timeout') counts.timeout += 1;
    }
  }
  return counts;
}

/** Detected over valid mutants, as Stryker computes its "total" score. */
export function score({ killed, survived, noCoverage, timeout }: Tally): number {
  const valid = killed + survived + noCoverage + timeout;
  return valid === 0 ? 100 : (100 * (killed + timeout)) / valid;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !areas.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown mutation area ${unknown.map((n) => `"${n}"`).join(', ')}; the areas are ${areas.join(', ')}`);
    process.exit(2);
  }
  const rows: string[] = [];
  let failed = false;
  for (const area of chosen.length > 0 ? chosen : areas) {
    const started = Date.now();
    const run = spawnSync('npx', ['stryker', 'run'], { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATION_AREA: area, FC_NUM_RUNS: process.env.FC_NUM_RUNS ?? '60' } });
    const report = `${root}reports/mutation/${area}/mutation.json`;
    if (run.status !== 0 || !existsSync(report)) {
      rows.push(`${area.padEnd(8)} stryker failed (exit ${run.status})`);
      failed = true;
      continue;
    }
    const counts = tally(JSON.parse(readFileSync(report, 'utf8')));
    const value = score(counts);
    const target = TARGET[area] ?? 85;
    if (value < target) failed = true;
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    rows.push(`${area.padEnd(8)} ${value.toFixed(2).padStart(6)}%  target ${target}%  killed ${counts.killed + counts.timeout}, survived ${counts.survived}, no coverage ${counts.noCoverage}  (${minutes} min)`);
  }
  console.log(`\nmutation scores:\n  ${rows.join('\n  ')}`);
  process.exitCode = failed ? 1 : 0;
}
