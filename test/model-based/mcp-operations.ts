// The operations of the `/mcp` model run: people connect apps (the real pages), time passes around
// the token lifetimes, apps refresh, revoke and get disconnected, and every app keeps calling the
// notes tools with what it holds (its live token, an expired or revoked one, one signed for
// another audience, garbage, or nothing). The access model (model/mcp.ts) judges every call; when
// a tool runs, the notes model (model/notes.ts) judges what it answered, across two people.
import fc from 'fast-check';
import { expect } from 'vitest';
import { access, Tokens, type Mode, type ToolName } from '../../model/mcp.ts';
import { NotesModel, type NoteArgs, type NoteAnswer } from '../../model/notes.ts';
import { LIFETIMES } from '../../model/lifetimes.ts';
import { noteViewOf, PEOPLE, type Called, type Connection, type Era, type McpSystem, type Person } from './mcp-system.ts';

export const START = 1_700_000_000;

/** What the run knows: the clock, both models, the apps connected and every token handed out. */
export class McpWorld {
  readonly clock = { now: START };
  readonly tokens = new Tokens();
  readonly notes = new NotesModel();
  readonly connections: Connection[] = [];
  /** Every access token an app was given (or the test made), in the order they appeared. */
  readonly held: string[] = [];
  readonly #expiries = new Map<string, number>();

  constructor(readonly mode: Mode) {}

  hold(token: string, exp: number): void {
    this.held.push(token);
    this.#expiries.set(token, exp);
  }

  expiryOf(token: string): number {
    return this.#expiries.get(token)!;
  }

  /**
   * A note id for `pick`: two times in three one of `ownerId`'s own notes when they have any, else
   * any id ever seen: someone else's note, a deleted one, or one that never existed.
   */
  noteId(pick: number, ownerId: string | undefined): string {
    const owned = this.notes.notes().filter((n) => n.ownerId === ownerId).map((n) => n.id);
    if (pick % 3 !== 0 && owned.length > 0) return owned[pick % owned.length]!;
    const ids = [...this.notes.notes().map((n) => n.id), ...this.notes.deletedIds(), 'no-such-note'];
    return ids[pick % ids.length]!;
  }
}

/** What was seen, for the coverage check: refusal reasons and answer kinds. */
export const seen = new Map<string, number>();
function count(what: string): void {
  seen.set(what, (seen.get(what) ?? 0) + 1);
}

type McpCommand = fc.AsyncCommand<McpWorld, McpSystem>;

const at = <T>(list: readonly T[], index: number): T => list[index % list.length]!;

class Connect implements McpCommand {
  constructor(readonly person: Person, readonly approved: string[]) {}
  check(world: Readonly<McpWorld>): boolean {
    return world.connections.length < 8;
  }
  async run(world: McpWorld, system: McpSystem): Promise<void> {
    const { connection, accessToken, issued } = await system.connect(this.person, this.approved);
    expect(issued.sub, 'tokens are for the person who approved').toBe(this.person);
    expect(issued.scope.split(' ').sort(), 'the token carries exactly the approved scopes').toEqual([...this.approved].sort());
    expect([issued.iat, issued.exp - issued.iat], 'issued now, for the access token lifetime').toEqual([world.clock.now, world.tokens.accessTokenTtl]);
    world.tokens.connected(accessToken, issued, world.clock.now);
    world.connections.push(connection);
    world.hold(accessToken, issued.exp);
  }
  toString(): string {
    return `Connect(${this.person}, ${this.approved.join('+')})`;
  }
}

class Refresh implements McpCommand {
  constructor(readonly which: number) {}
  check(world: Readonly<McpWorld>): boolean {
    return world.connections.length > 0;
  }
  async run(world: McpWorld, system: McpSystem): Promise<void> {
    const connection = at(world.connections, this.which);
    const expected = world.tokens.refreshable(connection.gid, world.clock.now);
    const answer = await system.refresh(connection);
    if (!('issued' in answer)) {
      expect({ status: answer.status, error: answer.error }, 'a refresh the rules refuse').toEqual({ status: 400, error: 'invalid_grant' });
      expect(expected, 'the refresh was refused though the grant is live').toBe(false);
      count('refresh refused');
      return;
    }
    expect(expected, 'a refresh of a dead grant was answered with tokens').toBe(true);
    expect(answer.issued.gid, 'a refresh stays in its grant').toBe(connection.gid);
    world.tokens.refreshed(answer.accessToken, answer.issued, world.clock.now);
    connection.refreshToken = answer.issued.refreshToken;
    world.hold(answer.accessToken, answer.issued.exp);
    count('refreshed');
  }
  toString(): string {
    return `Refresh(app ${this.which})`;
  }
}

