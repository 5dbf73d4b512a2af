// `agent-notes`: parses the command line and runs the verb (src/cli/program.ts builds them).
import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // --help and --version end here with exit code 0; a usage error has been printed already.
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
