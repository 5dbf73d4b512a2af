// The `agent-notes` command line (commander): serve, people, keys, predefined clients, backups,
// conformance against a server, and a demo of the core. Every verb answers --help and --version,
// and fails with one line and a non-zero exit (src/cli/errors.ts). Built here, run by main.ts.
import { readFileSync } from 'node:fs';
import { Command, type OutputConfiguration } from 'commander';
import { registerBackup } from './backup.ts';
import { registerClient } from './client.ts';
import { registerConformance } from './conformance.ts';
import { registerDemo } from './demo.ts';
import { registerExplain } from './explain.ts';
import { registerFuzz } from './fuzz.ts';
import { registerToken } from './token.ts';
import { registerKeys } from './keys.ts';
import { registerNotesArchive } from './notes-archive.ts';
import { registerServe } from './serve.ts';
import { registerUser } from './user.ts';

export const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The whole command tree; `output` lets tests read what it prints. */
export function buildProgram(output: OutputConfiguration = {}): Command {
  const program = new Command('agent-notes')
    .description('Personal notes for ChatGPT, Claude and any MCP client, behind its own OAuth 2.1 server.');
  registerServe(program);
  registerUser(program);
  registerKeys(program);
  registerClient(program);
  registerBackup(program);
  registerNotesArchive(program);
  registerConformance(program);
  registerExplain(program);
  registerFuzz(program);
  registerToken(program);
  registerDemo(program);
  configure(program, output);
  return program;
}

/** Every command, however deep: each gets --version, usage errors as one line, and exit code 2 for them. */
function configure(command: Command, output: OutputConfiguration): void {
  command
    .version(version, '-V, --version', 'print the version')
    .allowExcessArguments(false)
    .exitOverride()
    // One line: commander's message and its suggestion ("Did you mean --clear?") joined, and where the usage is.
    .configureOutput({ ...output, outputError: (text, write) => (output.writeErr ?? write)(`agent-notes: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see ${command.name() === 'agent-notes' ? '' : `${command.name()} `}--help)\n`) });
  for (const sub of command.commands) configure(sub, output);
}

