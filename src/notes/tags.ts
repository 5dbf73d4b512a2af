// Renaming a tag everywhere (NOTES-TAG-01): every note of the owner carrying the tag gets the new
// one instead, in one transition, each change kept as a version like any other (NOTES-VER-01).
import type { Seconds } from '../core/types.ts';
import { versionsToEvict } from './budget.ts';
import { checkTags, normalizeTag, problem } from './fields.ts';
import type { NoteLimits } from './fields.ts';
import { ownedNotes } from './queries.ts';
import { NotesTransaction } from './transaction.ts';
import { NOTE_LIMITS, NOTE_RETENTION } from './types.ts';
import type { Author, NoteRecord, NoteRetention, NoteVersionRecord, NotesResult, NotesState } from './types.ts';
import { versionOf, versionsPastRetention } from './versions.ts';

export interface RenameTagInput {
  ownerId: string;
  from: string;
  to: string;
  now: Seconds;
  by?: Author;
}

export type RenameTagResult<S extends NotesState> = NotesResult<S, { kind: 'tag_renamed'; from: string; to: string; notes: number }>;

export function renameTag<S extends NotesState>(state: S, input: RenameTagInput, limits: NoteLimits = NOTE_LIMITS, retention: NoteRetention = NOTE_RETENTION): RenameTagResult<S> {
  const from = normalizeTag(input.from);
  const checked = checkTags([input.to], limits);
  if ('kind' in checked) return { state, changes: [], outcome: checked };
  const to = checked.value[0]!;
  const tagged = ownedNotes(state, input.ownerId).filter((note) => note.tags.includes(from));
  if (tagged.length === 0) return { state, changes: [], outcome: problem('not_found', `none of your notes carries the tag ${JSON.stringify(from)}`) };
  if (to === from) return { state, changes: [], outcome: { kind: 'tag_renamed', from, to, notes: 0 } };
  const renamed: NoteRecord[] = [];
  for (const note of tagged) {
    const tags = checkTags(note.tags.map((tag) => (tag === from ? to : tag)), limits);
    if ('kind' in tags) return { state, changes: [], outcome: tags };
    renamed.push({ ...note, tags: tags.value, updatedAt: input.now, ...(input.by === undefined ? {} : { changedBy: input.by }) });
  }
  const tx = new NotesTransaction(state);
  const adding: NoteVersionRecord[] = [];
  const dropped = new Set<string>();
  for (const [i, note] of renamed.entries()) {
    tx.put(note);
    if (retention.versionsPerNote === 0) continue;
    adding.push(versionOf(state, tagged[i]!, input.now));
    for (const old of versionsPastRetention(state, note.noteId, 1, input.now, retention)) dropped.add(old.versionId);
  }
  // Tags are a few bytes: the new versions are what may need room (NOTES-VER-04).
  const keptDelta = renamed.length * (Buffer.byteLength(to) - Buffer.byteLength(from));
  const evicted = new Set(versionsToEvict(state, input.ownerId, keptDelta, adding, dropped, limits));
  for (const version of adding) if (!evicted.has(version)) tx.putVersion(version);
  for (const versionId of dropped) tx.deleteVersion(versionId);
  for (const version of evicted) if (!adding.includes(version)) tx.deleteVersion(version.versionId);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'tag_renamed', from, to, notes: renamed.length } };
}
