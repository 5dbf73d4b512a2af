// The outcome table a model run prints: for each operation and each hostile flaw (or valid input),
// how often it was tried and what it was answered, so a reader sees at a glance that, say,
// `refresh` with `wrong-resource` ran 240 times and always got invalid_target.

/** `outcomes` keys are `<kind>[ !<flaw>] -> <answer>`, as operations.ts counts them. */
export function outcomeTable(outcomes: ReadonlyMap<string, number>): string {
  const rows = new Map<string, { kind: string; flaw: string; tried: number; answers: Map<string, number> }>();
  for (const [key, n] of outcomes) {
    const match = /^(\S+)(?: !(\S+))? -> (.*)$/.exec(key);
    if (!match) continue;
    const [, kind, flaw = 'valid', answer] = match as unknown as [string, string, string | undefined, string];
    const id = `${kind} ${flaw}`;
    const row = rows.get(id) ?? { kind, flaw, tried: 0, answers: new Map<string, number>() };
    row.tried += n;
    row.answers.set(answer, (row.answers.get(answer) ?? 0) + n);
    rows.set(id, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.flaw === 'valid' ? -1 : b.flaw === 'valid' ? 1 : a.flaw.localeCompare(b.flaw)));
  const kindWidth = Math.max(9, ...sorted.map((row) => row.kind.length));
  const flawWidth = Math.max(4, ...sorted.map((row) => row.flaw.length));
  const lines = [`${'operation'.padEnd(kindWidth)}  ${'flaw'.padEnd(flawWidth)}  ${'tried'.padStart(6)}  answers`];
  for (const row of sorted) {
    const answers = [...row.answers.entries()].sort(([, a], [, b]) => b - a).map(([answer, n]) => (n === row.tried ? `always ${answer}` : `${answer} ×${n}`)).join(', ');
    lines.push(`${row.kind.padEnd(kindWidth)}  ${row.flaw.padEnd(flawWidth)}  ${String(row.tried).padStart(6)}  ${answers}`);
  }
  return lines.join('\n');
}
