// The layering rules of ARCHITECTURE.md, as written in .dependency-cruiser.cjs: one test per rule
// over src/ and model/, so a broken rule names itself, and a fixture tree that breaks every rule
// once, so each rule is shown to bite (and its one allowed exception to pass).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cruiseLayers, describeViolation, layerOptions } from './cruise.ts';

/** Each rule of the config and the sentence its test is titled with. */
const TITLES: Record<string, string> = {
  'core-imports-only-records': 'the core imports only src/records, itself and node:crypto',
  'model-imports-only-command-contract': 'the model imports nothing from src/ but the command contract src/core/commands.ts',
  'http-not-to-mcp': 'src/http never imports src/mcp',
  'mcp-not-to-http': 'src/mcp imports nothing from src/http but its middleware',
  'domains-not-upward': 'the domains (core, notes, accounts, records) import nothing from src/ above them',
  'records-imports-nothing-from-src': 'src/records imports nothing else from src/',
  'app-not-to-adapters': 'src/app never imports an adapter (http, mcp, cli, control) or src/server.ts',
  'control-below-cli': 'src/control never imports the CLI or the HTTP adapters',
  'web-adapters-not-to-control': 'src/http and src/mcp never import src/control',
  'clients-below-app': 'src/clients imports only itself and the core',
  'adapters-reach-clients-through-app': 'http, mcp and cli never import src/clients (the services do)',
  'ui-is-pure-rendering': 'src/ui imports only itself and the domains',
  'no-circular': 'no circle of imports inside src/',
  'src-not-to-tests': 'src/ never imports test/, model/ or spec/ (but the conformance client, the scenario runner, the fuzzer and the catalogue it classifies by)',
  'imports-resolve': 'every import of src/ and model/ resolves, so no import escapes the rules',
};

const ruleNames = ((await layerOptions()).ruleSet?.forbidden ?? []).map((rule) => rule.name ?? '(unnamed)');

function violationsOf(result: ICruiseResult, rule: string): string[] {
  return result.summary.violations.filter((violation) => violation.rule.name === rule).map(describeViolation);
}

describe('[layers] the code', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    result = await cruiseLayers(['src', 'model']);
  });

  it('[layers] every rule in .dependency-cruiser.cjs has a test here, and every test a rule', () => {
    expect([...ruleNames].sort()).toEqual(Object.keys(TITLES).sort());
  });

  it('[layers] the cruise reaches the whole of src/ and model/ and into the npm packages', () => {
    const sources = result.modules.map((module) => module.source);
    expect(sources).toContain('src/core/step.ts');
    expect(sources).toContain('src/server.ts');
    expect(sources).toContain('model/model.ts');
    expect(sources.some((source) => source.startsWith('node_modules/'))).toBe(true);
  });

  for (const rule of ruleNames) {
    it(`[layers] ${TITLES[rule] ?? rule}`, () => {
      const found = violationsOf(result, rule);
      expect(found, `${found.length} import(s) break the rule ${rule}:\n  ${found.join('\n  ')}\n`).toEqual([]);
    });
  }
});

