// HTTP fuzzing of every endpoint over a real socket (memory store, rate limits off so requests get
// past them and reach the routes). Budget: FUZZ_HTTP_RUNS batches of 1 to 6 concurrent requests
// (default 1,000, about 10 s; `npm run fuzz:http` runs 20,000); FC_SEED replays a failing run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { anyHostileRequest, ENDPOINTS, hostileRequest } from './hostile-requests.ts';
import { Figures, fuzzHttp, fuzzRuns } from './http-fuzzer.ts';
import { buildWorld, type World } from './http-world.ts';

const RUNS = fuzzRuns(1000);

let world: World;
const figures = new Figures();
const started = performance.now();

beforeAll(async () => {
  world = await buildWorld({ env: { RATE_LIMITS: 'off' } });
});
afterAll(async () => {
  console.log(figures.summary('memory store, every endpoint', performance.now() - started));
  await world.close();
});

describe('[fuzz] hostile requests to every endpoint', () => {
  it('[OA21-07][REQ-10][RFC9700-07] no hostile request gets a 5xx, an answer in the wrong shape, or a redirect to an unvalidated URI', async () => {
    await fuzzHttp(world, anyHostileRequest(world), RUNS, figures);
  });

  it('[OA21-07][REQ-10] the authorization and consent endpoints never redirect anywhere but a registered redirect URI', async () => {
    const aimed = ENDPOINTS.filter((endpoint) => ['/oauth/authorize', '/consent'].includes(endpoint.route));
    await fuzzHttp(world, fc.oneof(...aimed.map((endpoint) => hostileRequest(world, endpoint))), Math.ceil(RUNS / 2), figures);
  });
});
