import { describe, expect, it } from 'vitest';
import { score, tally } from './run.ts';

describe('mutation score', () => {
  it('[mutation] counts detected mutants (killed and timed out) over every valid one, no-coverage included', () => {
    const report = { files: { 'a.ts': { mutants: [{ status: 'Killed' }, { status: 'Killed' }, { status: 'Timeout' }, { status: 'Survived' }] }, 'b.ts': { mutants: [{ status: 'NoCoverage' }, { status: 'Ignored' }, { status: 'CompileError' }] } } };
    const counts = tally(report);
    expect(counts).toEqual({ killed: 2, survived: 1, noCoverage: 1, timeout: 1 });
    expect(score(counts)).toBe(60);
    expect(score({ killed: 0, survived: 0, noCoverage: 0, timeout: 0 })).toBe(100);
  });
});
