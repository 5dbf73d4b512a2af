// `agent-notes export --user <name>` and `agent-notes import --user <name> <zip or folder>`
// (NOTES-IO-*): the same zip as the web app's account page, on a running server (through its
// control socket) or on a stopped server's data directory. Every refused file is listed.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ImportDone } from '../app/notes-io.ts';
import type { ExportedFile } from '../app/notes-io.ts';
import { CliError, verb } from './errors.ts';
import { runOperation } from './operation.ts';

export function registerNotesArchive(program: Command): void {
  program.command('export').description('write every note of a person to a zip of Markdown files with YAML front matter')
    .requiredOption('--user <name>', 'whose notes')
    .option('--out <file>', 'where to write the zip (default: agent-notes-<name>-<date>.zip here)')
    .action(verb(async (options: { user: string; out?: string }) => {
      const out = resolve(options.out ?? `agent-notes-${options.user.replace(/[^A-Za-z0-9_.-]/g, '_')}-${new Date().toISOString().slice(0, 10)}.zip`);
      const { result } = await runOperation<ExportedFile>('notes.export', { username: options.user, path: out });
      console.log(`agent-notes: wrote ${result.notes} note(s) of ${options.user} to ${result.path}.`);
    }));

  program.command('import').description('add notes to a person from a zip or a folder of Markdown files (an Obsidian vault works)')
    .requiredOption('--user <name>', 'whose notes they become')
    .argument('<path>', 'a .zip file or a folder')
    .action(verb(async (path: string, options: { user: string }) => {
      const { result } = await runOperation<ImportDone>('notes.import', { username: options.user, path: resolve(path) });
      for (const refused of result.refused) console.log(`  not imported: ${refused.source}: ${refused.reason}`);
      if ('error' in result) throw new CliError(`${result.error}`);
      console.log(`agent-notes: imported ${result.imported} note(s) for ${options.user}${result.refused.length === 0 ? '' : `; ${result.refused.length} file(s) not imported (listed above)`}.`);
    }));
}
