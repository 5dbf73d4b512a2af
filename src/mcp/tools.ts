// The MCP tools, defined once: schemas, annotations, the scopes each needs (auth.md, "Tool
// scopes"), and what each does. A tool only ever touches the notes of the user whose token called
// it (the token's `sub`); writes go through the commit queue and are durable before the answer.
import { readFileSync } from 'node:fs';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { Services } from '../app/services.ts';
import { allTags, backlinks, createNote, deleteNote, getNote, getNoteVersion, listNotes, noteLinks, noteVersions, restoreNoteVersion, searchNotes, updateNote } from '../notes/index.ts';
import type { Author, NoteRecord, NoteVersionRecord } from '../notes/index.ts';
import { findUserById } from '../accounts/queries.ts';
import { findClient } from '../core/queries.ts';
import { NOTES_READ, NOTES_WRITE } from '../core/scopes.ts';
import type { Principal } from './gate.ts';
import { QUERY_LIMITS } from '../notes/words.ts';

export const SERVER_NAME = 'agent-notes';
export const SERVER_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ToolContext {
  services: Services;
  principal: Principal;
  /** The client the token was issued to, recorded as the author of what the tool writes. */
  clientId?: string;
}

/** What a tool's own code returns: its structured output, or a message saying what to fix. */
type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** A tool with its types erased, as the server registers and lists it. */
export interface NotesTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  /** CGPT-45: every scope a call needs; empty means anyone, signed in or not (`noauth`). */
  scopes: readonly string[];
  run: (args: unknown, context: ToolContext) => Promise<CallToolResult>;
}

interface ToolSpec<I extends z.ZodObject, O extends z.ZodObject> extends Omit<NotesTool, 'input' | 'output' | 'run'> {
  input: I;
  output: O;
  run: (args: z.output<I>, context: ToolContext) => Promise<Outcome<z.input<O>>>;
}

/** The result shape every tool answers with: structured content plus the same JSON as text. */
export function toolResult(outcome: Outcome<unknown>): CallToolResult {
  if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: outcome.message }] };
  return { content: [{ type: 'text', text: JSON.stringify(outcome.value) }], structuredContent: outcome.value as Record<string, unknown> };
}

function defineTool<I extends z.ZodObject, O extends z.ZodObject>(spec: ToolSpec<I, O>): NotesTool {
  // The SDK parses the arguments with `input` before `run` sees them.
  return { ...spec, run: async (args, context) => toolResult(await spec.run(args as z.output<I>, context)) };
}

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (message: string): Outcome<never> => ({ ok: false, message });

/** The user a notes tool acts for. The server registers notes tools as runnable only for users. */
function ownerOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new Error('sign in to agent-notes first');
  return principal.userId;
}

/** NOTES-VER-01: a tool's change is the connected app's, named as the app registered itself. */
function authorOf({ services, clientId }: ToolContext): Author | undefined {
  if (clientId === undefined) return undefined;
  const name = findClient(services.queue.state, services.config.core, clientId)?.clientName;
  return { kind: 'app', clientId, ...(name === undefined ? {} : { name }) };
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function noteUrl(services: Services, noteId: string): string {
  return `${services.config.publicUrl}/notes/${encodeURIComponent(noteId)}`;
}

// ------------------------------------------------------------------------------ shapes

const noteId = z.string().min(1).describe('The id of one of your notes, as returned by search, list_notes or create_note.');
const tags = z.array(z.string()).describe('Tags: letters, digits, "_", ":" or "-", without spaces; stored lowercase.');

const noteView = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string().describe('The note body (Markdown).'),
  url: z.string(),
  metadata: z.object({
    tags: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    public: z.boolean(),
    public_url: z.string().optional().describe('Read-only page anyone with the link can open, while the note is public.'),
    links: z
      .array(z.object({ title: z.string(), id: z.string().optional() }))
      .optional()
      .describe('fetch only: the notes this one names as [[title]], in order; id is absent when no note has that title.'),
    backlinks: z.array(z.object({ id: z.string(), title: z.string() })).optional().describe('fetch only: your notes that link to this one.'),
  }),
});

function viewOf(services: Services, note: NoteRecord): z.input<typeof noteView> {
  const metadata = {
    tags: [...note.tags],
    created_at: isoTime(note.createdAt),
    updated_at: isoTime(note.updatedAt),
    public: note.public,
    ...(note.public && { public_url: `${services.config.publicUrl}/p/${encodeURIComponent(note.publicId)}` }),
  };
  return { id: note.noteId, title: note.title, text: note.body, url: noteUrl(services, note.noteId), metadata };
}

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

