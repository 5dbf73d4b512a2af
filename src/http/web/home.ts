// GET / (into the notes, or to sign-in), and the stylesheet and favicon every page links.
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { FAVICON_FILE, FAVICON_URL, STYLESHEET_FILE, STYLESHEET_URL } from '../../ui/layout.ts';
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
  const favicon = readFileSync(FAVICON_FILE);
  router.get(FAVICON_URL, (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = favicon;
  });
  // Browsers ask for /favicon.ico whatever the page links: send them to the SVG.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 301;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.redirect(FAVICON_URL);
  });
  // The notes are the app; the account page shows the URL to paste into ChatGPT and Claude.
  router.get('/', (ctx) => seeOther(ctx, currentSession(ctx, services) ? '/notes' : '/login?return_to=%2Fnotes'));
}
