// First run: the one-time link printed at start creates the owner account, then signs them in.
import type Router from '@koa/router';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '../../accounts/passwords.ts';
import { startSession } from '../../accounts/sessions.ts';
import { consumeSetup, setupProblem } from '../../accounts/setup.ts';
import { hasUsers } from '../../accounts/users.ts';
import { renderSetup } from '../../ui/setup.ts';
import { formParams } from '../middleware/body.ts';
import { field, sendErrorPage, sendPage, seeOther } from './pages.ts';
import { formCsrf, preSessionCsrfValid, SESSION_TTL, setSessionCookie } from './session.ts';
import type { Services } from '../../app/services.ts';

const SETUP_ERRORS: Record<string, string> = {
  setup_invalid: 'This setup link is not valid. Use the latest link the server printed, or restart the server to print a new one.',
  setup_expired: 'This setup link has expired. Restart the server to print a new one.',
  setup_done: 'The owner account already exists. Sign in instead.',
  invalid_username: 'Choose a username of 1 to 64 letters, digits, dots, dashes or underscores.',
};

const DONE = 'This agent-notes server already has its owner. Sign in instead; to add people, run `agent-notes user add <name>` while the server is stopped.';

export function setupRoutes(router: Router, services: Services): void {
  router.get('/setup', (ctx) => {
    if (hasUsers(services.queue.state)) return sendErrorPage(ctx, 410, 'Already set up', DONE);
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    sendPage(ctx, 200, renderSetup({ action: '/setup', token, csrf: formCsrf(ctx, services) }));
  });

  router.post('/setup', async (ctx) => {
    if (hasUsers(services.queue.state)) return sendErrorPage(ctx, 410, 'Already set up', DONE);
    const form = formParams(ctx) ?? {};
    if (!preSessionCsrfValid(ctx, services, field(form, 'csrf'))) {
      return sendErrorPage(ctx, 403, 'Please try again', 'The setup form expired or was sent from another site. Open the setup link again.');
    }
    const token = field(form, 'token') ?? '';
    const username = field(form, 'username') ?? '';
    const password = field(form, 'password') ?? '';
    const again = (error: string) => sendPage(ctx, 400, renderSetup({ action: '/setup', token, csrf: formCsrf(ctx, services), error }));
    // SEC-SETUP-01: the token (and username) first; only a post that could succeed reaches argon2.
    const refused = setupProblem(services.queue.state, token, services.now(), username);
    if (refused !== undefined) return again(SETUP_ERRORS[refused] ?? 'The setup could not be completed.');
    const problem = passwordProblem(password, field(form, 'password_confirm') ?? '');
    if (problem === 'password_too_short') return again(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (problem === 'password_too_long') return again(`Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`);
    if (problem === 'password_mismatch') return again('The two passwords differ.');
    const passwordHash = await hashPassword(password);
    const userId = services.fresh();
    const outcome = await services.queue.apply((state) => consumeSetup(state, { token, now: services.now(), userId, username, passwordHash }));
    if (outcome.kind === 'error') return again(SETUP_ERRORS[outcome.error] ?? 'The setup could not be completed.');
    const session = services.fresh();
    await services.queue.apply((state) => startSession(state, { userId, sessionToken: session, csrf: services.fresh(), now: services.now(), ttl: SESSION_TTL }));
    setSessionCookie(ctx, services, session);
    seeOther(ctx, '/');
  });
}