// ------------------------------------------------------------------------------ tools

export const aboutTool = defineTool({
  name: 'about',
  title: 'About agent-notes',
  description: 'Tells what this server is, its version and the address to connect it to. Works without signing in (in mixed mode).',
  input: z.object({}),
  output: z.object({ name: z.string(), version: z.string(), mcp_url: z.string(), auth_mode: z.enum(['oauth', 'mixed']) }),
  annotations: READ_ONLY,
  scopes: [],
  run: async (_args, { services }) =>
    ok({ name: SERVER_NAME, version: SERVER_VERSION, mcp_url: services.config.core.resource, auth_mode: services.config.mcpAuthMode }),
});

export const searchTool = defineTool({
  name: 'search',
  title: 'Search notes',
  description:
    'Searches your notes by words in their title, tags and body (every word must appear; the last may be a prefix; ' +
    'a word of four letters or more also matches with one typo, counting half). ' +
    'Returns up to 20 matches, best first, as {id, title, url}; use fetch with an id to read a note.',
  input: z.object({ query: z.string().max(QUERY_LIMITS.length).describe(`Words to look for (at most ${QUERY_LIMITS.length} characters; the first ${QUERY_LIMITS.words} words count). An empty query returns your most recent notes.`) }),
  output: z.object({ results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })) }),
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ query }, { services, principal }) => {
    const hits = searchNotes(services.queue.state, ownerOf(principal), query, { limit: 20 });
    return ok({ results: hits.map(({ note }) => ({ id: note.noteId, title: note.title, url: noteUrl(services, note.noteId) })) });
  },
});

export const fetchTool = defineTool({
  name: 'fetch',
  title: 'Read a note',
  description:
    'Returns one of your notes in full: title, Markdown text, tags, dates, whether it is public, ' +
    'the notes it links to with [[title]] and the notes that link to it (fetch their ids to follow them).',
  input: z.object({ id: noteId }),
  output: noteView,
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ id }, { services, principal }) => {
    const state = services.queue.state;
    const note = getNote(state, ownerOf(principal), id);
    if (!note) return fail(`no note with id ${JSON.stringify(id)}; use search or list_notes to find its id`);
    const view = viewOf(services, note);
    // NOTES-LINK-01: links and backlinks, so an assistant can follow them.
    const links = noteLinks(state, note).map((link) => ({ title: link.title, ...(link.note === undefined ? {} : { id: link.note.noteId }) }));
    const linkedFrom = backlinks(state, note).map((other) => ({ id: other.noteId, title: other.title }));
    return ok({ ...view, metadata: { ...view.metadata, links, backlinks: linkedFrom } });
  },
});

export const listNotesTool = defineTool({
  name: 'list_notes',
  title: 'List notes',
  description: 'Lists your notes, most recently changed first, optionally only those with one tag. Pages with limit and offset.',
  input: z.object({
    tag: z.string().optional().describe('Only notes carrying this tag.'),
    limit: z.number().int().min(1).max(100).optional().describe('How many notes to return (1 to 100, default 50).'),
    offset: z.number().int().min(0).optional().describe('How many notes to skip (default 0).'),
  }),
  output: z.object({
    notes: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), tags: z.array(z.string()), updated_at: z.string(), public: z.boolean() })),
    total: z.number().int().describe('How many notes match, before limit and offset.'),
  }),
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ tag, limit, offset }, { services, principal }) => {
    const options = { ...(tag !== undefined && { tag }), ...(limit !== undefined && { limit }), ...(offset !== undefined && { offset }) };
    const page = listNotes(services.queue.state, ownerOf(principal), options);
    const notes = page.notes.map((note) => ({
      id: note.noteId,
      title: note.title,
      url: noteUrl(services, note.noteId),
      tags: [...note.tags],
      updated_at: isoTime(note.updatedAt),
      public: note.public,
    }));
    return ok({ notes, total: page.total });
  },
});

