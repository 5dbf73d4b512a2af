// Accounts outside a request: the one-time owner setup link while no user exists, and adding a
// user by name and password (the CLI and tests).
import { issueSetupToken } from '../accounts/setup.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { createUser, hasUsers } from '../accounts/users.ts';
import type { Services } from './services.ts';

/** The link that creates the owner account, issued at start-up while there is none. */
export async function setupLinkIfNoUsers({ queue, config, fresh, now }: Services): Promise<string | undefined> {
  if (hasUsers(queue.state)) return undefined;
  const token = fresh();
  await queue.apply((state) => issueSetupToken(state, { token, now: now() }));
  return `${config.publicUrl}/setup?token=${token}`;
}

export async function addUser({ queue, fresh, now }: Services, username: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const userId = fresh();
  const outcome = await queue.apply((state) => createUser(state, { userId, username, passwordHash, now: now() }));
  if (outcome.kind === 'error') throw new Error(`cannot create user ${username}: ${outcome.error}`);
}
