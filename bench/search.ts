// Search at size (issue 17, NOTES-SEARCH-01): 10,000 notes of realistic size for one person, then
// query time (p50, p99) for kinds of query people type, the index's memory, the start-up time with
// the index built (the snapshot parsed, the index built by the first search), and the cost of a
// write with the index kept in step. In process, on the pure notes domain: no HTTP in the figures.
//
// Run alone with `npm run bench:search`; `npm run bench` runs it too (BENCH_SCENARIOS=search).
// Settings: BENCH_SEARCH_NOTES (10000), BENCH_SEARCH_QUERIES (2000).
import { createNote, emptyNotesState, searchNotes, updateNote } from '../src/notes/index.ts';
import type { NotesState } from '../src/notes/index.ts';
import { owned } from '../src/records/index.ts';
import { figure } from './stats.ts';

export interface SearchFigures {
  notes: number;
  averageNoteBytes: number;
  distinctWords: number;
  queries: { kind: string; count: number; p50Ms: number; p99Ms: number; averageHits: number }[];
  allQueries: { p50Ms: number; p99Ms: number };
  indexMemoryMb: number | undefined;
  snapshotMb: number;
  startupMs: { parseSnapshot: number; buildIndex: number; total: number };
  writeMs: { p50: number; p99: number };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run indexes the same notes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'pe', 'da', 'gri', 'tor', 'an', 'el', 'is', 'ou', 'ber', 'cha', 'zen', 'qua', 'pli', 'mon', 'ster', 'ing', 'ed', 'ly'];

/** A vocabulary of made-up words, each two to four syllables; drawn by a Zipf law like real text. */
function vocabulary(size: number, next: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

function zipf(words: readonly string[], next: () => number): () => string {
  // Inverse transform over ranks 1..n with exponent 1: rank ≈ n^u.
  return () => words[Math.min(words.length - 1, Math.floor(Math.pow(words.length, next())) - 1)]!;
}

/** A note like people keep: a few paragraphs, a list, a heading; 200 to ~6,000 characters (median about 1,200). */
function noteText(word: () => string, next: () => number): { title: string; body: string; tags: string[] } {
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(next() * 12) }, word);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}.`;
  };
  const target = Math.round(200 * Math.exp(next() * 3.4)); // 200 … 6,000, skewed short
  const parts: string[] = [];
  let size = 0;
  while (size < target) {
    const roll = next();
    const part = roll < 0.15 ? `## ${word()} ${word()}` : roll < 0.3 ? Array.from({ length: 3 }, () => `- [ ] ${word()} ${word()} ${word()}`).join('\n') : Array.from({ length: 2 + Math.floor(next() * 4) }, sentence).join(' ');
    parts.push(part);
    size += part.length + 2;
  }
  const title = Array.from({ length: 2 + Math.floor(next() * 4) }, word).join(' ');
  const tags = Array.from({ length: Math.floor(next() * 4) }, () => `tag${Math.floor(next() * 50)}`);
  return { title: title.charAt(0).toUpperCase() + title.slice(1), body: parts.join('\n\n'), tags };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function heapMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/** A typo a person makes: one letter dropped, doubled or replaced. */
function typo(word: string, next: () => number): string {
  const at = 1 + Math.floor(next() * (word.length - 2));
  const roll = next();
  if (roll < 0.33) return word.slice(0, at) + word.slice(at + 1);
  if (roll < 0.66) return word.slice(0, at) + word[at] + word.slice(at);
  return `${word.slice(0, at)}${word[at] === 'e' ? 'a' : 'e'}${word.slice(at + 1)}`;
}

