// The web app's routes: notes, public notes, connected apps, account and sign-out, each page family behind
// the one signed-in guard (guard.ts).
import type Router from '@koa/router';
import type { Services } from '../../app/services.ts';
import { accountPageRoutes } from './account.ts';
import { appsPageRoutes } from './apps.ts';
import { webPages } from './guard.ts';
import { noteHistoryRoutes } from './note-history.ts';
import { notesPageRoutes } from './notes.ts';
import { accountArchiveRoutes } from './account-archive.ts';
import { tagRoutes } from './tags.ts';
import { trashRoutes } from './trash.ts';
import { publicNoteRoutes } from './public-notes.ts';
import { signOutRoutes } from './sign-out.ts';

/** Registers the web app's routes: notes, public notes, connected apps, account and sign-out. */
export function webAppRoutes(router: Router, services: Services): void {
  const pages = webPages(services);
  notesPageRoutes(router, services, pages);
  noteHistoryRoutes(router, services, pages);
  trashRoutes(router, services, pages);
  tagRoutes(router, services, pages);
  accountArchiveRoutes(router, services, pages);
  publicNoteRoutes(router, services);
  appsPageRoutes(router, services, pages);
  accountPageRoutes(router, services, pages);
  signOutRoutes(router, services, pages);
}
