// Races over a real socket: many clients (or one client retrying in a hurry) send the same code or
// the same refresh token at once. The commit queue decides them one at a time, so one code buys at
// most one token set (and its replays revoke it), and concurrent refreshes inside the grace window
// all get the same successor, leaving exactly one live token in the family. Runs against the
// memory store and the file store (where every answer waits for its journal write).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/core/index.ts';
import { REDIRECT_URI, TEST_CLIENT, WireClient } from '../kit/client.ts';
import { startTestServer, type TestServer } from '../kit/server.ts';
import { MAX_GRACE_RETRIES } from '../../src/core/refresh.ts';

const PARALLEL = 50;
const ROUNDS = Math.max(1, Number(process.env.RACE_ROUNDS ?? 3));

interface Figures {
  races: number;
  outcomes: Map<string, number>;
}

const figures: Record<string, Figures> = {};

function tally(store: string, outcome: string): void {
  const entry = (figures[store] ??= { races: 0, outcomes: new Map() });
  entry.outcomes.set(outcome, (entry.outcomes.get(outcome) ?? 0) + 1);
}

afterAll(() => {
  for (const [store, { races, outcomes }] of Object.entries(figures)) {
    const list = [...outcomes].map(([outcome, count]) => `${outcome} ×${count}`).join(', ');
    console.log(`[races] ${store} store: ${races} races of ${PARALLEL} parallel requests; outcomes: ${list}`);
  }
});

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function postToken(base: string, body: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function outcomeOf(answer: TokenAnswer): string {
  return answer.status === 200 ? '200 tokens' : `${answer.status} ${String(answer.body.error)}`;
}

/** A public client, registered over DCR. */
async function registerClient(base: string): Promise<string> {
  return (await new WireClient(base).register({ ...TEST_CLIENT, client_name: 'racer' })).clientId;
}

/** Authorization with PKCE, sign-in and consent in the server's own pages: a fresh, unused code. */
function freshCode(base: string, clientId: string): Promise<{ code: string; verifier: string }> {
  return new WireClient(base, { username: 'alice' }).code({ clientId, redirectUri: REDIRECT_URI }, { state: 'race', scope: 'notes:read notes:write offline_access' });
}

function codeRedemption(clientId: string, code: string, verifier: string): Record<string, string> {
  return { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: REDIRECT_URI };
}

const stores: { name: string; dataDir: () => Promise<string | undefined> }[] = [
  { name: 'memory', dataDir: async () => undefined },
  { name: 'file', dataDir: async () => join(await mkdtemp(join(tmpdir(), 'agent-notes-races-')), 'data') },
];

for (const store of stores) {
  describe(`[races] over HTTP, ${store.name} store`, () => {
    let server: TestServer;
    let base: string;
    let dataDir: string | undefined;

    beforeAll(async () => {
      dataDir = await store.dataDir();
      // Rate limits off (the kit's default): 50 requests at once from one client is exactly what they exist to stop.
      server = await startTestServer({ users: ['alice'], ...(dataDir === undefined ? {} : { dataDir }) });
      base = server.url;
    });
    afterAll(async () => {
      await server.close();
      if (dataDir !== undefined) await rm(join(dataDir, '..'), { recursive: true, force: true });
    });

    it(`[EC-18][REQ-09] ${PARALLEL} parallel redemptions of one code give exactly one token set, and the replays revoke it`, async () => {
      const clientId = await registerClient(base);
      for (let round = 0; round < ROUNDS; round += 1) {
        const { code, verifier } = await freshCode(base, clientId);
        const answers = await Promise.all(Array.from({ length: PARALLEL }, () => postToken(base, codeRedemption(clientId, code, verifier))));
        (figures[store.name] ??= { races: 0, outcomes: new Map() }).races += 1;
        for (const answer of answers) tally(store.name, `code: ${outcomeOf(answer)}`);

        const winners = answers.filter((answer) => answer.status === 200);
        expect(winners, 'exactly one redemption succeeds').toHaveLength(1);
        for (const loser of answers.filter((answer) => answer.status !== 200)) {
          expect(loser.status).toBe(400);
          expect(loser.body.error).toBe('invalid_grant');
        }
        const winner = winners[0]!.body;
        expect(typeof winner.access_token).toBe('string');
        expect(typeof winner.refresh_token).toBe('string');
        // The replays that lost the race revoked everything the winner got.
        expect((await server.services.verifyAccessToken(String(winner.access_token))).ok).toBe(false);
        const refresh = await postToken(base, { grant_type: 'refresh_token', client_id: clientId, refresh_token: String(winner.refresh_token) });
        expect(refresh.status).toBe(400);
        expect(refresh.body.error).toBe('invalid_grant');
      }
    });

    it(`[EC-31][REQ-16] ${PARALLEL} parallel refreshes of one token: one rotation and the capped grace retries get the same successor, the rest invalid_grant, and one live token remains in the family`, async () => {
      const clientId = await registerClient(base);
      for (let round = 0; round < ROUNDS; round += 1) {
        const { code, verifier } = await freshCode(base, clientId);
        const issued = await postToken(base, codeRedemption(clientId, code, verifier));
        expect(issued.status).toBe(200);
        const refreshToken = String(issued.body.refresh_token);
        const grantId = server.services.queue.state.refreshTokens[hashSecret(refreshToken)]?.grantId;
        expect(grantId).toBeDefined();

        const answers = await Promise.all(Array.from({ length: PARALLEL }, () => postToken(base, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken })));
        figures[store.name]!.races += 1;
        for (const answer of answers) tally(store.name, `refresh: ${outcomeOf(answer)}`);

        // EC-31: retries inside the grace window get the same successor, up to the cap; the rest are
        // refused without revoking anything (Decisions, "Grace retries").
        const accepted = answers.filter((answer) => answer.status === 200);
        expect(accepted).toHaveLength(1 + MAX_GRACE_RETRIES);
        expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body.error)).toEqual(Array(PARALLEL - 1 - MAX_GRACE_RETRIES).fill('invalid_grant'));
        const successors = new Set(accepted.map((answer) => answer.body.refresh_token));
        expect([...successors]).toHaveLength(1);
        const [successor] = successors;
        expect(successor).not.toBe(refreshToken);
        // Each accepted answer carries its own access token, all alive: the grant was not revoked.
        for (const answer of accepted) expect((await server.services.verifyAccessToken(String(answer.body.access_token))).ok).toBe(true);

        const family = Object.values(server.services.queue.state.refreshTokens).filter((record) => record.grantId === grantId);
        const live = family.filter((record) => record.rotation === undefined);
        expect(live.map((record) => record.tokenHash)).toEqual([hashSecret(String(successor))]);
        expect(family).toHaveLength(2); // the presented token (rotated, remembered) and its successor

        // The successor works; after that, the original is reuse outside the chain and kills the family.
        const next = await postToken(base, { grant_type: 'refresh_token', client_id: clientId, refresh_token: String(successor) });
        expect(next.status).toBe(200);
        const reuse = await postToken(base, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
        expect(reuse.body.error).toBe('invalid_grant');
        expect(Object.values(server.services.queue.state.refreshTokens).filter((record) => record.grantId === grantId)).toEqual([]);
      }
    });
  });
}
