// `agent-notes user add <name>`: creates an account directly in the data directory. The running
// server holds the directory lock, so this refuses (clearly) rather than racing it for the file.
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { hashPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { emptyAccountsState } from '../accounts/types.ts';
import { createUser } from '../accounts/users.ts';
import { configFromEnv } from '../config.ts';
import { DataDirLocked, openFileStore } from '../store/index.ts';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is visible; pipe it in to avoid that): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

export async function userCommand(argv: string[]): Promise<number> {
  const [verb, username] = argv;
  if (verb !== 'add' || username === undefined) {
    console.error('usage: agent-notes user add <name>   (the password is read from standard input)');
    return 2;
  }
  const { dataDir } = configFromEnv();
  let store;
  try {
    store = await openFileStore(dataDir!);
  } catch (error) {
    if (error instanceof DataDirLocked) {
      console.error(`agent-notes: the server is running on ${error.dir} (process ${error.pid}); nothing was changed.\nStop it, run this command again, then start the server.`);
      return 1;
    }
    throw error;
  }
  try {
    const password = await readPassword();
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      console.error(`agent-notes: the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long; nothing was changed.`);
      return 1;
    }
    const state = { ...emptyAccountsState(), ...store.loaded } as ReturnType<typeof emptyAccountsState>;
    const result = createUser(state, { userId: randomBytes(32).toString('base64url'), username, passwordHash: await hashPassword(password), now: Math.floor(Date.now() / 1000) });
    if (result.outcome.kind === 'error') {
      console.error(`agent-notes: cannot add ${JSON.stringify(username)}: ${result.outcome.error.replace('_', ' ')}; nothing was changed.`);
      return 1;
    }
    await store.append(result.changes);
    console.log(`agent-notes: added user ${username}.`);
    return 0;
  } finally {
    await store.close();
  }
}
