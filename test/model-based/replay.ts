// Replaying a model-run failure exactly. fast-check needs three things to rebuild a shrunk command
// sequence: the seed, the shrink path, and the commands' own replay path (which commands of the
// generated list were kept). The first two go to `fc.assert`, the third to `fc.commands`; passing
// only the first two fails with "Unable to replay, got wrong path". On failure this module prints
// the one command line that replays the case, with all three filled in.
import fc from 'fast-check';

export interface Replay {
  /** For `fc.assert`/`fc.check`: the seed and path of a failure to replay, if any. */
  parameters: { seed?: number; path?: string };
  /** For `fc.commands`: which generated commands the shrunk case kept. */
  commands: { replayPath?: string };
}

/** What `FC_SEED`, `FC_PATH` and `FC_REPLAY_PATH` ask for. */
export function replayFromEnv(env: NodeJS.ProcessEnv = process.env): Replay {
  const seed = env.FC_SEED === undefined ? undefined : Number(env.FC_SEED);
  return {
    parameters: { ...(seed === undefined ? {} : { seed }), ...(env.FC_PATH === undefined ? {} : { path: env.FC_PATH }) },
    commands: env.FC_REPLAY_PATH === undefined ? {} : { replayPath: env.FC_REPLAY_PATH },
  };
}

/** The replay path fast-check writes into a shrunk command list's description. */
export function replayPathOf(commands: unknown): string | undefined {
  return /\/\*replayPath="([^"]*)"\*\//.exec(String(commands))?.[1];
}

/** The shell line that runs `file` again on exactly this failure. */
export function replayCommand<Ts extends unknown[]>(file: string, details: fc.RunDetails<Ts>): string {
  // The command list may sit anywhere among the property's arguments.
  const replayPath = details.counterexample?.map(replayPathOf).find((path) => path !== undefined);
  const vars = [`FC_SEED=${details.seed}`, `FC_PATH=${details.counterexamplePath ?? ''}`, ...(replayPath === undefined ? [] : [`FC_REPLAY_PATH=${replayPath}`])];
  return `${vars.join(' ')} npx vitest run ${file}`;
}

/** Throws fast-check's own report plus the replay line (and, given `handOver`, what it wrote for people) when the run failed. */
export function reportFailure<Ts extends unknown[]>(file: string, details: fc.RunDetails<Ts>, handOver?: (counterexample: Ts) => string): void {
  if (!details.failed) return;
  const cause = details.errorInstance instanceof Error ? `\n\nWhat failed:\n${details.errorInstance.message}` : '';
  let handed = '';
  try {
    handed = handOver && details.counterexample ? `\n\n${handOver(details.counterexample)}` : '';
  } catch (error) {
    handed = `\n\n(the counterexample could not be written as a scenario: ${(error as Error).message})`;
  }
  throw new Error(`${fc.defaultReportMessage(details) ?? 'the property failed'}${cause}\n\nReplay this exact case with:\n  ${replayCommand(file, details)}${handed}\n`);
}
