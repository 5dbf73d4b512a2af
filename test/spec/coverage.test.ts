// Requirement coverage: every MUST rule the pure core implements must be named, as `[ID]`, in the
// title of at least one test, and every `[ID]` named in a title must exist in the catalogue.
// NOTE: titles in THIS file carry only the `[spec]` tag; example ids live in test bodies so they
// do not count as coverage.

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

import { byId, catalogue, coreMustIds, type Requirement } from '../../spec/catalogue.ts';
import {
  coverageReport,
  extractTitles,
  formatCoverageTable,
  idsInTitle,
  summaryLine,
  type CoverageReport,
} from '../../spec/coverage.ts';

const TEST_ROOT = fileURLToPath(new URL('..', import.meta.url));

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

function titlesByFile(): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const file of testFiles(TEST_ROOT)) {
    result[relative(TEST_ROOT, file)] = extractTitles(readFileSync(file, 'utf8'));
  }
  return result;
}

describe('[spec] requirement coverage', () => {
  let report: CoverageReport;

  beforeAll(() => {
    report = coverageReport(catalogue, titlesByFile());
    console.log(`\n${formatCoverageTable(report)}\n`);
  });

  it('[spec] every MUST rule the core implements is named by at least one test', () => {
    expect(
      report.uncoveredCoreMust,
      `${summaryLine(report)}; core MUST ids named by no test title: ${report.uncoveredCoreMust.join(', ')}`,
    ).toEqual([]);
  });

  it('[spec] every ID named in a test title exists in the catalogue', () => {
    const unknown = report.unknownIds.map((u) => `${u.id} in "${u.title}" (${u.file})`);
    expect(unknown, `unknown requirement ids in test titles:\n${unknown.join('\n')}`).toEqual([]);
  });
});

describe('[spec] catalogue', () => {
  it('[spec] ids are unique and id-shaped, every entry has a source, a summary and a layer', () => {
    const ids = catalogue.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of catalogue) {
      expect(idsInTitle(`[${r.id}]`), r.id).toEqual([r.id]);
      expect(r.source.length, r.id).toBeGreaterThan(0);
      expect(r.summary.length, r.id).toBeGreaterThan(0);
      expect(r.summary.includes('\n'), r.id).toBe(false);
      expect(r.layers.length, r.id).toBeGreaterThan(0);
    }
  });

  it('[spec] byId finds entries and coreMustIds keeps only MUST/MUST NOT rules of the core layer', () => {
    expect(byId('REQ-09')?.level).toBe('MUST');
    expect(byId('NOPE-01')).toBeUndefined();
    const core = coreMustIds();
    expect(core.length).toBeGreaterThan(0);
    for (const id of core) {
      const r = byId(id) as Requirement;
      expect(['MUST', 'MUST NOT']).toContain(r.level);
      expect(r.layers).toContain('core');
    }
    // an RS-only MUST and a core SHOULD are not core MUSTs
    expect(core).not.toContain('MCP-33');
    expect(core).not.toContain('REQ-12');
  });
});

describe('[spec] extractTitles', () => {
  it('[spec] finds describe/it/test titles in single, double and backtick quotes', () => {
    const src = [
      `describe('outer', () => {`,
      `  it("double quoted", () => {});`,
      '  test(`backtick`, () => {});',
      `  it('escaped \\'quote\\'', () => {});`,
      `});`,
    ].join('\n');
    expect(extractTitles(src)).toEqual(['outer', 'double quoted', 'backtick', "escaped 'quote'"]);
  });

  it('[spec] keeps ${...} in backtick titles as literal text', () => {
    const src = 'it(`rotates ${kind} token [X-01]`, () => {});\ndescribe(`nested ${`t${1}`} ok`, () => {});';
    expect(extractTitles(src)).toEqual(['rotates ${kind} token [X-01]', 'nested ${`t${1}`} ok']);
  });

  it('[spec] follows modifiers: skip/only/todo, each(...)(, prop(...)(, each`table`(, skipIf(...)(', () => {
    const src = [
      `describe.skip('skipped suite', () => {});`,
      `it.only('only one', () => {});`,
      `it.todo('later');`,
      `it.each([[1, 'a'], [2, 'b']])('each row %s', (n, s) => {});`,
      `test.each([{ a: ')' }])("each with paren in data", () => {});`,
      `it.prop([fc.string(), fc.integer()])('property title', (s, n) => {});`,
      `it.prop([fc.string()], { numRuns: 5 })('property with options', (s) => {});`,
      'test.each`\n a | b\n ${1} | ${2}\n`(\'tagged table\', () => {});',
      `describe.skipIf(process.env.CI === 'x')('conditional suite', () => {});`,
      `it.concurrent.each([1])('chained modifiers', () => {});`,
    ].join('\n');
    expect(extractTitles(src)).toEqual([
      'skipped suite',
      'only one',
      'later',
      'each row %s',
      'each with paren in data',
      'property title',
      'property with options',
      'tagged table',
      'conditional suite',
      'chained modifiers',
    ]);
  });

  it('[spec] ignores comments, strings, member calls and non-literal titles', () => {
    const src = [
      `// it('in a line comment', () => {});`,
      `/* describe("in a block comment") */`,
      `const s = "it('inside a string')";`,
      'const t = `test(\'inside a template\')`;',
      `const re = /it\\('in a regex'\\)/;`,
      `helper.it('member call');`,
      `import { describe, it, test } from 'vitest';`,
      `function test(name) { return name; }`,
      `it(nameVariable, () => {});`,
      `it('the real one', () => {});`,
    ].join('\n');
    expect(extractTitles(src)).toEqual(['the real one']);
  });
});

