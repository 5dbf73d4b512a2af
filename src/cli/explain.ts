// `agent-notes explain <scenario>`: runs a scenario file through the reference model and the core
// side by side, prints every step (request, both answers, the deciding rule, the expectation), and
// with --diagram writes the run as a Mermaid sequence diagram. Exit code 0 when model and core
// agree on every step and every expectation held, 1 otherwise, 2 for a file that is not a scenario.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, verb } from './errors.ts';

async function explain(file: string, options: { diagram?: string }): Promise<number> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file} (${error.code ?? error.message})`, 2);
  });
  // Loaded here, not at start: `serve` never needs the model, the scenario parser or YAML.
  const { formatRun, parseScenario, passed, runScenario, ScenarioError, sequenceDiagram } = await import('../../spec/explain/index.ts');
  let reports;
  let scenario;
  try {
    scenario = parseScenario(text, file);
    reports = runScenario(scenario);
  } catch (error) {
    if (error instanceof ScenarioError) throw new CliError(error.message, 2);
    throw error;
  }
  console.log(formatRun(scenario, reports));
  if (options.diagram !== undefined) {
    await writeFile(options.diagram, sequenceDiagram(scenario, reports));
    console.log(`diagram: ${options.diagram}`);
  }
  return passed(reports) ? 0 : 1;
}

export function registerExplain(program: Command): void {
  program.command('explain').description('run a scenario file through the reference model and the core, step by step').argument('<scenario>', 'a scenario file (YAML or JSON)')
    .option('--diagram <file>', 'also write the run as a Mermaid sequence diagram')
    .action(verb(explain));
}