// A small tree that breaks each rule once (marked BREAKS) next to the imports the rules allow.
const FIXTURE: Record<string, string> = {
  'node_modules/left-pad/package.json': '{ "name": "left-pad", "main": "index.js" }',
  'node_modules/left-pad/index.js': 'module.exports = {};',
  'src/records/engine.ts': "import '../core/types.ts'; // BREAKS records-imports-nothing-from-src\nexport const engine = 1;",
  'src/core/types.ts': 'export type Command = { type: string };',
  'src/core/commands.ts': "export type { Command } from './types.ts';",
  'src/core/step.ts': [
    "import { createHash } from 'node:crypto';",
    "import '../records/engine.ts';",
    "import './types.ts';",
    "import 'node:fs'; // BREAKS core-imports-only-records",
    "import 'left-pad'; // BREAKS core-imports-only-records",
    "import '../app/services.ts'; // BREAKS core-imports-only-records, domains-not-upward",
    'export const step = createHash;',
  ].join('\n'),
  'src/notes/index.ts': "import '../core/types.ts';\nimport '../store/memory.ts'; // BREAKS domains-not-upward\nexport const notes = 1;",
  'src/accounts/index.ts': "import '../fresh-values.ts'; // BREAKS domains-not-upward\nexport const accounts = 1;",
  'src/fresh-values.ts': 'export const fresh = 1;',
  'src/store/memory.ts': 'export const memory = 1;',
  'src/clients/fetch.ts': "import '../core/types.ts';\nimport '../store/memory.ts'; // BREAKS clients-below-app\nexport const fetchDocument = 1;",
  'src/cli/client.ts': "import '../clients/fetch.ts'; // BREAKS adapters-reach-clients-through-app\nexport const client = 1;",
  'src/app/services.ts': "import '../http/app.ts'; // BREAKS app-not-to-adapters\nimport './missing.ts'; // BREAKS imports-resolve\nexport const services = 1;",
  'src/http/app.ts': "import '../mcp/index.ts'; // BREAKS http-not-to-mcp\nexport const app = 1;",
  'src/http/middleware/body.ts': 'export const body = 1;',
  'src/http/web/home.ts': "import './routes.ts'; // BREAKS no-circular\nexport const home = 1;",
  'src/http/web/routes.ts': "import './home.ts'; // BREAKS no-circular\nexport const routes = 1;",
  'src/mcp/index.ts': "import '../http/middleware/body.ts';\nimport '../http/web/home.ts'; // BREAKS mcp-not-to-http\nimport '../control/socket.ts'; // BREAKS web-adapters-not-to-control\nexport const mcp = 1;",
  'src/control/socket.ts': "import '../fresh-values.ts';\nimport '../cli/client.ts'; // BREAKS control-below-cli\nexport const socket = 1;",
  'src/cli/keys.ts': "import '../control/socket.ts';\nexport const keys = 1;",
  'src/ui/page.ts': "import '../notes/index.ts';\nimport '../core/types.ts';\nimport '../app/services.ts'; // BREAKS ui-is-pure-rendering\nexport const page = 1;",
  'src/cli/main.ts': "import '../../spec/conformance/index.ts';\nimport '../../test/kit/server.ts'; // BREAKS src-not-to-tests\nexport const main = 1;",
  'spec/conformance/index.ts': 'export const conformance = 1;',
  'test/kit/server.ts': 'export const server = 1;',
  'model/model.ts': "import '../src/core/commands.ts';\nimport '../src/core/types.ts'; // BREAKS model-imports-only-command-contract\nexport const model = 1;",
};

/** What each rule must report on the fixture, and nothing more. */
const EXPECTED: Record<string, string[]> = {
  'core-imports-only-records': [
    'core-imports-only-records: src/core/step.ts -> fs',
    'core-imports-only-records: src/core/step.ts -> node_modules/left-pad/index.js',
    'core-imports-only-records: src/core/step.ts -> src/app/services.ts',
  ],
  'model-imports-only-command-contract': ['model-imports-only-command-contract: model/model.ts -> src/core/types.ts'],
  'http-not-to-mcp': ['http-not-to-mcp: src/http/app.ts -> src/mcp/index.ts'],
  'mcp-not-to-http': ['mcp-not-to-http: src/mcp/index.ts -> src/http/web/home.ts'],
  'domains-not-upward': [
    'domains-not-upward: src/accounts/index.ts -> src/fresh-values.ts',
    'domains-not-upward: src/core/step.ts -> src/app/services.ts',
    'domains-not-upward: src/notes/index.ts -> src/store/memory.ts',
  ],
  'records-imports-nothing-from-src': ['records-imports-nothing-from-src: src/records/engine.ts -> src/core/types.ts'],
  'app-not-to-adapters': ['app-not-to-adapters: src/app/services.ts -> src/http/app.ts'],
  'control-below-cli': ['control-below-cli: src/control/socket.ts -> src/cli/client.ts'],
  'web-adapters-not-to-control': ['web-adapters-not-to-control: src/mcp/index.ts -> src/control/socket.ts'],
  'clients-below-app': ['clients-below-app: src/clients/fetch.ts -> src/store/memory.ts'],
  'adapters-reach-clients-through-app': ['adapters-reach-clients-through-app: src/cli/client.ts -> src/clients/fetch.ts'],
  'ui-is-pure-rendering': ['ui-is-pure-rendering: src/ui/page.ts -> src/app/services.ts'],
  'no-circular': ['no-circular: src/http/web/home.ts -> src/http/web/routes.ts -> src/http/web/home.ts'],
  'src-not-to-tests': ['src-not-to-tests: src/cli/main.ts -> test/kit/server.ts'],
  'imports-resolve': ['imports-resolve: src/app/services.ts -> ./missing.ts'],
};

describe('[layers] the rules bite', () => {
  let dir: string;
  let result: ICruiseResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'layers-'));
    for (const [path, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    result = await cruiseLayers(['src', 'model'], { baseDir: dir, tsConfigFile: null });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[layers] every rule has its case in the fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ruleNames].sort());
  });

  for (const rule of ruleNames) {
    it(`[layers] a fixture import that breaks it is caught, and only that: ${TITLES[rule] ?? rule}`, () => {
      expect(violationsOf(result, rule).sort()).toEqual(EXPECTED[rule] ?? []);
    });
  }
});
