// Notes leaving and arriving (NOTES-IO-*): a zip of Markdown files with YAML front matter (title,
// tags, created, updated, public), and the same read back, from a zip or a folder of plain
// Markdown such as an Obsidian vault (front-matter tags and `#tags` read, `[[links]]` kept as
// written). Reading is defensive, file by file: a path with `..`, a file over the note size, a
// file that is not UTF-8, or an archive that would inflate past its bounds is refused with the
// reason, never half-read.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { parseDocument, stringify } from 'yaml';
import { NOTE_LIMITS } from '../notes/index.ts';
import type { ImportedNote, NoteLimits, NoteRecord, Refused } from '../notes/index.ts';

/** What one archive may hold, besides each note's own limits. */
export interface ArchiveLimits {
  files: number;
  /** Bytes of one file, front matter included. */
  fileBytes: number;
  /** Bytes of every file together once inflated. */
  totalBytes: number;
}

export function archiveLimits(limits: NoteLimits = NOTE_LIMITS): ArchiveLimits {
  // A body of bodyLength characters is at most 4 bytes each, plus room for the front matter.
  return { files: limits.notesPerUser, fileBytes: limits.bodyLength * 4 + 16 * 1024, totalBytes: limits.bytesPerUser * 2 };
}

// ------------------------------------------------------------------------------- export

