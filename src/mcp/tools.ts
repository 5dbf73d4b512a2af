// The MCP tools, defined once: schemas, annotations, the scopes each needs (auth.md, "Tool
// scopes"), and what each does. A tool only ever touches the notes of the user whose token called
// it (the token's `sub`); writes go through the commit queue and are durable before the answer.
import { readFileSync } from 'node:fs';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { Services } from '../app/services.ts';
import { createNote, deleteNote, getNote, listNotes, searchNotes, updateNote } from '../notes/index.ts';
import type { NoteRecord } from '../notes/index.ts';
import { NOTES_READ, NOTES_WRITE } from '../core/scopes.ts';
import type { Principal } from './gate.ts';
import { QUERY_LIMITS } from '../notes/words.ts';

export const SERVER_NAME = 'agent-notes';
export const SERVER_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ToolContext {
  services: Services;
  principal: Principal;
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
    'Searches your notes by words in their title, tags and body (every word must appear; the last may be a prefix). ' +
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
  description: 'Returns one of your notes in full: title, Markdown text, tags, dates and whether it is public.',
  input: z.object({ id: noteId }),
  output: noteView,
  annotations: READ_ONLY,
  scopes: [NOTES_READ],
  run: async ({ id }, { services, principal }) => {
    const note = getNote(services.queue.state, ownerOf(principal), id);
    return note ? ok(viewOf(services, note)) : fail(`no note with id ${JSON.stringify(id)}; use search or list_notes to find its id`);
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
  run: async (args, { services, principal }) => {
    const input = {
      noteId: services.fresh(),
      publicId: services.fresh(),
      ownerId: ownerOf(principal),
      title: args.title,
      body: args.body ?? '',
      tags: args.tags ?? [],
      ...(args.public !== undefined && { public: args.public }),
      now: services.now(),
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
  run: async ({ id, title, body, tags: newTags, public: isPublic }, { services, principal }) => {
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
    };
    const outcome = await services.queue.apply((state) => updateNote(state, input, services.config.noteLimits));
    return outcome.kind === 'error' ? fail(outcome.message) : ok(viewOf(services, outcome.note));
  },
});

export const deleteNoteTool = defineTool({
  name: 'delete_note',
  title: 'Delete a note',
  description: 'Deletes one of your notes for good, including its public page.',
  input: z.object({ id: noteId }),
  output: z.object({ id: z.string(), deleted: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  scopes: [NOTES_WRITE],
  run: async ({ id }, { services, principal }) => {
    const ownerId = ownerOf(principal);
    const outcome = await services.queue.apply((state) => deleteNote(state, { noteId: id, ownerId }));
    return outcome.kind === 'error' ? fail(outcome.message) : ok({ id: outcome.noteId, deleted: true as const });
  },
});

export const NOTES_TOOLS: readonly NotesTool[] = [aboutTool, searchTool, fetchTool, listNotesTool, createNoteTool, updateNoteTool, deleteNoteTool];

/** The scopes a `tools/call` of `name` needs; none for an unknown tool (the SDK refuses it). */
export function scopesFor(name: unknown, tools: readonly NotesTool[] = NOTES_TOOLS): readonly string[] {
  return tools.find((tool) => tool.name === name)?.scopes ?? [];
}