export const createNoteTool = defineTool({
  name: 'create_note',
  title: 'Create a note',
  description: 'Creates a note with a title, an optional Markdown body and tags. Notes are private unless public is true.',
  input: z.object({
    title: z.string().describe('1 to 200 characters.'),
    body: z.string().optional().describe('Markdown, up to 100,000 characters.'),
    tags: tags.optional(),
    public: z.boolean().optional().describe('Publish a read-only page for the note (default false).'),
  }),
  output: noteView,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  scopes: [NOTES_WRITE],
  run: async (args, context) => {
    const { services, principal } = context;
    const input = {
      noteId: services.fresh(),
      publicId: services.fresh(),
      ownerId: ownerOf(principal),
      title: args.title,
      body: args.body ?? '',
      tags: args.tags ?? [],
      ...(args.public !== undefined && { public: args.public }),
      now: services.now(),
      ...withAuthor(context),
    };
    const outcome = await services.queue.apply((state) => createNote(state, input, services.config.noteLimits));
    return outcome.kind === 'error' ? fail(outcome.message) : ok(viewOf(services, outcome.note));
  },
});

export const updateNoteTool = defineTool({
  name: 'update_note',
  title: 'Change a note',
  description: 'Changes the title, body, tags or public flag of one of your notes; fields left out stay as they are. Tags given replace all tags.',
  input: z.object({
    id: noteId,
    title: z.string().optional().describe('1 to 200 characters.'),
    body: z.string().optional().describe('Markdown; replaces the whole body.'),
    tags: tags.optional(),
    public: z.boolean().optional(),
  }),
  output: noteView,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [NOTES_WRITE],
  run: async ({ id, title, body, tags: newTags, public: isPublic }, context) => {
    const { services, principal } = context;
    if (title === undefined && body === undefined && newTags === undefined && isPublic === undefined) {
      return fail('nothing to change: give at least one of title, body, tags or public');
    }
    const input = {
      noteId: id,
      ownerId: ownerOf(principal),
      ...(title !== undefined && { title }),
      ...(body !== undefined && { body }),
      ...(newTags !== undefined && { tags: newTags }),
      ...(isPublic !== undefined && { public: isPublic }),
      // SEC-SHARE-01: sharing again means a new link (used only when a private note becomes public).
      ...(isPublic === true && { publicId: services.fresh() }),
      now: services.now(),
      ...withAuthor(context),
    };
    const outcome = await services.queue.apply((state) => updateNote(state, input, services.config.noteLimits, services.config.noteRetention));
    return outcome.kind === 'error' ? fail(outcome.message) : ok(viewOf(services, outcome.note));
  },
});

export const deleteNoteTool = defineTool({
  name: 'delete_note',
  title: 'Delete a note',
  description:
    'Moves one of your notes to the trash and closes its public page. Search, list_notes and fetch no longer show it; ' +
    'its owner can restore it from the trash in the web app for a while (30 days unless the server says otherwise).',
  input: z.object({ id: noteId }),
  output: z.object({ id: z.string(), deleted: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [NOTES_WRITE],
  run: async ({ id }, context) => {
    const { services, principal } = context;
    const ownerId = ownerOf(principal);
    const input = { noteId: id, ownerId, now: services.now(), ...withAuthor(context) };
    const outcome = await services.queue.apply((state) => deleteNote(state, input, services.config.noteLimits));
    return outcome.kind === 'error' ? fail(outcome.message) : ok({ id: outcome.noteId, deleted: true as const });
  },
});

export const listTagsTool = defineTool({
  name: 'list_tags',
  title: 'List tags',
  description: 'Lists the tags on your notes, each with how many notes carry it, in alphabetical order. Use list_notes with a tag to see those notes.',
  input: z.object({}),
  output: z.object({ tags: z.array(z.object({ tag: z.string(), count: z.number().int() })) }),
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async (_args, { services, principal }) => {
    const counts = allTags(services.queue.state, ownerOf(principal));
    return ok({ tags: Object.entries(counts).map(([tag, count]) => ({ tag, count })) });
  },
});

// ------------------------------------------------------------------------------ history

const author = z
  .object({
    kind: z.enum(['person', 'app', 'unknown']).describe('person: the owner in the web app; app: a connected app; unknown: written before versions were kept.'),
    name: z.string().optional().describe('The username, or the name the app registered with.'),
    client_id: z.string().optional(),
  })
  .describe('Who wrote this version.');

function authorView(services: Services, by: Author | undefined): z.input<typeof author> {
  if (by === undefined) return { kind: 'unknown' };
  if (by.kind === 'app') return { kind: 'app', client_id: by.clientId, ...(by.name === undefined ? {} : { name: by.name }) };
  const user = findUserById(services.queue.state, by.userId);
  return { kind: 'person', ...(user === undefined ? {} : { name: user.username }) };
}

function withAuthor(context: ToolContext): { by?: Author } {
  const by = authorOf(context);
  return by === undefined ? {} : { by };
}

const versionId = z.string().min(1).describe('A version id, as list_note_versions returns it.');

function versionSummary(services: Services, version: NoteVersionRecord) {
  return {
    version_id: version.versionId,
    title: version.title,
    saved_at: isoTime(version.savedAt),
    saved_by: authorView(services, version.savedBy),
    replaced_at: isoTime(version.replacedAt),
    characters: [...version.body].length,
  };
}

export const listNoteVersionsTool = defineTool({
  name: 'list_note_versions',
  title: 'List a note\'s versions',
  description:
    'Lists the earlier versions of one of your notes, newest first: what it held before each change, who wrote it (you in the web app, or which app) and when. ' +
    'Use fetch_note_version to read one, for example to say what a change replaced.',
  input: z.object({ id: noteId }),
  output: z.object({
    id: z.string(),
    title: z.string(),
    current: z.object({ updated_at: z.string(), changed_by: author }),
    versions: z.array(z.object({ version_id: z.string(), title: z.string(), saved_at: z.string(), saved_by: author, replaced_at: z.string(), characters: z.number().int() })),
  }),
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ id }, { services, principal }) => {
    const ownerId = ownerOf(principal);
    const note = getNote(services.queue.state, ownerId, id);
    if (!note) return fail(`no note with id ${JSON.stringify(id)}; use search or list_notes to find its id`);
    const versions = noteVersions(services.queue.state, ownerId, id).map((version) => versionSummary(services, version));
    return ok({ id, title: note.title, current: { updated_at: isoTime(note.updatedAt), changed_by: authorView(services, note.changedBy) }, versions });
  },
});