/**
 * Time passes: to one second before, at or after a held token's `exp` or the end of its clock
 * tolerance (`exp` plus the documented tolerance, none today), or by a fixed step.
 */
class Later implements McpCommand {
  constructor(readonly token: number, readonly edge: 'exp' | 'tolerance', readonly offset: -1 | 0 | 1, readonly step: number) {}
  check(): boolean {
    return true;
  }
  async run(world: McpWorld): Promise<void> {
    const edge = (token: string) => world.expiryOf(token) + (this.edge === 'tolerance' ? world.tokens.accessTokenTolerance : 0);
    const target = world.held.length > 0 && this.step === 0 ? edge(at(world.held, this.token)) + this.offset : world.clock.now + this.step;
    world.clock.now = Math.max(world.clock.now, target);
  }
  toString(): string {
    return this.step === 0 ? `Later(${this.edge} of token ${this.token} ${this.offset >= 0 ? '+' : ''}${this.offset})` : `Later(${this.step} s)`;
  }
}

/** POST /oauth/revoke by one app of another's (or its own) refresh token or access token. */
class Revoke implements McpCommand {
  constructor(readonly by: number, readonly what: number, readonly kind: 'access_token' | 'refresh_token') {}
  check(world: Readonly<McpWorld>): boolean {
    return world.connections.length > 0;
  }
  async run(world: McpWorld, system: McpSystem): Promise<void> {
    const by = at(world.connections, this.by);
    const token = this.kind === 'refresh_token' ? at(world.connections, this.what).refreshToken : at(world.held, this.what);
    if (token === undefined) return;
    expect(await system.revoke(by, token, this.kind), 'revocation answers 200 whatever it was given').toBe(200);
    world.tokens.revoke(token, by.client.clientId, world.clock.now);
  }
  toString(): string {
    return `Revoke(by app ${this.by}, ${this.kind} ${this.what})`;
  }
}

/** A person disconnects an app on the connected-apps page: their own, or someone else's. */
class Disconnect implements McpCommand {
  constructor(readonly person: Person, readonly which: number) {}
  check(world: Readonly<McpWorld>): boolean {
    return world.connections.length > 0;
  }
  async run(world: McpWorld, system: McpSystem): Promise<void> {
    const { gid } = at(world.connections, this.which);
    const expected = world.tokens.disconnect(gid, this.person);
    expect(await system.disconnect(this.person, gid), 'disconnecting on the apps page').toBe(expected);
    count(`disconnect ${expected}`);
  }
  toString(): string {
    return `Disconnect(${this.person}, app ${this.which})`;
  }
}

export type Holder = { kind: 'none' } | { kind: 'garbage' } | { kind: 'held'; index: number } | { kind: 'foreign'; index: number };

