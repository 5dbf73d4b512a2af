// GET /healthz, for a service manager, a load balancer or an uptime check: is the process up, can
// the store still write, is a signing key loaded. It says nothing else: no version, no counts, no
// paths, since anyone on the internet can ask.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type Router from '@koa/router';
import type { Services } from '../app/services.ts';

type Check = 'ok' | 'failing';

async function storeWritable(services: Services): Promise<Check> {
  // A failed journal write stops the commit queue for good (fail-stop): only a restart recovers.
  if (services.queue.failed) return 'failing';
  const { dataDir } = services.config;
  if (dataDir === undefined) return 'ok';
  return access(dataDir, constants.W_OK).then(() => 'ok' as const, () => 'failing' as const);
}

function keyLoaded(services: Services): Check {
  return services.signingKeys.roles().some((key) => key.role === 'signing') ? 'ok' : 'failing';
}

export function healthRoutes(router: Router, services: Services): void {
  router.get('/healthz', async (ctx) => {
    const checks = { store: await storeWritable(services), keys: keyLoaded(services) };
    const ok = Object.values(checks).every((check) => check === 'ok');
    ctx.status = ok ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: ok ? 'ok' : 'unavailable', checks };
  });
}
