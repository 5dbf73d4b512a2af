// Runs dependency-cruiser with the project's layering rules (.dependency-cruiser.cjs) through its
// JS API, for the layers test and for `npm run layers` (the README picture).
import { cruise } from 'dependency-cruiser';
import type { ICruiseOptions, ICruiseResult, IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const configFile = `${repoRoot}.dependency-cruiser.cjs`;

/** The options the config file gives, with the rule set in them. */
export async function layerOptions(): Promise<ICruiseOptions> {
  return extractDepcruiseOptions(configFile);
}

type CruiseSetup = { baseDir?: string; tsConfigFile?: string | null; overrides?: ICruiseOptions };

/**
 * Runs dependency-cruiser over `paths` (relative to `baseDir`) with the config's rules, plus
 * `overrides`, and gives its output: the cruise result, or a report when `outputType` asks for one.
 * The tsconfig is the repository's unless `tsConfigFile` is null (a fixture tree has none).
 */
export async function runCruise(paths: string[], { baseDir = repoRoot, tsConfigFile = `${repoRoot}tsconfig.json`, overrides = {} }: CruiseSetup = {}): Promise<ICruiseResult | string> {
  const options = await layerOptions();
  if (tsConfigFile === null) delete options.tsConfig;
  else options.tsConfig = { fileName: tsConfigFile }; // absolute, whatever the working directory
  const tsConfig = tsConfigFile === null ? undefined : extractTSConfig(tsConfigFile);
  const { output } = await cruise(paths, { ...options, baseDir, ...overrides }, {}, tsConfig === undefined ? {} : { tsConfig });
  return output;
}

/** The cruise result over `paths`: every module, its dependencies and the rules' violations. */
export async function cruiseLayers(paths: string[], setup: CruiseSetup = {}): Promise<ICruiseResult> {
  const output = await runCruise(paths, setup);
  if (typeof output === 'string') throw new Error('dependency-cruiser returned a report, not a cruise result');
  return output;
}

/** One line per violation: `rule: from -> to`, with the whole circle for a circular one. */
export function describeViolation(violation: IViolation): string {
  const path = violation.cycle?.length ? `${violation.from} -> ${violation.cycle.map((step) => step.name).join(' -> ')}` : `${violation.from} -> ${violation.to}`;
  return `${violation.rule.name}: ${path}`;
}
