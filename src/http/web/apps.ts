// Connected apps: the signed-in person's grants, and disconnecting one. Revoking goes through the
// core's `revokeGrant` command, which deletes the grant and its refresh tokens; access tokens die
// with it because the resource server checks that their grant still exists (REQ-02: next call 401).
import type Router from '@koa/router';
import type { ClientRecord } from '../../core/index.ts';
import { connectedApps, type ConnectedApp as Connection } from '../../core/queries.ts';
import { renderApps, type ConnectedApp } from '../../ui/apps.ts';
import { sendPage, seeOther } from './pages.ts';
import type { Services } from '../../app/services.ts';
import type { WebPages } from './guard.ts';

const NOTICES = { revoked: 'Disconnected. That app’s tokens no longer work.' } as const;

function hostOf(uri: string): string | undefined {
  try {
    return new URL(uri).host || undefined;
  } catch {
    return undefined;
  }
}

/** What cannot be faked about an app: the host of a URL client_id (CIMD), else of its redirect URIs. */
export function appHost(clientId: string, client: ClientRecord | undefined): string {
  if (clientId.startsWith('https://')) {
    const host = hostOf(clientId);
    if (host !== undefined) return host;
  }
  const hosts = [...new Set((client?.redirectUris ?? []).map(hostOf).filter((host) => host !== undefined))];
  return hosts.length === 0 ? 'unknown address' : hosts.join(', ');
}

export function appsPageRoutes(router: Router, services: Services, pages: WebPages): void {
  function connectedApp({ grant, client }: Connection): ConnectedApp {
    return {
      grantId: grant.grantId,
      ...(client?.clientName === undefined ? {} : { name: client.clientName }),
      host: appHost(grant.clientId, client),
      scopes: grant.scopes,
      createdAt: grant.createdAt,
      lastUsedAt: grant.lastUsedAt,
    };
  }

  router.get('/apps', pages.page((ctx, who) => {
    const apps = connectedApps(services.queue.state, services.config.core, who.user.userId).map(connectedApp);
    const notice = pages.notice(ctx, NOTICES);
    sendPage(ctx, 200, renderApps({ nav: who.nav, apps, mcpUrl: services.config.core.resource, ...(notice === undefined ? {} : { notice }) }));
  }));

  router.post('/apps/:grantId/revoke', pages.form(async (ctx, who) => {
    const grantId = ctx.params.grantId ?? '';
    const outcome = await services.queue.run({ type: 'revokeGrant', now: services.now(), grantId, userId: who.user.userId });
    if (outcome.kind !== 'grant_revoked') {
      return pages.fail(ctx, who, 404, 'App not connected', 'That app is not connected (any more): it may have been disconnected already.', { href: '/apps', label: 'See connected apps' });
    }
    seeOther(ctx, '/apps?done=revoked');
  }));
}
