// `agent-notes token --user <name>`: an access and refresh token for a person, minted by the
// running server (or on a stopped server's data directory) through the same core steps a client
// takes, without a browser and without the network. Printed as the token endpoint's JSON.
import type { Command } from 'commander';
import type { MintedTokens } from '../app/local-tokens.ts';
import { verb } from './errors.ts';
import { runOperation } from './operation.ts';

export function registerToken(program: Command): void {
  program.command('token').description('mint an access and refresh token for a person, without a browser (local only)')
    .requiredOption('-u, --user <name>', 'whose tokens')
    .option('--scope <scopes>', 'space-separated scopes', 'notes:read notes:write offline_access')
    .action(verb(async (options: { user: string; scope: string }) => {
      const { result } = await runOperation<MintedTokens>('tokens.mint', { username: options.user, scope: options.scope });
      console.log(JSON.stringify(result, null, 2));
    }));
}
