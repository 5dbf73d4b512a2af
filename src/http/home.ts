// GET / (the signed-in landing page) and the stylesheet every page links.
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { STYLESHEET_FILE, STYLESHEET_URL } from '../ui/layout.ts';
import { renderHome } from '../ui/home.ts';
import { sendPage, seeOther } from './pages.ts';
import { currentSession } from './session.ts';
import type { Services } from './services.ts';

export function homeRoutes(router: Router, services: Services): void {
  const stylesheet = readFileSync(STYLESHEET_FILE, 'utf8');
  router.get(STYLESHEET_URL, (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });
  router.get('/', (ctx) => {
    const session = currentSession(ctx, services);
    if (!session) return seeOther(ctx, '/login');
    const user = services.queue.state.users[session.userId];
    sendPage(ctx, 200, renderHome({ username: user?.username ?? '', mcpUrl: services.config.core.resource, csrf: session.csrf }));
  });
}
