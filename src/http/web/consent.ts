// The consent step between a validated authorization request and the code: the signed-in person
// sees who is asking and for what, and approves (all or some scopes) or denies. The core decides
// whether the request still waits and whether remembered consent covers it (`consentStep`); this
// route only renders the page or runs the decision.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { csrfMatches } from '../../accounts/csrf.ts';
import { findUserById } from '../../accounts/queries.ts';
import type { SessionRecord } from '../../accounts/types.ts';
import { consentStep } from '../../core/consent.ts';
import { redirectLocation } from '../../core/index.ts';
import { pendingRequest } from '../../core/queries.ts';
import type { DecideCommand } from '../../core/index.ts';
import { renderConsent } from '../../ui/consent.ts';
import { formParams } from '../middleware/body.ts';
import { field, sendErrorPage, sendPage, seeOther } from './pages.ts';
import { currentSession, signInFirst } from './session.ts';
import type { Services } from '../../app/services.ts';

const EXPIRED = 'This connection request expired or was already answered. Start connecting again from ChatGPT, Claude or your MCP client.';

async function decide(ctx: Context, services: Services, session: SessionRecord, requestId: string, decision: DecideCommand['decision']): Promise<void> {
  const outcome = await services.queue.run({ type: 'decide', now: services.now(), requestId, userId: session.userId, decision, fresh: { code: services.fresh() } });
  if (outcome.kind === 'redirect') return seeOther(ctx, redirectLocation(outcome.redirect));
  sendErrorPage(ctx, 400, 'The connection could not be approved', outcome.error.description);
}

export function consentRoutes(router: Router, services: Services): void {
  router.get('/consent', async (ctx) => {
    const requestId = typeof ctx.query.request === 'string' ? ctx.query.request : undefined;
    const session = currentSession(ctx, services);
    if (!session) return seeOther(ctx, signInFirst(ctx.originalUrl));
    const state = services.queue.state;
    const step = consentStep(state, services.config.core, requestId, session.userId, services.now());
    if (step.kind === 'expired' || requestId === undefined) return sendErrorPage(ctx, 400, 'Nothing to approve', EXPIRED);
    if (step.kind === 'remembered') return decide(ctx, services, session, requestId, { approve: true });
    const { request, client, loopbackOnly } = step;
    sendPage(ctx, 200, renderConsent({
      action: '/consent',
      csrf: session.csrf,
      requestId,
      ...(client?.clientName === undefined ? {} : { clientName: client.clientName }),
      // CLA-15: a metadata-document client is who its document's host says, whatever its name.
      clientHost: new URL(client?.source === 'cimd' ? client.clientId : request.redirectUri).host,
      redirectHost: new URL(request.redirectUri).host,
      scopes: request.scopes,
      loopbackOnly,
      username: findUserById(state, session.userId)?.username ?? '',
      accessTokenTtl: services.config.core.accessTokenTtl,
    }));
  });

  router.post('/consent', async (ctx) => {
    const session = currentSession(ctx, services);
    if (!session) return sendErrorPage(ctx, 401, 'Please sign in again', 'Your session ended before you answered. ' + EXPIRED);
    const form = formParams(ctx) ?? {};
    const given = field(form, 'csrf');
    if (given === undefined || !csrfMatches(session.csrf, given)) {
      return sendErrorPage(ctx, 403, 'Please try again', 'The form expired or was sent from another site. Start connecting again from your app.');
    }
    const requestId = field(form, 'request_id');
    if (!pendingRequest(services.queue.state, requestId, services.now()) || requestId === undefined) return sendErrorPage(ctx, 400, 'Nothing to approve', EXPIRED);
    const decision = field(form, 'decision');
    if (decision === 'deny') return decide(ctx, services, session, requestId, { approve: false });
    if (decision !== 'approve') return sendErrorPage(ctx, 400, 'Choose Approve or Deny', 'The form did not say whether to approve. Go back and choose one of the buttons.');
    const raw = form.scope;
    const scopes = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (scopes.length === 0) return sendErrorPage(ctx, 400, 'Nothing was approved', 'Tick at least one permission and approve, or choose Deny. Go back to the previous page to answer again.');
    return decide(ctx, services, session, requestId, { approve: true, scopes });
  });
}
