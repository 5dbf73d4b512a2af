// Notes: pure transitions and queries over the notes collection, owned one user per note.
export type * from './types.ts';
export { NOTE_LIMITS, emptyNotesState } from './types.ts';
export { checkBody, checkPublic, checkTags, checkTitle, normalizeTag } from './fields.ts';
export type { Checked, NoteLimits, NoteProblem } from './fields.ts';
export { createNote, updateNote, deleteNote } from './transitions.ts';
export type { CreateNoteInput, UpdateNoteInput, DeleteNoteInput, CreateNoteResult, UpdateNoteResult, DeleteNoteResult } from './transitions.ts';
export { getNote, listNotes, findPublicNote, allTags, countNotes, newestFirst } from './queries.ts';
export type { ListNotesOptions, NotesPage } from './queries.ts';
export { searchNotes, scoreNote } from './search.ts';
export type { SearchHit, SearchOptions } from './search.ts';
export { SNIPPET_LENGTH, snippetAround } from './snippet.ts';
export { parseQuery, tokenize } from './words.ts';
export type { Query } from './words.ts';