/** An app calls a tool with what it holds. */
class Call implements McpCommand {
  constructor(readonly holder: Holder, readonly tool: ToolName, readonly args: NoteArgs & { idPick?: number }, readonly era: Era) {}
  check(world: Readonly<McpWorld>): boolean {
    return this.holder.kind === 'none' || this.holder.kind === 'garbage' || world.held.length > 0;
  }
  async run(world: McpWorld, system: McpSystem): Promise<void> {
    const token = await this.#token(world, system);
    const caller = world.tokens.caller(token, world.clock.now);
    const { idPick, ...args } = this.args;
    if (idPick !== undefined) args.id = world.noteId(idPick, caller.kind === 'valid' ? caller.userId : undefined);
    count(caller.kind === 'refused' ? `refused: ${caller.why}` : `caller ${caller.kind}`);
    if (token !== undefined && world.held.includes(token)) {
      const past = world.clock.now - world.expiryOf(token);
      if (past >= 0 && past <= world.tokens.accessTokenTolerance) count(`called ${past === world.tokens.accessTokenTolerance ? 'at the end of' : 'within'} the tolerance`);
    }
    const expected = access(world.mode, this.tool, caller);
    const called = await system.call(this.tool, args, token, this.era);
    if (expected.kind !== 'runs') {
      expect(called.access, `${this.tool} for a ${caller.kind} caller${caller.kind === 'refused' ? ` (${caller.why})` : ''}`).toEqual(expected);
      count(`${expected.kind} ${expected.kind === 'http' ? expected.status : expected.error}`);
      return;
    }
    expect(called.access.kind === 'runs' || called.access.kind === 'tool_error', `${this.tool} should have run, answered ${JSON.stringify(called.access)}`).toBe(true);
    if (this.tool === 'about') {
      expect(called.access.kind).toBe('runs');
      expect('result' in called && called.result.auth_mode).toBe(world.mode);
      return;
    }
    const owner = expected.userId!;
    const newId = this.tool === 'create_note' && 'result' in called ? String(called.result.id) : undefined;
    const predicted = world.notes.call(owner, this.tool, args, newId);
    judgeNotes(this.tool, predicted, called);
    count(`${this.tool} ${predicted.kind}`);
  }
  async #token(world: McpWorld, system: McpSystem): Promise<string | undefined> {
    const holder = this.holder;
    if (holder.kind === 'none') return undefined;
    if (holder.kind === 'garbage') return 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.bm90LWEtc2lnbmF0dXJl';
    const held = at(world.held, holder.index);
    if (holder.kind === 'held') return held;
    const foreign = await system.foreignToken(held);
    world.tokens.foreign(foreign, held);
    return foreign;
  }
  toString(): string {
    return `Call(${this.tool} ${JSON.stringify(this.args)}, ${this.holder.kind}${'index' in this.holder ? ` ${this.holder.index}` : ''}, ${this.era})`;
  }
}

/** What a notes tool answered against what the notes model says it must. */
function judgeNotes(tool: ToolName, predicted: NoteAnswer, called: Called): void {
  if (predicted.kind === 'tool_error') {
    expect(called.access, `${tool} should have been a tool error`).toEqual({ kind: 'tool_error' });
    return;
  }
  expect(called.access.kind, `${tool} should have run`).toBe('runs');
  const result = (called as { result: Record<string, unknown> }).result;
  if (predicted.tool === 'delete_note') expect(result).toEqual({ id: predicted.id, deleted: true });
  else if (predicted.tool === 'list_tags') expect(result).toEqual({ tags: predicted.tags.map(([tag, count]) => ({ tag, count })) });
  else if (predicted.tool === 'list_note_versions') {
    const versions = result.versions as { title: string }[];
    expect({ title: result.title, titles: versions.map((version) => version.title) }, 'list_note_versions: every earlier version, newest first').toEqual({ title: predicted.title, titles: predicted.versions.map((version) => version.title) });
  }
  else if (predicted.tool === 'search' || predicted.tool === 'list_notes') {
    const rows = (predicted.tool === 'search' ? result.results : result.notes) as { id: string }[];
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size, `${tool} lists each note once`).toBe(ids.length);
    expect(ids.filter((id) => !predicted.from.includes(id)), `${tool} shows only the caller's matching notes`).toEqual([]);
    expect(ids.length, `${tool} shows as many as there are, up to its limit`).toBe(predicted.shown);
    if (predicted.total !== undefined) expect(result.total).toBe(predicted.total);
  } else if ('note' in predicted) expect(noteViewOf(result)).toEqual(predicted.note);
}

// ----------------------------------------------------------------------------- generators

const person = fc.constantFrom(...PEOPLE);
const index = fc.nat({ max: 20 });
const era = fc.constantFrom<Era>('legacy', 'modern');
// With or without offline_access, which is granted like any scope but opens no tool (EC-13).
const scopes = fc.constantFrom<string[]>(['notes:read'], ['notes:write'], ['notes:read', 'notes:write'], ['notes:read', 'offline_access'], ['notes:read', 'notes:write', 'offline_access']);
const title = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('Alpha', 'beta notes', 'Gamma and alpha') },
  { weight: 1, arbitrary: fc.constantFrom('', 'T'.repeat(201)) },
);
const body = fc.option(fc.constantFrom('alpha gamma', 'beta', 'Delta: the alphabet', ''), { nil: undefined });
const tags = fc.option(
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom<string[]>([], ['work'], ['Work', 'home'], ['x:y']) }, { weight: 1, arbitrary: fc.constant(['bad tag']) }),
  { nil: undefined },
);
const isPublic = fc.option(fc.boolean(), { nil: undefined });
const query = fc.constantFrom('', 'alpha', 'alp', 'Alpha beta', 'gamma', 'zzz', 'be', 'work');
const holder: fc.Arbitrary<Holder> = fc.oneof(
  { weight: 6, arbitrary: index.map((i) => ({ kind: 'held' as const, index: i })) },
  { weight: 1, arbitrary: index.map((i) => ({ kind: 'foreign' as const, index: i })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'garbage' as const }) },
);