export const fetchNoteVersionTool = defineTool({
  name: 'fetch_note_version',
  title: 'Read a version of a note',
  description: 'Returns one earlier version of one of your notes in full: its title, Markdown text and tags, who wrote it and when.',
  input: z.object({ id: noteId, version_id: versionId }),
  output: z.object({
    id: z.string(),
    version_id: z.string(),
    title: z.string(),
    text: z.string(),
    tags: z.array(z.string()),
    saved_at: z.string(),
    saved_by: author,
    replaced_at: z.string(),
  }),
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ id, version_id }, { services, principal }) => {
    const version = getNoteVersion(services.queue.state, ownerOf(principal), id, version_id);
    if (!version) return fail(`no version ${JSON.stringify(version_id)} of note ${JSON.stringify(id)}; use list_note_versions to find one`);
    const { characters: _characters, ...summary } = versionSummary(services, version);
    return ok({ id, ...summary, text: version.body, tags: [...version.tags] });
  },
});

/** Listed only when the operator lets tools restore (NOTES_TOOLS_RESTORE=on, NOTES-VER-05). */
export const restoreNoteVersionTool = defineTool({
  name: 'restore_note_version',
  title: 'Restore a version of a note',
  description: 'Makes an earlier version the note\'s title, body and tags again, as a new change (what it replaces is kept as a version too).',
  input: z.object({ id: noteId, version_id: versionId }),
  output: noteView,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  scopes: [NOTES_WRITE],
  run: async ({ id, version_id }, context) => {
    const { services, principal } = context;
    const input = { noteId: id, ownerId: ownerOf(principal), versionId: version_id, now: services.now(), ...withAuthor(context) };
    const outcome = await services.queue.apply((state) => restoreNoteVersion(state, input, services.config.noteLimits, services.config.noteRetention));
    return outcome.kind === 'error' ? fail(outcome.message) : ok(viewOf(services, outcome.note));
  },
});

export const NOTES_TOOLS: readonly NotesTool[] = [aboutTool, searchTool, fetchTool, listNotesTool, createNoteTool, updateNoteTool, deleteNoteTool, listNoteVersionsTool, fetchNoteVersionTool, listTagsTool];

/** The tools a server lists: restoring from tools only when the operator enabled it (NOTES-VER-05). */
export function toolsFor(config: { toolsMayRestore: boolean }): readonly NotesTool[] {
  return config.toolsMayRestore ? [...NOTES_TOOLS, restoreNoteVersionTool] : NOTES_TOOLS;
}

/** The scopes a `tools/call` of `name` needs; none for an unknown tool (the SDK refuses it). */
export function scopesFor(name: unknown, tools: readonly NotesTool[] = NOTES_TOOLS): readonly string[] {
  return tools.find((tool) => tool.name === name)?.scopes ?? [];
}
