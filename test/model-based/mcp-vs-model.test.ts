// Model-based test of `/mcp`: random sequences of people connecting apps, time passing, refreshes,
// revocations, disconnections and tool calls, against a real server on 127.0.0.1 (half the runs
// in oauth mode, half in mixed mode). The access model decides who may call what and how a refusal
// looks; the notes model decides what a tool that ran must answer. A run costs a server start and
// a few real connections, so the budget is a tenth of FC_NUM_RUNS. Failures print the line
// that replays them (replay.ts).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LIFETIMES } from '../../model/lifetimes.ts';
import type { Mode } from '../../model/mcp.ts';
import { McpSystem } from './mcp-system.ts';
import { mcpOperations, McpWorld, prologue, seen } from './mcp-operations.ts';
import { replayFromEnv, reportFailure } from './replay.ts';

const numRuns = Math.max(1, Math.floor(Number(process.env.FC_NUM_RUNS ?? 1000) / 10));
const replay = replayFromEnv();

describe('[model] /mcp and the notes tools agree with the access and notes models', () => {
  it('[REQ-02][REQ-03][REQ-04][REQ-05][EC-33][EC-34][EC-35][EC-37][CGPT-41] tool calls with live, expired, revoked, disconnected and foreign tokens, across two people, agree with the models', async () => {
    const details = await fc.check(
      fc.asyncProperty(fc.constantFrom<Mode>('oauth', 'mixed'), fc.commands(mcpOperations, { maxCommands: 40, size: 'max', ...replay.commands }), async (mode, commands) => {
        const world = new McpWorld(mode);
        const system = await McpSystem.start(mode, world.clock);
        try {
          for (const command of prologue()) await command.run(world, system);
          await fc.asyncModelRun(() => ({ model: world, real: system }), commands);
        } finally {
          await system.close();
        }
      }),
      { numRuns, ...replay.parameters },
    );
    reportFailure('test/model-based/mcp-vs-model.test.ts', details);
    // Coverage: with the full budget every way a token stops working, and every notes answer, was
    // exercised (a run that stopped early, or a small FC_NUM_RUNS, proves nothing either way).
    if (details.numRuns < 100 || replay.parameters.seed !== undefined) return;
    const missing = [
      'refused: expired', 'called at the end of the tolerance', ...(LIFETIMES.accessTokenTolerance > 0 ? ['called within the tolerance'] : []), 'refused: grant revoked', 'refused: token revoked', 'refused: another audience', 'refused: not a token of ours',
      'caller none', 'http 401', 'http 403', 'in_band invalid_token', 'in_band insufficient_scope', 'refreshed', 'refresh refused',
      'disconnect grant_revoked', 'disconnect not_found',
      ...['search', 'fetch', 'list_notes', 'create_note', 'update_note', 'delete_note'].flatMap((tool) => [`${tool} ok`, ...(tool === 'search' || tool === 'list_notes' ? [] : [`${tool} tool_error`])]),
    ].filter((what) => !seen.has(what));
    expect(missing, 'kinds of call the runs never made').toEqual([]);
  }, 600_000);

  afterAll(() => {
    const rows = [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => `${what.padEnd(32)} ${n}`);
    console.log(`/mcp model run, ${numRuns} sequences:\n  ${rows.join('\n  ')}`);
  });
});
