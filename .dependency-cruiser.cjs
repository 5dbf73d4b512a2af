// The layering rules of ARCHITECTURE.md ("Layout and layers"), checked in `npm test` by
// test/layers/layers.test.ts and drawn into the README by `npm run layers`.
// Arrows point down only: adapters (http, mcp, cli) -> app -> domains (core, notes, accounts) ->
// records; store, tokens and clients are used by app; ui is pure rendering used by http.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-records',
      comment: 'The core is a pure state machine: it builds on src/records and node:crypto (hashing) alone, so it can be replayed, model-checked and mutated in isolation.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^src/records/', '^(node:)?crypto$'] },
    },
    {
      name: 'model-imports-only-command-contract',
      comment: 'The reference model is written from the rules, not from the code: the one thing it takes from src/ is the command vocabulary it shares with the core.',
      severity: 'error',
      from: { path: '^model/' },
      to: { path: '^src/', pathNot: '^src/core/commands\\.ts$' },
    },
    {
      name: 'http-not-to-mcp',
      comment: 'The HTTP routes and /mcp are sibling adapters on src/app; neither reaches into the other.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/mcp/' },
    },
    {
      name: 'mcp-not-to-http',
      comment: '/mcp shares only the HTTP plumbing (body, bounds, the refusal module) in src/http/middleware/, never the OAuth endpoints or the web pages.',
      severity: 'error',
      from: { path: '^src/mcp/' },
      to: { path: '^src/http/', pathNot: '^src/http/middleware/' },
    },
    {
      name: 'domains-not-upward',
      comment: 'The domains (core, notes, accounts, records) are pure: from src/ they import only each other, never app, a store, tokens, an adapter, the ui or the composition files.',
      severity: 'error',
      from: { path: '^src/(core|notes|accounts|records)/' },
      to: { path: '^src/', pathNot: '^src/(core|notes|accounts|records)/' },
    },
    {
      name: 'records-imports-nothing-from-src',
      comment: 'The record engine is generic: it knows no domain, so it imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/records/' },
      to: { path: '^src/', pathNot: '^src/records/' },
    },
    {
      name: 'app-not-to-adapters',
      comment: 'The application layer sits below the adapters: http, mcp, cli and the control socket depend on src/app, never the reverse, and only src/server.ts composes.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(http/|mcp/|cli/|control/|server\\.ts$)' },
    },
    {
      name: 'control-below-cli',
      comment: "The control socket is the operator's adapter on src/app: the CLI uses its protocol and handlers, while it never reaches into the CLI or the HTTP adapters.",
      severity: 'error',
      from: { path: '^src/control/' },
      to: { path: '^src/(http|mcp|cli)/' },
    },
    {
      name: 'web-adapters-not-to-control',
      comment: 'What the control socket can do is reachable only from the data directory, never from a route.',
      severity: 'error',
      from: { path: '^src/(http|mcp)/' },
      to: { path: '^src/control/' },
    },
    {
      name: 'clients-below-app',
      comment: 'Client identity on the shell side (documents, key sets, the fetch guard) is used by src/app; from src/ it imports only itself and the core rules it asks, never app, an adapter, a store or tokens.',
      severity: 'error',
      from: { path: '^src/clients/' },
      to: { path: '^src/', pathNot: '^src/(clients|core)/' },
    },
    {
      name: 'adapters-reach-clients-through-app',
      comment: 'The routes ask the services for client documents and assertions; fetching is not theirs to start.',
      severity: 'error',
      from: { path: '^src/(http|mcp|cli)/' },
      to: { path: '^src/clients/' },
    },
    {
      name: 'ui-is-pure-rendering',
      comment: 'Pages are pure functions from data to HTML: from src/ the ui imports only itself and the domain types it renders, never an adapter, app, a store or tokens.',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/', pathNot: '^src/(ui|core|notes|accounts|records)/' },
    },
    {
      name: 'no-circular',
      comment: 'A circle among modules means no module in it can be read, tested or moved on its own.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests',
      comment: 'Shipped code never depends on tests, the model or the spec, except the black-box conformance client in spec/conformance/ the scenario runner in spec/explain/ (with the model it runs) and the fuzzer in spec/fuzz/ (with the rule catalogue it classifies by), which the `conformance`, `explain` and `fuzz` commands run.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|spec|model|bench)/', pathNot: '^(spec/conformance/|spec/explain/|spec/fuzz/|spec/catalogue\\.ts$|model/)' },
    },
    {
      name: 'imports-resolve',
      comment: 'An import dependency-cruiser cannot resolve escapes every rule above, so each one must resolve.',
      severity: 'error',
      from: { path: '^(src|model)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Packages are named by where they are installed (node_modules/...), also when node_modules
    // is a symlink, as it is in a worktree.
    preserveSymlinks: true,
    // Imports name their .ts files (allowImportingTsExtensions), and packages resolve through
    // their "exports" maps the way Node's ESM loader does.
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types', 'require'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
