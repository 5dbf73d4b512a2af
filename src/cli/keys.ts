// `agent-notes keys list|rotate`: the signing keys. A running server is asked over its control
// socket and signs with the new keys at once; a stopped one has keys.json rotated in place.
import type { Command } from 'commander';
import type { KeyRole } from '../tokens/index.ts';
import { verb } from './errors.ts';
import { runOperation } from './operation.ts';
import { printTable } from './user.ts';

const PURPOSE: Record<string, string> = { ES256: 'access tokens', RS256: 'ID tokens' };
const time = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function why(key: KeyRole): string {
  if (key.role === 'signing') return `signs new ${PURPOSE[key.alg] ?? 'tokens'}`;
  if (key.role === 'verifying') return `retired ${time(key.retiredAt!)}; published until ${time(key.dropAt!)}, when the last token it signed has expired`;
  return 'every token it signed has expired; dropped at the next tick';
}

function print(keys: readonly KeyRole[]): void {
  printTable(['kid', 'alg', 'created', 'status'], keys.map((key) => [key.kid, key.alg, time(key.createdAt), why(key)]));
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the signing keys published at /oauth/jwks.json');

  keys.command('list').description('every published key, which one signs, and why each other one is kept')
    .action(verb(async () => print((await runOperation<KeyRole[]>('keys.list')).result)));

  keys.command('rotate').description('new keys sign from now on; the old ones stay published until their tokens expire')
    .action(verb(async () => {
      const done = await runOperation<KeyRole[]>('keys.rotate');
      console.log(done.on === 'server'
        ? 'agent-notes: keys rotated on the running server; new tokens are signed with the new keys from now on.'
        : 'agent-notes: keys rotated in keys.json; the server signs with the new keys when it starts.');
      print(done.result);
    }));
}
