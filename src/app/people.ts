// The people who may sign in, as the operator manages them: listed, added, given a new password
// (the way back in for an owner who forgot theirs), given an email address, removed. The same
// functions run in the server (asked over the control socket) and in the CLI on a stopped server's
// data directory, so both paths decide alike.
import { changePassword } from '../accounts/password-change.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '../accounts/passwords.ts';
import { setUserEmail } from '../accounts/email.ts';
import { createUser, findUserByName, removeUser } from '../accounts/users.ts';
import { liveSessionCount } from '../accounts/queries.ts';
import { connectedApps } from '../core/queries.ts';
import type { CoreConfig } from '../core/index.ts';
import { countNotes, eraseNote, trashedNotes } from '../notes/index.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { AppState, Services } from './services.ts';

export interface PeopleContext {
  queue: CommitQueue<AppState>;
  core: CoreConfig;
  now: () => number;
  fresh: () => string;
}

/** The people operations over a running server's services. */
export function peopleContext(services: Services): PeopleContext {
  return { queue: services.queue, core: services.config.core, now: services.now, fresh: services.fresh };
}

/** A refusal written for the operator: what is wrong and that nothing was changed. */
export class PeopleError extends Error {
  override readonly name = 'PeopleError';
}

export interface Person {
  username: string;
  createdAt: number;
  email?: string;
  emailVerified?: boolean;
  notes: number;
  apps: number;
  sessions: number;
}

export function listPeople({ queue, core, now }: PeopleContext): Person[] {
  const state = queue.state;
  return Object.values(state.users)
    .map((user) => ({
      username: user.username,
      createdAt: user.createdAt,
      ...(user.email === undefined ? {} : { email: user.email, emailVerified: user.emailVerified === true }),
      notes: countNotes(state, user.userId),
      apps: connectedApps(state, core, user.userId).length,
      sessions: liveSessionCount(state, user.userId, now()),
    }))
    .sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
}

function checkedPassword(password: string): void {
  if (passwordProblem(password) !== undefined) {
    throw new PeopleError(`the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long; nothing was changed`);
  }
}

function existing(state: AppState, username: string) {
  const user = findUserByName(state, username);
  if (!user) throw new PeopleError(`there is no user ${JSON.stringify(username)} (agent-notes user list shows who there is); nothing was changed`);
  return user;
}

export async function addPerson({ queue, fresh, now }: PeopleContext, username: string, password: string): Promise<void> {
  checkedPassword(password);
  const passwordHash = await hashPassword(password);
  const userId = fresh();
  const outcome = await queue.apply((state) => createUser(state, { userId, username, passwordHash, now: now() }));
  if (outcome.kind === 'error') {
    throw new PeopleError(outcome.error === 'username_taken'
      ? `there is already a user ${JSON.stringify(username)}; nothing was changed`
      : `${JSON.stringify(username)} is not a usable name (1 to 64 letters, digits, dots, dashes or underscores); nothing was changed`);
  }
}

export interface PasswordSet {
  sessionsEnded: number;
  appsDisconnected: number;
}

/** A new password ends every session, and (unless `keepApps`) disconnects every app, as the account page does. */
export async function setPassword(context: PeopleContext, username: string, password: string, { keepApps = false } = {}): Promise<PasswordSet> {
  checkedPassword(password);
  const user = existing(context.queue.state, username);
  const passwordHash = await hashPassword(password);
  const changed = await context.queue.apply((state) => changePassword(state, { userId: user.userId, passwordHash, keepSessionHash: '' }));
  if (changed.kind === 'error') throw new PeopleError(`${JSON.stringify(username)} was removed meanwhile; nothing was changed`);
  const appsDisconnected = keepApps ? 0 : await disconnectEveryApp(context, user.userId);
  return { sessionsEnded: changed.sessionsEnded, appsDisconnected };
}

export async function setEmail({ queue }: PeopleContext, username: string, email: string | null, verified: boolean): Promise<{ email?: string; emailVerified?: boolean }> {
  existing(queue.state, username);
  const outcome = await queue.apply((state) => setUserEmail(state, { username, email, verified }));
  if (outcome.kind === 'error') {
    throw new PeopleError(`${JSON.stringify(email)} is not a usable email address (one @, a dotted domain, no spaces, at most 254 bytes); nothing was changed`);
  }
  return { ...(outcome.user.email === undefined ? {} : { email: outcome.user.email, emailVerified: outcome.user.emailVerified === true }) };
}

export interface PersonRemoved {
  notesDeleted: number;
  appsDisconnected: number;
  sessionsEnded: number;
}

/** Removes a person: their apps first (tokens stop at once), then their notes, then the account and its sessions. */
export async function removePerson(context: PeopleContext, username: string, { deleteNotes = false } = {}): Promise<PersonRemoved> {
  const { queue } = context;
  const user = existing(queue.state, username);
  const trashed = trashedNotes(queue.state, user.userId).length;
  const notes = countNotes(queue.state, user.userId) + trashed;
  if (notes > 0 && !deleteNotes) {
    throw new PeopleError(`${user.username} has ${notes} note(s)${trashed > 0 ? ` (${trashed} in the trash)` : ''}; to delete them with the account run this again with --delete-notes (agent-notes backup keeps a copy); nothing was changed`);
  }
  const appsDisconnected = await disconnectEveryApp(context, user.userId);
  let notesDeleted = 0;
  // Live and trashed notes, each with its history, for good.
  const owned = (records: Record<string, { ownerId: string }>) => Object.keys(records).filter((noteId) => records[noteId]!.ownerId === user.userId);
  for (const noteId of [...owned(queue.state.notes), ...owned(queue.state.trashedNotes)]) {
    const outcome = await queue.apply((state) => eraseNote(state, { ownerId: user.userId, noteId }));
    if (outcome.kind === 'note_erased') notesDeleted += 1;
  }
  const removed = await queue.apply((state) => removeUser(state, user.username));
  return { notesDeleted, appsDisconnected, sessionsEnded: removed.kind === 'user_removed' ? removed.sessionsEnded : 0 };
}

/** Every grant of the user, through the core's own revocation (SEC-PWD-02). */
export async function disconnectEveryApp({ queue, core, now }: PeopleContext, userId: string): Promise<number> {
  let disconnected = 0;
  for (const { grant } of connectedApps(queue.state, core, userId)) {
    const outcome = await queue.run({ type: 'revokeGrant', now: now(), grantId: grant.grantId, userId });
    if (outcome.kind === 'grant_revoked') disconnected += 1;
  }
  return disconnected;
}
