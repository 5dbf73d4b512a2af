// The CI job on chatgpt-apps/spec-authors.md ("In another project's CI") is valid YAML, and every
// flag its `agent-notes fuzz` and `conformance` lines use is one the commands really have.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/program.ts';

const page = readFileSync(new URL('../../chatgpt-apps/spec-authors.md', import.meta.url), 'utf8');
const section = page.slice(page.indexOf("## 8. In another project's CI"));
const job = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

describe('[fuzz] the CI example for other projects', () => {
  it('[FUZZ-02][FUZZ-03] is valid YAML whose fuzz and conformance lines use only flags the commands have', () => {
    const parsed = parse(job) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const runs = Object.values(parsed.jobs).flatMap((j) => j.steps).map((step) => step.run ?? '').join('\n').replace(/\\\n\s*/g, ' ');
    const program = buildProgram();
    for (const verb of ['fuzz', 'conformance']) {
      const line = runs.split('\n').find((l) => l.includes(`agent-notes ${verb} `));
      expect(line, `a line running agent-notes ${verb}`).toBeDefined();
      const known = program.commands.find((c) => c.name() === verb)!.options.flatMap((o) => [o.long, o.short]);
      const args = line!.slice(line!.indexOf(`agent-notes ${verb} `));
      for (const flag of args.match(/(?<=\s)--?[a-z][a-z-]*/g) ?? []) expect(known, `${verb} ${flag}`).toContain(flag);
    }
  });
});