describe('[spec] idsInTitle', () => {
  it('[spec] reads single, adjacent and comma-separated bracket forms', () => {
    expect(idsInTitle('code is single-use [REQ-09]')).toEqual(['REQ-09']);
    expect(idsInTitle('replay revokes the grant [REQ-09][EC-18]')).toEqual(['REQ-09', 'EC-18']);
    expect(idsInTitle('replay revokes the grant [REQ-09, EC-18]')).toEqual(['REQ-09', 'EC-18']);
    expect(idsInTitle('[REQ-09] twice [REQ-09]')).toEqual(['REQ-09']);
  });

  it('[spec] recognises every id shape of the catalogue', () => {
    expect(idsInTitle('[CGPT-OBS-01] [RFC7636-03] [OA21-05] [EC-18] [CGPT-22] [CIMD-02]')).toEqual([
      'CGPT-OBS-01',
      'RFC7636-03',
      'OA21-05',
      'EC-18',
      'CGPT-22',
      'CIMD-02',
    ]);
  });

  it('[spec] a title without brackets yields no ids', () => {
    expect(idsInTitle('REQ-09 code is single-use, see EC-18')).toEqual([]);
  });

  it('[spec] non-id bracket contents such as the spec tag are ignored', () => {
    expect(idsInTitle('[spec] table [0] [req-09] [] [REQ-09]')).toEqual(['REQ-09']);
  });
});

describe('[spec] coverageReport', () => {
  const mini: readonly Requirement[] = [
    { id: 'REQ-01', level: 'MUST', source: 'x', summary: 'a', layers: ['core'] },
    { id: 'REQ-02', level: 'MUST NOT', source: 'x', summary: 'b', layers: ['core', 'http'] },
    { id: 'REQ-03', level: 'SHOULD', source: 'x', summary: 'c', layers: ['core'] },
    { id: 'REQ-04', level: 'MUST', source: 'x', summary: 'd', layers: ['mcp'] },
  ];

  it('[spec] counts naming titles and lists unnamed core MUST ids', () => {
    const report = coverageReport(mini, {
      'a.test.ts': ['first [REQ-01]', 'second [REQ-01, REQ-04]'],
      'b.test.ts': ['plain title'],
    });
    expect(report.requirements.map((c) => [c.id, c.titles.length, c.coreMust])).toEqual([
      ['REQ-01', 2, true],
      ['REQ-02', 0, true],
      ['REQ-03', 0, false],
      ['REQ-04', 1, false],
    ]);
    expect(report.uncoveredCoreMust).toEqual(['REQ-02']);
    expect(report.unknownIds).toEqual([]);
    expect(summaryLine(report)).toBe('coverage: 1/2 core MUST rules named by a test');
    const table = formatCoverageTable(report);
    expect(table).toContain('REQ-02');
    expect(table).not.toContain('REQ-03');
  });

  it('[spec] reports a typo id that is not in the catalogue', () => {
    const report = coverageReport(mini, { 'c.test.ts': ['typo [REQ-1]', 'ok [REQ-02]', 'typo [RFC7636-3]'] });
    expect(report.unknownIds).toEqual([
      { id: 'REQ-1', file: 'c.test.ts', title: 'typo [REQ-1]' },
      { id: 'RFC7636-3', file: 'c.test.ts', title: 'typo [RFC7636-3]' },
    ]);
    expect(report.uncoveredCoreMust).toEqual(['REQ-01']);
  });
});
