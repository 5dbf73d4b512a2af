// Signing out (POST /logout, the header's form). It is a form of the signed-in app like any other:
// without the session's CSRF token it is refused with the same 403 page, and the session and its
// cookie stay as they were; with it the session ends in the store, then the cookie is cleared.
import type Router from '@koa/router';
import { endSession } from '../../accounts/sessions.ts';
import { seeOther } from './pages.ts';
import { clearSessionCookie, currentSession, sessionToken } from './session.ts';
import type { Services } from '../../app/services.ts';
import type { WebPages } from './guard.ts';

export function signOutRoutes(router: Router, services: Services, pages: WebPages): void {
  const signOut = pages.form(async (ctx) => {
    await services.queue.apply((state) => endSession(state, sessionToken(ctx, services)!));
    clearSessionCookie(ctx, services);
    seeOther(ctx, '/login');
  });

  router.post('/logout', async (ctx, next) => {
    // No live session: nothing to end, so a stale cookie is simply cleared.
    if (currentSession(ctx, services) === undefined) {
      clearSessionCookie(ctx, services);
      return seeOther(ctx, '/login');
    }
    // SEC-LOGOUT-01: never a cleared cookie in front of a session that lives on.
    return signOut(ctx, next);
  });
}