/** A file name from a title: letters, digits, spaces and a few signs kept; made unique by the caller. */
function fileStem(title: string): string {
  const stem = title.normalize('NFC').replace(/[^\p{L}\p{N} ._-]+/gu, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').slice(0, 80).trim();
  return stem === '' ? 'note' : stem;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** NOTES-IO-01: every note as `<title>.md`, front matter first, in one zip. */
export function exportArchive(notes: readonly NoteRecord[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const taken = new Set<string>();
  for (const note of [...notes].sort((a, b) => a.createdAt - b.createdAt || (a.noteId < b.noteId ? -1 : 1))) {
    const stem = fileStem(note.title);
    let name = `${stem}.md`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem} (${n}).md`;
    taken.add(name.toLowerCase());
    const front = stringify({ title: note.title, tags: [...note.tags], created: iso(note.createdAt), updated: iso(note.updatedAt), public: note.public });
    files[name] = strToU8(`---\n${front}---\n${note.body}`);
  }
  return zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

// ------------------------------------------------------------------------------- import

export interface ReadArchive {
  notes: ImportedNote[];
  refused: Refused[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
/** Obsidian's `#tag` (nested `#a/b` becomes `a:b`), not inside a word or a heading mark. */
const HASHTAG = /(?<=^|[\s(])#([\p{L}\p{N}_][\p{L}\p{N}_/-]*)/gu;

function seconds(value: unknown): number | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  const time = date?.getTime();
  return time === undefined || Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

function tagList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((tag) => tag !== '');
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === 'string');
  return [];
}

/** One Markdown file as a note, or the reason it cannot be one. */
export function noteFromMarkdown(path: string, bytes: Uint8Array, limits: ArchiveLimits): ImportedNote | Refused {
  if (bytes.length > limits.fileBytes) return { source: path, reason: `the file is ${bytes.length} bytes, over the ${limits.fileBytes} a note may take` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { source: path, reason: 'the file is not UTF-8 text' };
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const stem = path.split('/').pop()!.replace(/\.(md|markdown)$/i, '');
  let meta: Record<string, unknown> = {};
  const front = FRONT_MATTER.exec(text);
  if (front) {
    const document = parseDocument(front[1]!);
    if (document.errors.length > 0) return { source: path, reason: `the front matter is not valid YAML (${document.errors[0]!.message.split('\n')[0]})` };
    const value = document.toJS({ maxAliasCount: 10 }) as unknown;
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) return { source: path, reason: 'the front matter is not a list of fields' };
    meta = (value ?? {}) as Record<string, unknown>;
    text = text.slice(front[0].length);
  }
  // Front-matter tags are checked like typed ones (a bad one refuses the note, saying which); a
  // `#word` in the text that could not be a tag here (too long, or past the tag count) stays text only.
  const hashtags = [...text.matchAll(HASHTAG)].map((match) => match[1]!.replaceAll('/', ':')).filter((tag) => [...tag].length <= NOTE_LIMITS.tagLength);
  const declared = tagList(meta.tags ?? meta.tag);
  const tags = [...declared, ...hashtags.slice(0, Math.max(0, NOTE_LIMITS.tags - declared.length))];
  const createdAt = seconds(meta.created);
  const updatedAt = seconds(meta.updated ?? meta.modified);
  return {
    source: path,
    title: typeof meta.title === 'string' && meta.title.trim() !== '' ? meta.title : stem,
    body: text,
    tags: [...new Set(tags)],
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    ...(meta.public === true ? { public: true } : {}),
  };
}

/** Paths inside an archive or folder that could escape it, or name something other than a note. */
function pathProblem(path: string): string | undefined {
  if (path.includes('\\') || path.startsWith('/') || /^[a-z]:/i.test(path)) return 'the path is absolute or uses backslashes';
  if (path.split('/').some((part) => part === '..')) return 'the path climbs out of the archive with ..';
  return undefined;
}

const isNoteFile = (path: string) => /\.(md|markdown)$/i.test(path);
/** Obsidian's settings, version control and the like: skipped without a word. */
const isHidden = (path: string) => path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');

function collect(entries: Iterable<[string, () => Uint8Array | Refused]>, limits: ArchiveLimits): ReadArchive {
  const notes: ImportedNote[] = [];
  const refused: Refused[] = [];
  for (const [path, read] of entries) {
    const problem = pathProblem(path);
    if (problem) refused.push({ source: path, reason: problem });
    else if (isHidden(path) || path.endsWith('/')) continue;
    else if (!isNoteFile(path)) refused.push({ source: path, reason: 'not a Markdown file (.md); skipped' });
    else {
      const bytes = read();
      const note = bytes instanceof Uint8Array ? noteFromMarkdown(path, bytes, limits) : bytes;
      if ('reason' in note) refused.push(note);
      else notes.push(note);
    }
  }
  return { notes, refused };
}

/** NOTES-IO-02/03: a zip read entry by entry within `limits`; a damaged zip is one refusal. */
export function readZipArchive(bytes: Uint8Array, limits: ArchiveLimits = archiveLimits()): ReadArchive {
  const refused: Refused[] = [];
  let inflated = 0;
  let files = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      // Sizes as the archive declares them decide what is inflated; fflate never writes past them.
      filter: (file) => {
        const problem = pathProblem(file.name) ?? (isHidden(file.name) || file.name.endsWith('/') ? '' : isNoteFile(file.name) ? undefined : 'not a Markdown file (.md); skipped');
        if (problem !== undefined) {
          if (problem !== '') refused.push({ source: file.name, reason: problem }); // hidden files and folders go without a word
          return false;
        }
        if (file.originalSize > limits.fileBytes) {
          refused.push({ source: file.name, reason: `the file would be ${file.originalSize} bytes, over the ${limits.fileBytes} a note may take` });
          return false;
        }
        if (++files > limits.files) {
          refused.push({ source: file.name, reason: `the archive holds more than ${limits.files} notes; the rest were not read` });
          return false;
        }
        inflated += file.originalSize;
        if (inflated > limits.totalBytes || file.originalSize > 200 * Math.max(file.size, 1)) {
          refused.push({ source: file.name, reason: 'the file inflates far beyond its compressed size or the archive\'s bounds (a zip bomb?); not read' });
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    return { notes: [], refused: [{ source: '(the archive)', reason: `not a zip archive that can be read (${(error as Error).message})` }] };
  }
  const read = collect(Object.entries(entries).map(([path, data]): [string, () => Uint8Array] => [path, () => data]), limits);
  return { notes: read.notes, refused: [...refused, ...read.refused] };
}

/** A folder of Markdown (an Obsidian vault) read the same way; links that leave the folder are not followed. */
export async function readFolderArchive(root: string, limits: ArchiveLimits = archiveLimits()): Promise<ReadArchive> {
  const found: [string, () => Uint8Array | Refused][] = [];
  const contents = new Map<string, Uint8Array | Refused>();
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isNoteFile(path)) {
        const size = (await stat(full)).size;
        contents.set(path, size > limits.fileBytes ? { source: path, reason: `the file is ${size} bytes, over the ${limits.fileBytes} a note may take` } : await readFile(full));
        found.push([path, () => contents.get(path)!]);
      } else if (entry.isFile()) found.push([path, () => new Uint8Array()]);
      if (contents.size > limits.files) throw new Error(`the folder holds more than ${limits.files} notes`);
    }
  }
  await walk(root);
  return collect(found, limits);
}
