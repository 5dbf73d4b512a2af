// Sign-in (sign-out is in sign-out.ts). The login form is a plain HTML form (username, password) protected by a
// double-submit CSRF value; a session starts only after argon2id verification.
import type Router from '@koa/router';
import { startSession } from '../../accounts/sessions.ts';
import { hashPassword, verifyPassword } from '../../accounts/passwords.ts';
import { findUserByName } from '../../accounts/users.ts';
import { renderLogin } from '../../ui/login.ts';
import { formParams } from '../middleware/body.ts';
import { passwordChecked } from '../middleware/sign-in-limit.ts';
import { field, sendErrorPage, sendPage, seeOther } from './pages.ts';
import { currentSession, formCsrf, preSessionCsrfValid, safeReturnTo, SESSION_TTL, setSessionCookie } from './session.ts';
import type { Services } from '../../app/services.ts';

export function loginRoutes(router: Router, services: Services): void {
  // Verifying against a real hash when the user does not exist keeps timing from revealing usernames.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(services.fresh()));

  router.get('/login', (ctx) => {
    // A repeated return_to arrives as a list: no single place to return to.
    const returnTo = safeReturnTo(typeof ctx.query.return_to === 'string' ? ctx.query.return_to : undefined);
    if (currentSession(ctx, services)) return seeOther(ctx, returnTo);
    sendPage(ctx, 200, renderLogin({ action: '/login', returnTo, csrf: formCsrf(ctx, services) }));
  });

  router.post('/login', async (ctx) => {
    const form = formParams(ctx) ?? {};
    const returnTo = safeReturnTo(field(form, 'return_to'));
    if (!preSessionCsrfValid(ctx, services, field(form, 'csrf'))) {
      return sendErrorPage(ctx, 403, 'Please try again', 'The sign-in form expired or was sent from another site. Reload the sign-in page and try again.');
    }
    const username = field(form, 'username') ?? '';
    const password = field(form, 'password') ?? '';
    const user = findUserByName(services.queue.state, username);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    passwordChecked(ctx, user !== undefined && valid);
    if (!user || !valid) {
      return sendPage(ctx, 401, renderLogin({ action: '/login', returnTo, csrf: formCsrf(ctx, services), username, error: 'That username and password do not match.' }));
    }
    const token = services.fresh();
    await services.queue.apply((state) => startSession(state, { userId: user.userId, sessionToken: token, csrf: services.fresh(), now: services.now(), ttl: SESSION_TTL }));
    setSessionCookie(ctx, services, token);
    seeOther(ctx, returnTo);
  });
}