export function measureSearch({ notes: count = 10_000, queries: queryCount = 2_000, log = console.log } = {}): SearchFigures {
  const next = random(17);
  const words = vocabulary(30_000, next);
  const word = zipf(words, next);
  const ownerId = 'owner';
  const limits = { titleLength: 200, bodyLength: 100_000, tags: 20, tagLength: 40, notesPerUser: count + 1, bytesPerUser: 10 * 1024 * 1024 * 1024 };

  log(`search: writing ${count} notes`);
  let state: NotesState = owned(emptyNotesState());
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const text = noteText(word, next);
    bytes += Buffer.byteLength(text.body);
    state = owned(createNote(state, { noteId: `note-${i}`, publicId: `public-${i}`, ownerId, ...text, now: 1_000_000 + i }, limits).state);
  }

  // Start-up: the snapshot as the store reads it, then the index built by the first search.
  const snapshot = JSON.stringify(state);
  const before = heapMb();
  let started = performance.now();
  const loaded = owned(JSON.parse(snapshot) as NotesState);
  const parseSnapshot = performance.now() - started;
  const afterParse = heapMb();
  started = performance.now();
  searchNotes(loaded, ownerId, 'warm');
  const buildIndex = performance.now() - started;
  const afterIndex = heapMb();
  const indexMemoryMb = afterIndex !== undefined && afterParse !== undefined ? afterIndex - afterParse : undefined;
  void before;
  state = loaded;

  const common = () => words[Math.floor(next() * 50)]!;
  const middling = () => words[50 + Math.floor(next() * 2_000)]!;
  const rare = () => words[5_000 + Math.floor(next() * 20_000)]!;
  const kinds: { kind: string; make: () => string }[] = [
    { kind: 'one common word', make: common },
    { kind: 'one rare word', make: rare },
    { kind: 'two words', make: () => `${middling()} ${middling()}` },
    { kind: 'three words, common', make: () => `${common()} ${common()} ${middling()}` },
    { kind: 'prefix (3 letters)', make: () => middling().slice(0, 3) },
    { kind: 'prefix (5 letters)', make: () => middling().slice(0, 5) },
    { kind: 'a typo', make: () => typo(middling(), next) },
    { kind: 'no match', make: () => 'zzyzxqwv' },
  ];
  const perKind = Math.max(10, Math.floor(queryCount / kinds.length));
  log(`search: ${perKind * kinds.length} queries over ${count} notes (${figure(bytes / count)} bytes of body on average)`);
  for (let i = 0; i < 200; i++) searchNotes(state, ownerId, kinds[i % kinds.length]!.make()); // warm-up
  const all: number[] = [];
  const figures = kinds.map(({ kind, make }) => {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < perKind; i++) {
      const query = make();
      const t0 = performance.now();
      hits += searchNotes(state, ownerId, query).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    return { kind, count: perKind, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), averageHits: hits / perKind };
  });
  all.sort((a, b) => a - b);

  // A write keeps the index in step: an update replaces a note's postings.
  const writes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const text = noteText(word, next);
    const t0 = performance.now();
    state = owned(updateNote(state, { noteId: `note-${i}`, ownerId, body: text.body, now: 2_000_000 + i }, limits, { versionsPerNote: 0, versionDays: 1, trashDays: 1 }).state);
    writes.push(performance.now() - t0);
  }
  writes.sort((a, b) => a - b);

  const distinctWords = new Set(Object.values(state.notes).flatMap((note) => note.body.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])).size;
  return {
    notes: count,
    averageNoteBytes: Math.round(bytes / count),
    distinctWords,
    queries: figures,
    allQueries: { p50Ms: percentile(all, 50), p99Ms: percentile(all, 99) },
    indexMemoryMb,
    snapshotMb: Buffer.byteLength(snapshot) / (1024 * 1024),
    startupMs: { parseSnapshot, buildIndex, total: parseSnapshot + buildIndex },
    writeMs: { p50: percentile(writes, 50), p99: percentile(writes, 99) },
  };
}

export function searchReport(f: SearchFigures): string {
  const ms = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(2));
  const lines = [
    `### Search (${f.notes.toLocaleString('en')} notes, ${f.averageNoteBytes.toLocaleString('en')} bytes of body on average, ${f.distinctWords.toLocaleString('en')} distinct words)`,
    '',
    '| query | p50 ms | p99 ms | hits (avg, max 20) |',
    '| --- | ---: | ---: | ---: |',
    ...f.queries.map((q) => `| ${q.kind} | ${ms(q.p50Ms)} | ${ms(q.p99Ms)} | ${q.averageHits.toFixed(1)} |`),
    `| **all** | **${ms(f.allQueries.p50Ms)}** | **${ms(f.allQueries.p99Ms)}** | |`,
    '',
    `- index memory: ${f.indexMemoryMb === undefined ? 'not measured (run with --expose-gc)' : `${f.indexMemoryMb.toFixed(1)} MB`} (snapshot ${f.snapshotMb.toFixed(1)} MB)`,
    `- start-up with the index built: ${f.startupMs.total.toFixed(0)} ms (snapshot parsed ${f.startupMs.parseSnapshot.toFixed(0)} ms, index built ${f.startupMs.buildIndex.toFixed(0)} ms)`,
    `- a note update with the index kept in step: p50 ${ms(f.writeMs.p50)} ms, p99 ${ms(f.writeMs.p99)} ms`,
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const figures = measureSearch({ notes: number('BENCH_SEARCH_NOTES', 10_000), queries: number('BENCH_SEARCH_QUERIES', 2_000) });
  console.log(`\n${searchReport(figures)}`);
}
