// GET / (into the notes, or to sign-in) and the stylesheet every page links.
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { STYLESHEET_FILE, STYLESHEET_URL } from '../../ui/layout.ts';
import { seeOther } from './pages.ts';
import { currentSession } from './session.ts';
import type { Services } from '../../app/services.ts';

export function homeRoutes(router: Router, services: Services): void {
  const stylesheet = readFileSync(STYLESHEET_FILE, 'utf8');
  router.get(STYLESHEET_URL, (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });
  // The notes are the app; the account page shows the URL to paste into ChatGPT and Claude.
  router.get('/', (ctx) => seeOther(ctx, currentSession(ctx, services) ? '/notes' : '/login?return_to=%2Fnotes'));
}
