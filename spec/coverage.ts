// Pure helpers for the requirement-coverage check: pull test titles out of test sources, pull
// requirement IDs out of titles, and cross-reference them with the catalogue. No I/O here.

import { isCoreMust, type Layer, type Level, type Requirement } from './catalogue.ts';

// ------------------------------------------------------------------------------- title extraction

const TEST_FUNCTIONS = new Set(['describe', 'it', 'test']);
/** Modifiers whose call takes configuration (a table, arbitraries, a condition), not the title. */
const CONFIG_MODIFIERS = new Set(['each', 'for', 'prop', 'skipIf', 'runIf']);

const isIdentStart = (c: string): boolean => /[A-Za-z_$]/.test(c);
const isIdentChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** Characters after which a `/` starts a regular expression literal rather than a division. */
const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

class Scanner {
  pos = 0;
  constructor(readonly src: string) {}

  at(offset = 0): string {
    return this.src.charAt(this.pos + offset);
  }

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  skipSpaceAndComments(): void {
    while (!this.done) {
      const c = this.at();
      if (isSpace(c)) this.pos++;
      else if (c === '/' && this.at(1) === '/') this.skipLineComment();
      else if (c === '/' && this.at(1) === '*') this.skipBlockComment();
      else return;
    }
  }

  skipLineComment(): void {
    const end = this.src.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.src.length : end + 1;
  }

  skipBlockComment(): void {
    const end = this.src.indexOf('*/', this.pos + 2);
    this.pos = end === -1 ? this.src.length : end + 2;
  }

  /** At a `'` or `"`: consume the literal and return its decoded value. */
  readQuoted(): string {
    const quote = this.at();
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.at();
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.at(1);
        this.pos += 2;
        if (next === 'n') out += '\n';
        else if (next === 't') out += '\t';
        else if (next === 'r') out += '\r';
        else if (next === '\n') out += '';
        else out += next;
        continue;
      }
      if (c === '\n') return out; // unterminated; stop at end of line
      out += c;
      this.pos++;
    }
    return out;
  }

  /** At a backtick: consume the template literal and return its source text between the backticks. */
  readTemplate(): string {
    const start = ++this.pos;
    while (!this.done) {
      const c = this.at();
      if (c === '\\') {
        this.pos += 2;
      } else if (c === '`') {
        const text = this.src.slice(start, this.pos);
        this.pos++;
        return text;
      } else if (c === '$' && this.at(1) === '{') {
        this.pos += 2;
        this.skipBalanced('}');
      } else {
        this.pos++;
      }
    }
    return this.src.slice(start);
  }

  /** At a `/` that starts a regular expression literal: consume it (body and flags). */
  skipRegex(): void {
    this.pos++;
    let inClass = false;
    while (!this.done) {
      const c = this.at();
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === '\n') return;
      this.pos++;
      if (inClass) {
        if (c === ']') inClass = false;
      } else if (c === '[') {
        inClass = true;
      } else if (c === '/') {
        while (isIdentChar(this.at())) this.pos++;
        return;
      }
    }
  }

  /**
   * Consume source until the unmatched `close` character (which is consumed too), skipping strings,
   * templates, comments, regexes and nested brackets.
   */
  skipBalanced(close: string): void {
    const stack: string[] = [close];
    let prev = '';
    while (!this.done && stack.length > 0) {
      const c = this.at();
      if (isSpace(c)) {
        this.pos++;
        continue;
      }
      if (c === '/' && (this.at(1) === '/' || this.at(1) === '*')) {
        this.skipSpaceAndComments();
        continue;
      }
      if (c === '"' || c === "'") {
        this.readQuoted();
        prev = 'x';
        continue;
      }
      if (c === '`') {
        this.readTemplate();
        prev = 'x';
        continue;
      }
      if (c === '/' && regexAllowed(prev)) {
        this.skipRegex();
        prev = 'x';
        continue;
      }
      if (isIdentStart(c)) {
        prev = this.readIdentifier();
        continue;
      }
      if (c === '(') stack.push(')');
      else if (c === '[') stack.push(']');
      else if (c === '{') stack.push('}');
      else if (c === stack[stack.length - 1]) stack.pop();
      prev = c;
      this.pos++;
    }
  }

  readIdentifier(): string {
    const start = this.pos;
    while (isIdentChar(this.at())) this.pos++;
    return this.src.slice(start, this.pos);
  }
}

/** `prev` is the last significant token: a punctuation char, an identifier, or 'x' for a literal. */
function regexAllowed(prev: string): boolean {
  if (REGEX_PRECEDERS.has(prev)) return true;
  return REGEX_KEYWORDS.has(prev);
}

/**
 * After `describe` / `it` / `test` has been read, follow the modifier chain
 * (`.skip`, `.each(table)`, `.prop(arbs)`, `` .each`table` ``, …) to the call that carries the
 * title, and return the title literal if it is a string or template literal.
 */
function readTitleAfterKeyword(s: Scanner): string | undefined {
  let lastModifier = '';
  for (;;) {
    s.skipSpaceAndComments();
    const c = s.at();
    if (c === '.') {
      s.pos++;
      s.skipSpaceAndComments();
      if (!isIdentStart(s.at())) return undefined;
      lastModifier = s.readIdentifier();
      continue;
    }
    if (c === '`') {
      // tagged template table: it.each`a | b`(...)
      s.readTemplate();
      lastModifier = '';
      continue;
    }
    if (c === '<') {
      // explicit type arguments: it.each<Row>(...)
      s.pos++;
      s.skipBalanced('>');
      continue;
    }
    if (c !== '(') return undefined;
    s.pos++;
    if (CONFIG_MODIFIERS.has(lastModifier)) {
      s.skipBalanced(')');
      lastModifier = '';
      continue;
    }
    s.skipSpaceAndComments();
    const q = s.at();
    if (q === '"' || q === "'") return s.readQuoted();
    if (q === '`') return s.readTemplate();
    return undefined; // title is not a literal (variable, function name, class …)
  }
}

