// `agent-notes user add|set-email`: changes accounts directly in the data directory. The running
// server holds the directory lock, so these refuse (clearly) rather than race it for the file.
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setUserEmail } from '../accounts/email.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { emptyAccountsState, type AccountsState } from '../accounts/types.ts';
import { createUser } from '../accounts/users.ts';
import { ConfigError, configFromEnv } from '../config.ts';
import { DataDirLocked, DataDirUnsafe, describeTightened, openFileStore, type Store } from '../store/index.ts';

const USAGE = 'usage: agent-notes user add <name> (password on standard input) | user set-email <name> <email> [--verified] | user set-email <name> --clear';

function fail(message: string): number {
  console.error(`agent-notes: ${message}`);
  return 1;
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

/** Runs `change` on the opened store; one line and exit code 1 when the server holds the directory. */
async function withStore(change: (store: Store, state: AccountsState) => Promise<number>): Promise<number> {
  const { dataDir } = configFromEnv();
  let store;
  try {
    store = await openFileStore(dataDir!);
  } catch (error) {
    if (error instanceof DataDirLocked) {
      return fail(`the server is running on ${error.dir} (process ${error.pid}); nothing was changed. Stop it, run this command again, then start the server.`);
    }
    if (error instanceof DataDirUnsafe) return fail(`${error.message}; nothing was changed.`);
    throw error;
  }
  if (store.tightened.length > 0) console.error(`agent-notes: ${describeTightened(dataDir!, store.tightened)}`);
  try {
    return await change(store, { ...emptyAccountsState(), ...store.loaded } as AccountsState);
  } finally {
    await store.close();
  }
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is visible; pipe it in to avoid that): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function add(args: string[]): Promise<number> | number {
  const [username] = args;
  if (username === undefined || args.length > 1) return usage();
  return withStore(async (store, state) => {
    const password = await readPassword();
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      return fail(`the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long; nothing was changed.`);
    }
    const result = createUser(state, { userId: randomBytes(32).toString('base64url'), username, passwordHash: await hashPassword(password), now: Math.floor(Date.now() / 1000) });
    if (result.outcome.kind === 'error') return fail(`cannot add ${JSON.stringify(username)}: ${result.outcome.error.replace('_', ' ')}; nothing was changed.`);
    await store.append(result.changes);
    console.log(`agent-notes: added user ${username}.`);
    return 0;
  });
}

/** `set-email <name> <email> [--verified]`, or `set-email <name> --clear`. */
function setEmail(args: string[]): Promise<number> | number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { verified: { type: 'boolean' }, clear: { type: 'boolean' } } });
  const [username, email] = positionals;
  const clear = values.clear === true;
  if (username === undefined || positionals.length > 2) return usage();
  if (clear && (email !== undefined || values.verified === true)) return fail('--clear takes no email and no --verified; nothing was changed.');
  if (!clear && email === undefined) return usage();
  return withStore(async (store, state) => {
    const result = setUserEmail(state, { username, email: clear ? null : email!, verified: values.verified === true });
    if (result.outcome.kind === 'error') {
      return fail(result.outcome.error === 'unknown_user'
        ? `no user ${JSON.stringify(username)}; nothing was changed.`
        : `${JSON.stringify(email)} is not a usable email address (one @, a dotted domain, no spaces, at most 254 bytes); nothing was changed.`);
    }
    await store.append(result.changes);
    const { user } = result.outcome;
    console.log(user.email === undefined
      ? `agent-notes: ${user.username} has no email address now.`
      : `agent-notes: ${user.username}'s email is now ${user.email} (${user.emailVerified ? 'verified' : 'not verified'}).`);
    return 0;
  });
}

export async function userCommand(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  try {
    if (verb === 'add') return await add(args);
    if (verb === 'set-email') return await setEmail(args);
    return usage();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`agent-notes: ${error.message}`);
      return 2;
    }
    // node:util parseArgs: an unknown or malformed option is bad input, not a crash.
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return fail(`${error.message}; nothing was changed.`);
    throw error;
  }
}
