// The account page: the MCP URL to paste into ChatGPT and Claude, changing the password (every
// other session ends, and every connected app unless the person unticks the box), and signing out
// everywhere (every session ends, this one included).
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { changePassword } from '../../accounts/password-change.ts';
import { connectedApps } from '../../core/queries.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../../accounts/passwords.ts';
import { liveSessionCount } from '../../accounts/queries.ts';
import { endAllSessions } from '../../accounts/sessions.ts';
import { renderAccount } from '../../ui/account.ts';
import { passwordChecked } from '../middleware/sign-in-limit.ts';
import { field, sendPage, seeOther } from './pages.ts';
import { clearSessionCookie } from './session.ts';
import type { Services } from '../../app/services.ts';
import { disconnectEveryApp, peopleContext } from '../../app/people.ts';
import type { SignedIn, WebPages } from './guard.ts';

const PASSWORD_CHANGED = 'Your password was changed. Every other browser was signed out';

/** The confirmation after a password change; `disconnected` is the count the redirect carries, if any. */
function passwordNotice(ctx: RouterContext): string | undefined {
  if (ctx.query.done !== 'password') return undefined;
  const raw = ctx.query.disconnected;
  if (typeof raw !== 'string' || !/^[0-9]{1,6}$/.test(raw)) return `${PASSWORD_CHANGED}. Connected apps stay connected.`;
  const count = Number(raw);
  if (count === 0) return `${PASSWORD_CHANGED}. No app was connected, so none was disconnected.`;
  return `${PASSWORD_CHANGED}, and ${count} connected ${count === 1 ? 'app was' : 'apps were'} disconnected: connect ${count === 1 ? 'it' : 'them'} again to use ${count === 1 ? 'it' : 'them'}.`;
}

const PASSWORD_PROBLEMS = {
  password_too_short: `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.`,
  password_too_long: `Choose a new password of at most ${MAX_PASSWORD_LENGTH} characters.`,
  password_mismatch: 'The two new passwords differ. Type the same new password twice.',
} as const;

export function accountPageRoutes(router: Router, services: Services, pages: WebPages): void {
  function account(ctx: RouterContext, who: SignedIn, status: number, message: { error?: string; notice?: string } = {}): void {
    const state = services.queue.state;
    const { userId } = who.user;
    sendPage(ctx, status, renderAccount({
      nav: who.nav,
      mcpUrl: services.config.core.resource,
      sessionCount: liveSessionCount(state, userId, services.now()),
      appCount: connectedApps(state, services.config.core, userId).length,
      ...message,
    }));
  }

  router.get('/account', pages.page((ctx, who) => {
    const notice = passwordNotice(ctx);
    account(ctx, who, 200, notice === undefined ? {} : { notice });
  }));

  router.post('/account/password', pages.form(async (ctx, who) => {
    const current = field(who.form, 'current_password') ?? '';
    const next = field(who.form, 'new_password') ?? '';
    const accepted = await verifyPassword(who.user.passwordHash, current);
    // SEC-PWD-01: a wrong current password is a guess like a failed sign-in, under the same limits.
    passwordChecked(ctx, accepted);
    if (!accepted) {
      return account(ctx, who, 400, { error: 'The current password is not right. Type the password you signed in with.' });
    }
    const problem = passwordProblem(next, field(who.form, 'new_password_confirm') ?? '');
    if (problem !== undefined) return account(ctx, who, 400, { error: PASSWORD_PROBLEMS[problem] });
    const passwordHash = await hashPassword(next);
    await services.queue.apply((state) => changePassword(state, { userId: who.user.userId, passwordHash, keepSessionHash: who.session.sessionHash }));
    // The box is ticked by default: an app connected by whoever knew the old password must go too.
    if (field(who.form, 'disconnect_apps') !== 'on') return seeOther(ctx, '/account?done=password');
    seeOther(ctx, `/account?done=password&disconnected=${await disconnectEveryApp(peopleContext(services), who.user.userId)}`);
  }));

  router.post('/account/signout-everywhere', pages.form(async (ctx, who) => {
    await services.queue.apply((state) => endAllSessions(state, who.user.userId));
    clearSessionCookie(ctx, services);
    seeOther(ctx, '/login');
  }));
}
