// `agent-notes conformance <url> --user <name>`: run ChatGPT's OAuth steps against a server and
// print one line per check. The password comes from AGENT_NOTES_PASSWORD, never the command line.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, verb } from './errors.ts';

const DESCRIPTION = `run the steps ChatGPT takes (discovery, registration, sign-in, consent, token,
MCP call), the negative cases and the metadata-document checks against the server at <url>,
signing in as --user with the password in AGENT_NOTES_PASSWORD. A refused sign-in stops the run
there, so a wrong password is tried only once. Exit code: 0 when no check failed, 1 otherwise,
2 on usage errors.`;

interface Options {
  user: string;
  junit?: string;
  json?: string;
  clientMetadataUrl?: string;
  clientMetadataRedirect?: string;
}

function checked(url: string, options: Options): void {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliError(`not an http(s) URL: ${url}`, 2);
  if (options.user === '') throw new CliError('the --user name is missing', 2);
  const { clientMetadataUrl, clientMetadataRedirect } = options;
  if (clientMetadataUrl !== undefined && !/^https:\/\/[^/]+\/./.test(clientMetadataUrl)) throw new CliError(`--client-metadata-url must be an https URL with a path: ${clientMetadataUrl}`, 2);
  if (clientMetadataRedirect !== undefined && clientMetadataUrl === undefined) throw new CliError('--client-metadata-redirect needs --client-metadata-url', 2);
  if (clientMetadataRedirect !== undefined && !URL.canParse(clientMetadataRedirect)) throw new CliError(`--client-metadata-redirect is not a URL: ${clientMetadataRedirect}`, 2);
}

export function registerConformance(program: Command): void {
  program.command('conformance').description(DESCRIPTION).argument('<url>', 'the server to check')
    .requiredOption('-u, --user <name>', 'the account to sign in as')
    .option('--client-metadata-url <url>', "also walk a whole flow for a public client's metadata document you host")
    .option('--client-metadata-redirect <uri>', 'the redirect URI that document lists (default http://127.0.0.1/callback)')
    .option('--junit <file>', 'also write the results as JUnit XML (for CI)')
    .option('--json <file>', 'also write the results as JSON')
    .action(verb(async (url: string, options: Options) => {
      checked(url, options);
      const password = process.env.AGENT_NOTES_PASSWORD;
      if (password === undefined || password === '') throw new CliError('set AGENT_NOTES_PASSWORD to the password of --user', 2);
      const { user, junit, json, ...documents } = options;
      // Loaded here, not at start: `serve` never needs the conformance client (nor its HTML parser).
      const { formatResult, jsonReport, junitReport, runConformance, summary } = await import('../../spec/conformance/index.ts');
      const started = performance.now();
      const results = await runConformance({ baseUrl: url, username: user, password, ...documents });
      for (const result of results) console.log(formatResult(result));
      console.log(summary(results));
      if (junit !== undefined) await writeFile(junit, junitReport('agent-notes conformance', results, (performance.now() - started) / 1000));
      if (json !== undefined) await writeFile(json, jsonReport(url, results));
      return results.some((r) => r.status === 'fail') ? 1 : 0;
    }));
}