/**
 * Title literals of every `describe(`, `it(` and `test(` call in a test source, in source order,
 * including modifier forms (`describe.skip(`, `it.only(`, `it.each(rows)(`, `it.prop(arbs)(`,
 * `` test.each`table`( ``). Template titles are returned as written, `${...}` included.
 * Calls on other objects (`foo.it(`), occurrences in comments and in strings are ignored.
 */
export function extractTitles(source: string): string[] {
  const s = new Scanner(source);
  const titles: string[] = [];
  let prev = ''; // last significant token, for regex detection and member-access exclusion
  while (!s.done) {
    const c = s.at();
    if (isSpace(c)) {
      s.pos++;
      continue;
    }
    if (c === '/' && (s.at(1) === '/' || s.at(1) === '*')) {
      s.skipSpaceAndComments();
      continue;
    }
    if (c === '"' || c === "'") {
      s.readQuoted();
      prev = 'x';
      continue;
    }
    if (c === '`') {
      s.readTemplate();
      prev = 'x';
      continue;
    }
    if (c === '/' && regexAllowed(prev)) {
      s.skipRegex();
      prev = 'x';
      continue;
    }
    if (isIdentStart(c)) {
      const word = s.readIdentifier();
      if (TEST_FUNCTIONS.has(word) && prev !== '.' && prev !== 'function') {
        const save = s.pos;
        const title = readTitleAfterKeyword(s);
        if (title === undefined) s.pos = save;
        else titles.push(title);
      }
      prev = word;
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (/[0-9A-Za-z_.]/.test(s.at())) s.pos++;
      prev = 'x';
      continue;
    }
    prev = c;
    s.pos++;
  }
  return titles;
}

// ---------------------------------------------------------------------------------- IDs in titles

/** Shape of a requirement id: `REQ-09`, `EC-18`, `CGPT-OBS-01`, `RFC7636-03`, `OA21-05`, … */
export const ID_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-[0-9]+$/;

/**
 * Every requirement id written in square brackets in a title, in order of appearance, without
 * duplicates. Accepts `[REQ-09]`, `[REQ-09][EC-18]` and `[REQ-09, EC-18]`. Bracket contents that
 * are not id-shaped (e.g. `[spec]`) are ignored; ids outside brackets do not count.
 */
export function idsInTitle(title: string): string[] {
  const ids: string[] = [];
  for (const match of title.matchAll(/\[([^[\]]*)\]/g)) {
    const inner = match[1] ?? '';
    for (const token of inner.split(/[\s,;]+/)) {
      if (token !== '' && ID_PATTERN.test(token) && !ids.includes(token)) ids.push(token);
    }
  }
  return ids;
}

// -------------------------------------------------------------------------------------- report

export type NamedBy = { file: string; title: string };

export type RequirementCoverage = {
  id: string;
  level: Level;
  layers: readonly Layer[];
  coreMust: boolean;
  /** Test titles (with their file) that name this requirement. */
  titles: NamedBy[];
};

export type CoverageReport = {
  /** One entry per catalogue requirement, in catalogue order. */
  requirements: RequirementCoverage[];
  /** Core MUST / MUST NOT ids that no test title names. */
  uncoveredCoreMust: string[];
  /** Ids named in titles that the catalogue does not define (typos). */
  unknownIds: Array<NamedBy & { id: string }>;
  coreMustTotal: number;
  coreMustNamed: number;
};

/**
 * Cross-reference a catalogue with the titles found per test file (file → titles).
 */
export function coverageReport(
  catalogue: readonly Requirement[],
  titlesByFile: Readonly<Record<string, readonly string[]>>,
): CoverageReport {
  const named = new Map<string, NamedBy[]>();
  const known = new Set(catalogue.map((req) => req.id));
  const unknownIds: Array<NamedBy & { id: string }> = [];

  for (const file of Object.keys(titlesByFile).sort()) {
    for (const title of titlesByFile[file] ?? []) {
      for (const id of idsInTitle(title)) {
        if (!known.has(id)) {
          unknownIds.push({ id, file, title });
          continue;
        }
        const list = named.get(id) ?? [];
        list.push({ file, title });
        named.set(id, list);
      }
    }
  }

  const requirements = catalogue.map(
    (req): RequirementCoverage => ({
      id: req.id,
      level: req.level,
      layers: req.layers,
      coreMust: isCoreMust(req),
      titles: named.get(req.id) ?? [],
    }),
  );
  const core = requirements.filter((c) => c.coreMust);
  const uncoveredCoreMust = core.filter((c) => c.titles.length === 0).map((c) => c.id);

  return {
    requirements,
    uncoveredCoreMust,
    unknownIds,
    coreMustTotal: core.length,
    coreMustNamed: core.length - uncoveredCoreMust.length,
  };
}

/**
 * A compact text table (id, level, layers, number of naming tests) of every requirement that is
 * named by a test or is a core MUST, followed by the summary line.
 */
export function formatCoverageTable(report: CoverageReport): string {
  const rows = report.requirements.filter((c) => c.coreMust || c.titles.length > 0);
  const header = ['id', 'level', 'layers', 'tests'];
  const cells = rows.map((c) => [
    c.id,
    c.level,
    c.layers.join(','),
    c.titles.length === 0 && c.coreMust ? '0  <- core MUST, unnamed' : String(c.titles.length),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    summaryLine(report),
  ].join('\n');
}

export function summaryLine(report: CoverageReport): string {
  return `coverage: ${report.coreMustNamed}/${report.coreMustTotal} core MUST rules named by a test`;
}