const toolArgs: fc.Arbitrary<[ToolName, NoteArgs & { idPick?: number }]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<[ToolName, NoteArgs]>(['about', {}]) },
  { weight: 2, arbitrary: query.map((q): [ToolName, NoteArgs] => ['search', { query: q }]) },
  { weight: 2, arbitrary: index.map((i): [ToolName, NoteArgs & { idPick: number }] => ['fetch', { idPick: i }]) },
  { weight: 1, arbitrary: fc.option(fc.constantFrom('work', 'home', 'x:y'), { nil: undefined }).map((tag): [ToolName, NoteArgs] => ['list_notes', tag === undefined ? {} : { tag }]) },
  { weight: 3, arbitrary: fc.record({ title, body, tags, public: isPublic }, { requiredKeys: ['title'] }).map((a): [ToolName, NoteArgs] => ['create_note', defined(a)]) },
  {
    weight: 3,
    arbitrary: fc.record({ idPick: index, title: fc.option(title, { nil: undefined }), body, tags, public: isPublic }).map((a): [ToolName, NoteArgs & { idPick?: number }] => ['update_note', defined(a)]),
  },
  { weight: 1, arbitrary: index.map((i): [ToolName, NoteArgs & { idPick: number }] => ['delete_note', { idPick: i }]) },
  { weight: 1, arbitrary: fc.constant<[ToolName, NoteArgs]>(['list_tags', {}]) },
  { weight: 1, arbitrary: index.map((i): [ToolName, NoteArgs & { idPick: number }] => ['list_note_versions', { idPick: i }]) },
);

/** Drops the keys an optional arbitrary left undefined, as a client leaves a field out. */
function defined(record: Record<string, unknown>): NoteArgs & { idPick?: number } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** Steps of time: a second, the grace minute, the access token lifetime, a day, the refresh lifetime. */
const step = fc.constantFrom(1, 61, LIFETIMES.accessTokenTtl - 1, LIFETIMES.accessTokenTtl, 86_400, LIFETIMES.refreshTokenTtl);

/**
 * How every run begins, so that notes calls find notes: each person connects an app that may
 * write, and it creates two notes. The same commands as the random ones, judged the same way.
 */
export function prologue(): McpCommand[] {
  const note = (index: number, title: string, tags: string[]) => new Call({ kind: 'held', index }, 'create_note', { title, body: 'alpha gamma', tags }, 'legacy');
  return [
    new Connect('alice', ['notes:read', 'notes:write']),
    new Connect('bob', ['notes:write']),
    note(0, 'Alpha', ['work']),
    note(0, 'beta notes', ['home']),
    note(1, 'Gamma and alpha', ['work']),
    note(1, 'Alpha', []),
  ];
}

export const mcpOperations: fc.Arbitrary<McpCommand>[] = [
  ...Array.from({ length: 2 }, () => fc.tuple(person, scopes).map(([p, s]) => new Connect(p, s))),
  index.map((i) => new Refresh(i)),
  fc
    .tuple(index, fc.constantFrom<'exp' | 'tolerance'>('exp', 'tolerance'), fc.constantFrom<-1 | 0 | 1>(-1, 0, 1), fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: step }))
    .map(([t, e, o, s]) => new Later(t, e, o, s)),
  fc.tuple(index, index, fc.constantFrom<'access_token' | 'refresh_token'>('access_token', 'refresh_token')).map(([b, w, k]) => new Revoke(b, w, k)),
  fc.tuple(person, index).map(([p, i]) => new Disconnect(p, i)),
  // Calls are most of what apps do.
  ...Array.from({ length: 8 }, () => fc.tuple(holder, toolArgs, era).map(([h, [tool, args], e]) => new Call(h, tool, args, e))),
];
