// The one signed-in guard of the web app: a page needs a live session (otherwise: sign in, then
// come back), and a form post also needs the session's CSRF token (MCP-45), checked before anything is read.
import type { RouterContext, RouterMiddleware } from '@koa/router';
import { csrfMatches } from '../../accounts/csrf.ts';
import { findUserById } from '../../accounts/queries.ts';
import type { SessionRecord, UserRecord } from '../../accounts/types.ts';
import type { Params } from '../../core/index.ts';
import { renderAppError, type Navigation } from '../../ui/notes-layout.ts';
import { formParams } from '../middleware/body.ts';
import { field, sendPage, seeOther } from './pages.ts';
import { currentSession, signInFirst } from './session.ts';
import type { Services } from '../../app/services.ts';

/** Who is asking, for a signed-in page. */
export interface SignedIn {
  session: SessionRecord;
  user: UserRecord;
  /** The header's data: username and the CSRF token of the sign-out form. */
  nav: Navigation;
}

export interface SignedInForm extends SignedIn {
  form: Params;
}

/** A file form (multipart): its text fields and files, read whole within a size bound. */
export interface SignedInUpload extends SignedIn {
  fields: Record<string, string>;
  files: Record<string, Uint8Array>;
}

export interface NextStep {
  href: string;
  label: string;
}

export interface WebPages {
  /** A page for the signed-in owner; anyone else is sent to sign in and brought back afterwards. */
  page(handler: (ctx: RouterContext, who: SignedIn) => Promise<void> | void): RouterMiddleware;
  /** A form post: a live session and its CSRF token, or a page that says what to do instead. */
  form(handler: (ctx: RouterContext, who: SignedInForm) => Promise<void> | void): RouterMiddleware;
  /** A file form post (multipart/form-data) of at most `maxBytes`: a live session and its CSRF token, like `form`. */
  upload(maxBytes: number, handler: (ctx: RouterContext, who: SignedInUpload) => Promise<void> | void): RouterMiddleware;
  /** An error page inside the app, with a link to what to do next. */
  fail(ctx: RouterContext, who: SignedIn | undefined, status: number, title: string, message: string, next: NextStep): void;
  /** The confirmation named by `?done=`, among the fixed messages a page knows (never echoed input). */
  notice(ctx: RouterContext, messages: Readonly<Record<string, string>>): string | undefined;
}

/** The section a path belongs to, for "go back" links on error pages. */
function sectionHome(path: string): NextStep {
  if (path.startsWith('/apps')) return { href: '/apps', label: 'Back to connected apps' };
  if (path.startsWith('/account')) return { href: '/account', label: 'Back to your account' };
  return { href: '/notes', label: 'Back to your notes' };
}

export function webPages(services: Services): WebPages {
  function signedIn(ctx: RouterContext): SignedIn | undefined {
    const session = currentSession(ctx, services);
    const user = session === undefined ? undefined : findUserById(services.queue.state, session.userId);
    if (session === undefined || user === undefined) return undefined;
    return { session, user, nav: { username: user.username, csrf: session.csrf, now: services.now() } };
  }

  const pages: WebPages = {
    page: (handler) => async (ctx) => {
      const who = signedIn(ctx);
      if (!who) return seeOther(ctx, signInFirst(ctx.originalUrl));
      await handler(ctx, who);
    },

    form: (handler) => async (ctx) => {
      const who = signedIn(ctx);
      if (!who) {
        return pages.fail(ctx, undefined, 401, 'Please sign in again', 'Your session ended before the form was sent, so nothing was changed.', { href: '/login', label: 'Sign in' });
      }
      const form = formParams(ctx) ?? {};
      // MCP-45: every form of the signed-in app carries the session-bound CSRF token.
      if (!csrfMatches(who.session.csrf, field(form, 'csrf'))) {
        return pages.fail(ctx, who, 403, 'Please try again', 'The form expired or was sent from another site, so nothing was changed. Go back, reload the page and send it again.', sectionHome(ctx.path));
      }
      await handler(ctx, { ...who, form });
    },

    upload: (maxBytes, handler) => async (ctx) => {
      const who = signedIn(ctx);
      if (!who) {
        return pages.fail(ctx, undefined, 401, 'Please sign in again', 'Your session ended before the form was sent, so nothing was changed.', { href: '/login', label: 'Sign in' });
      }
      const back = sectionHome(ctx.path);
      const read = await multipartOf(ctx, maxBytes);
      if (read === 'too_large') return pages.fail(ctx, who, 413, 'The file is too large', `Send at most ${Math.round(maxBytes / (1024 * 1024))} MB at once. Nothing was changed.`, back);
      if (read === undefined) return pages.fail(ctx, who, 400, 'Choose a file', 'The form did not arrive as a file upload. Use the form on the page and choose a file.', back);
      // MCP-45: the same session-bound CSRF token as every other form.
      if (!csrfMatches(who.session.csrf, read.fields.csrf)) {
        return pages.fail(ctx, who, 403, 'Please try again', 'The form expired or was sent from another site, so nothing was changed. Go back, reload the page and send it again.', back);
      }
      await handler(ctx, { ...who, ...read });
    },

    fail: (ctx, who, status, title, message, next) => {
      sendPage(ctx, status, renderAppError({ status, title, message, next, ...(who === undefined ? {} : { nav: who.nav }) }));
    },

    notice: (ctx, messages) => {
      const done = ctx.query.done;
      return typeof done === 'string' && Object.hasOwn(messages, done) ? messages[done] : undefined;
    },
  };
  return pages;
}

/** A multipart body read whole (at most `maxBytes`) and parsed by the platform's own form-data parser. */
async function multipartOf(ctx: RouterContext, maxBytes: number): Promise<{ fields: Record<string, string>; files: Record<string, Uint8Array> } | 'too_large' | undefined> {
  const type = ctx.get('content-type');
  if (!/^multipart\/form-data;/i.test(type)) return undefined;
  if (Number(ctx.get('content-length') || 0) > maxBytes) return 'too_large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return 'too_large';
    chunks.push(chunk);
  }
  let form: FormData;
  try {
    form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': type }, body: Buffer.concat(chunks) }).formData();
  } catch {
    return undefined;
  }
  const fields: Record<string, string> = {};
  const files: Record<string, Uint8Array> = {};
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = new Uint8Array(await value.arrayBuffer());
  }
  return { fields, files };
}
