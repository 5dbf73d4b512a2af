// The scenario library over HTTP: every command a scenario sends goes to a real server on
// 127.0.0.1 as the requests a client and a browser would make (test/model-based/http-executor.ts),
// and every answer must be the reference model's; a `use` step is a real /mcp call with the
// access token the server signed.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReferenceModel } from '../../model/model.ts';
import { parseScenario, runScenario } from '../../spec/explain/index.ts';
import { HttpSystem } from '../model-based/http-executor.ts';
import { config, PREDEFINED_SECRETS, s256, World, type Ctx } from '../model-based/world.ts';

const LIBRARY = new URL('../../spec/scenarios/', import.meta.url);
const files = readdirSync(LIBRARY).filter((file) => file.endsWith('.yaml')).sort();

describe('[explain] the scenario library against the real server over HTTP', () => {
  for (const file of files) {
    const scenario = parseScenario(readFileSync(new URL(file, LIBRARY), 'utf8'), file);
    it(`[${scenario.rules.join('][')}] ${file}: the server answers every step as the model does`, async () => {
      const world = new World();
      const ctx: Ctx = { world, model: new ReferenceModel({ config, s256, predefinedSecrets: PREDEFINED_SECRETS }) };
      const system = await HttpSystem.start(world);
      try {
        for (const report of runScenario(scenario)) {
          if (report.command !== undefined) {
            world.now = report.command.now;
            const observed = await system.execute(ctx, report.command);
            // The consent page ticks the requested scopes the browser was shown.
            if (observed.kind === 'consent_required') world.requests.push({ requestId: observed.requestId, clientId: observed.clientId, redirectUri: observed.redirectUri, verifier: '', scopes: observed.scopes });
          } else if (report.accessToken !== undefined) {
            world.now = 1_700_000_000 + report.at;
            const jwt = world.accessTokenJwts.get(report.accessToken.jti);
            expect(jwt, `step ${report.index}: the server never issued ${report.accessToken.jti}`).toBeDefined();
            const response = await fetch(`${system.base}/mcp`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
            });
            await response.body?.cancel();
            expect(response.status, `step ${report.index} (use)`).toBe(ctx.model.isAccessTokenLive(report.accessToken, world.now) ? 200 : 401);
          }
        }
      } finally {
        await system.close();
      }
    });
  }
});
