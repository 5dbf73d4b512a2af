// `agent-notes fuzz <url>`: the reference model's operation sequences, valid and hostile, sent to
// the authorization server at <url> (RFC 8414 metadata), consent given through its sign-in form as
// --user; one line per divergence with its rule, each shrunk to a scenario `explain` replays.
import { randomInt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, verb } from './errors.ts';

const DESCRIPTION = `send the reference model's operation sequences (register, authorize, consent,
exchange, refresh, revoke; valid and hostile) to the authorization server whose issuer is <url>,
signing in as --user (password in AGENT_NOTES_PASSWORD or --password), and compare every answer
with what the model requires. One line per divergence with its rule: MUSTs, then SHOULDs and
agent-notes' own decisions; each is shrunk to a scenario file in --out that \`agent-notes explain\`
replays. Only loopback addresses and hosts named with --allow-host are contacted. Exit code: 0 when
no MUST divergence was found, 1 otherwise, 2 on usage errors and when the run cannot go on (no
metadata, a refused host, a refused sign-in, a 429 from the server).`;

interface Options {
  user?: string;
  password?: string;
  resource?: string;
  scopes?: string;
  seed?: number;
  budget: number;
  shrinkBudget: number;
  maxSteps: number;
  rate: number;
  allowHost?: string[];
  authorizeParam?: string[];
  junit?: string;
  json?: string;
  out: string;
  verbose?: boolean;
}

function count(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer of at least ${min}`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0');
  return n;
}

async function run(url: string, options: Options): Promise<number> {
  // Loaded here, not at start: `serve` never needs the fuzzer, the model or fast-check.
  const { formatOutcomes, formatReport, fuzz, HostRefused, jsonReport, junitReport, NotFuzzable, prepareTarget, RateLimited, refusal, SignInRefused, writeScenarios } = await import('../../spec/fuzz/index.ts');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliError(`not an http(s) URL: ${url}`, 2);
  const allowHosts = options.allowHost ?? [];
  const refused = refusal(new URL(url), allowHosts);
  if (refused !== undefined) throw new CliError(refused, 2);
  if (options.resource !== undefined && !URL.canParse(options.resource)) throw new CliError(`--resource is not a URL: ${options.resource}`, 2);
  const username = options.user ?? process.env.AGENT_NOTES_USER;
  const password = options.password ?? process.env.AGENT_NOTES_PASSWORD;
  if (username === undefined || username === '') throw new CliError('name the account to sign in as with --user (or AGENT_NOTES_USER)', 2);
  if (password === undefined || password === '') throw new CliError('set AGENT_NOTES_PASSWORD (or --password) to the password of --user', 2);

  let prepared;
  try {
    prepared = await prepareTarget({
      url, username, password, allowHosts, rate: options.rate,
      ...(options.resource === undefined ? {} : { resource: options.resource }),
      ...(options.scopes === undefined ? {} : { scopes: options.scopes.split(/[ ,]+/).filter(Boolean) }),
      authorizeParams: Object.fromEntries((options.authorizeParam ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    });
  } catch (error) {
    if (error instanceof NotFuzzable || error instanceof HostRefused || error instanceof RateLimited) throw new CliError(error.message, 2);
    throw new CliError(`cannot read the metadata of ${url}: ${(error as Error).message}`, 2);
  }
  const { target, pace } = prepared;
  const seed = options.seed ?? randomInt(2 ** 31);
  let result;
  try {
    result = await fuzz(target, { seed, budget: options.budget, shrinkBudget: options.shrinkBudget, maxSteps: options.maxSteps });
  } catch (error) {
    if (error instanceof HostRefused) throw new CliError(`stopped: the server sent the fuzzer elsewhere, ${error.message}`, 2);
    if (error instanceof RateLimited || error instanceof SignInRefused) throw new CliError(`stopped: ${error.message}`, 2);
    throw error;
  }
  const written = writeScenarios(result.findings, resolve(options.out));
  if (options.verbose) console.log(`answers the server and the model agreed on:\n${formatOutcomes(result)}`);
  console.log(formatReport(result, written, pace.sent, seed));
  if (options.junit !== undefined) await writeFile(options.junit, junitReport(url, result, written, pace.sent, seed));
  if (options.json !== undefined) await writeFile(options.json, jsonReport(url, result, written, pace.sent, seed));
  return result.findings.some((f) => f.divergence.strength === 'MUST') ? 1 : 0;
}

export function registerFuzz(program: Command): void {
  program.command('fuzz').description(DESCRIPTION.replace(/\s*\n\s*/g, ' ')).argument('<url>', "the authorization server's issuer URL")
    .option('-u, --user <name>', 'the account to sign in as (default AGENT_NOTES_USER)')
    .option('--password <password>', 'its password (default AGENT_NOTES_PASSWORD, which keeps it out of the process list)')
    .option('--resource <uri>', 'the resource tokens are asked for (default <issuer>/mcp)')
    .option('--scopes <list>', "the resource scopes to ask for (default the server's scopes_supported, less openid and offline_access)")
    .option('--seed <n>', 'the seed, to repeat a run exactly (default random, printed)', count('--seed', 0))
    .option('--budget <runs>', 'how many generated runs to send', count('--budget', 1), 50)
    .option('--shrink-budget <runs>', 'at most this many more runs to shrink each divergence', count('--shrink-budget', 0), 100)
    .option('--max-steps <n>', 'planned steps per run at most', count('--max-steps', 1), 10)
    .option('--rate <per-second>', 'requests per second at most', positive, 20)
    .option('--allow-host <host>', 'a host besides loopback that may be contacted (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--authorize-param <name=value>', 'a parameter every authorization request also carries, e.g. prompt=consent (repeatable)', (value: string, previous: string[] = []) => {
      if (!/^[A-Za-z0-9_.-]+=/.test(value)) throw new InvalidArgumentError('must be name=value');
      return [...previous, value];
    })
    .option('--out <dir>', 'where the shrunk scenario files go', 'agent-notes-fuzz')
    .option('--junit <file>', 'also write the results as JUnit XML (for CI)')
    .option('--json <file>', 'also write the results as JSON')
    .option('--verbose', 'also print how often each step got each answer')
    .action(verb(run));
}
