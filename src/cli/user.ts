// `agent-notes user add|list|passwd|remove|set-email`: the people who may sign in. Each verb runs on
// the running server through its control socket, or on the data directory when the server is
// stopped (src/cli/operation.ts); `passwd` is the way back in for an owner who forgot the password.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { PasswordSet, Person, PersonRemoved } from '../app/people.ts';
import { CliError, verb } from './errors.ts';
import { runOperation, type Done } from './operation.ts';

async function readPassword(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${prompt} (input is visible; pipe it in to avoid that): `);
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

const where = (done: Done<unknown>) => (done.on === 'server' ? 'on the running server' : 'in the data directory');
const date = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export function registerUser(program: Command): void {
  const user = program.command('user').description('the people who may sign in (works whether the server runs or not)');

  user.command('add').description('add a person; the password is read from standard input').argument('<name>', 'the name they sign in with')
    .action(verb(async (name: string) => {
      const password = await readPassword('Password');
      const done = await runOperation('people.add', { username: name, password });
      console.log(`agent-notes: added user ${name} ${where(done)}.`);
    }));

  user.command('list').description('everyone who may sign in, with their notes, apps and sessions')
    .action(verb(async () => {
      const { result: people } = await runOperation<Person[]>('people.list');
      if (people.length === 0) return void console.log('agent-notes: no users yet; start the server and open the setup link it prints, or run agent-notes user add <name>.');
      const rows = people.map((person) => [person.username, date(person.createdAt), person.email === undefined ? '-' : `${person.email}${person.emailVerified ? ' (verified)' : ''}`, String(person.notes), String(person.apps), String(person.sessions)]);
      printTable(['user', 'since', 'email', 'notes', 'apps', 'sessions'], rows);
    }));

  user.command('passwd').description('set a new password (read from standard input); ends every session and disconnects every app')
    .argument('<name>').option('--keep-apps', 'leave the connected apps connected')
    .action(verb(async (name: string, options: { keepApps?: boolean }) => {
      const password = await readPassword(`New password for ${name}`);
      const done = await runOperation<PasswordSet>('people.passwd', { username: name, password, keepApps: options.keepApps === true });
      const { sessionsEnded, appsDisconnected } = done.result;
      console.log(`agent-notes: ${name} has a new password ${where(done)}; ${sessionsEnded} session(s) ended, ${appsDisconnected} app(s) disconnected.`);
    }));

  user.command('remove').description('remove a person, their sessions and connected apps').argument('<name>')
    .option('--delete-notes', 'also delete their notes (needed when they have any)')
    .action(verb(async (name: string, options: { deleteNotes?: boolean }) => {
      const done = await runOperation<PersonRemoved>('people.remove', { username: name, deleteNotes: options.deleteNotes === true });
      const { notesDeleted, appsDisconnected, sessionsEnded } = done.result;
      console.log(`agent-notes: removed ${name} ${where(done)}: ${notesDeleted} note(s) deleted, ${appsDisconnected} app(s) disconnected, ${sessionsEnded} session(s) ended.`);
    }));

  user.command('set-email').description('the email address OpenID Connect clients see for a person').argument('<name>').argument('[email]')
    .option('--verified', 'only if you have checked the address (otherwise it is reported as unverified)')
    .option('--clear', 'remove the address')
    .action(verb(async (name: string, email: string | undefined, options: { verified?: boolean; clear?: boolean }) => {
      if (options.clear === true && (email !== undefined || options.verified === true)) throw new CliError('--clear takes no email and no --verified; nothing was changed.', 2);
      if (options.clear !== true && email === undefined) throw new CliError('give the email address, or --clear to remove it; nothing was changed.', 2);
      const done = await runOperation<{ email?: string; emailVerified?: boolean }>('people.email', { username: name, email: options.clear === true ? null : email, verified: options.verified === true });
      const set = done.result;
      console.log(set.email === undefined
        ? `agent-notes: ${name} has no email address now.`
        : `agent-notes: ${name}'s email is now ${set.email} (${set.emailVerified ? 'verified' : 'not verified'}).`);
    }));
}

export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
