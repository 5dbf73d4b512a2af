// `agent-notes conformance <url> --user <name>`: run ChatGPT's OAuth steps against a server and
// print one line per check. The password comes from AGENT_NOTES_PASSWORD, never the command line.
import { formatResult, runConformance, summary } from '../../spec/conformance/index.ts';

const USAGE = `usage: agent-notes conformance <url> --user <name> [--client-metadata-url <url> [--client-metadata-redirect <uri>]]

  Runs the steps ChatGPT takes (discovery, registration, sign-in, consent, token,
  MCP call), the negative cases and the metadata-document checks against the
  server at <url>, signing in as <name> with the password in the environment
  variable AGENT_NOTES_PASSWORD. With --client-metadata-url (a public client's
  metadata document you host, listing the redirect URI given with
  --client-metadata-redirect, default http://127.0.0.1/callback) it also walks a
  whole flow for that document client.
  Exit code: 0 when no check failed, 1 otherwise, 2 on usage errors.`;

interface Arguments {
  url: string;
  user: string;
  clientMetadataUrl?: string;
  clientMetadataRedirect?: string;
}

function parseArguments(argv: readonly string[]): Arguments | string {
  let url: string | undefined;
  let user: string | undefined;
  const documents: Pick<Arguments, 'clientMetadataUrl' | 'clientMetadataRedirect'> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--user' || arg === '-u') user = argv[++i];
    else if (arg.startsWith('--user=')) user = arg.slice('--user='.length);
    else if (arg === '--client-metadata-url') documents.clientMetadataUrl = argv[++i] ?? '';
    else if (arg === '--client-metadata-redirect') documents.clientMetadataRedirect = argv[++i] ?? '';
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (url === undefined) url = arg;
    else return `unexpected argument ${arg}`;
  }
  if (url === undefined) return 'the server URL is missing';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return `not an http(s) URL: ${url}`;
  if (user === undefined || user === '') return 'the --user name is missing';
  if (documents.clientMetadataUrl !== undefined && !/^https:\/\/[^/]+\/./.test(documents.clientMetadataUrl)) return `--client-metadata-url must be an https URL with a path: ${documents.clientMetadataUrl}`;
  if (documents.clientMetadataRedirect !== undefined && documents.clientMetadataUrl === undefined) return '--client-metadata-redirect needs --client-metadata-url';
  if (documents.clientMetadataRedirect !== undefined && !URL.canParse(documents.clientMetadataRedirect)) return `--client-metadata-redirect is not a URL: ${documents.clientMetadataRedirect}`;
  return { url, user, ...documents };
}

export async function conformanceCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    console.error(`agent-notes conformance: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  const password = process.env.AGENT_NOTES_PASSWORD;
  if (password === undefined || password === '') {
    console.error('agent-notes conformance: set AGENT_NOTES_PASSWORD to the password of --user');
    return 2;
  }
  const { url, user, ...documents } = parsed;
  const results = await runConformance({ baseUrl: url, username: user, password, ...documents });
  for (const result of results) console.log(formatResult(result));
  console.log(summary(results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
