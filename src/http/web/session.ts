// The browser session: an opaque token in an HttpOnly, SameSite=Lax cookie (Secure and __Host-
// prefixed when the public URL is https); the store keeps only its hash. Before sign-in, a
// double-submit cookie protects the login and setup forms against CSRF.
import type { Context } from 'koa';
import { csrfMatches } from '../../accounts/csrf.ts';
import { findUserById } from '../../accounts/queries.ts';
import { findSession } from '../../accounts/sessions.ts';
import type { SessionRecord } from '../../accounts/types.ts';
import type { Services } from '../../app/services.ts';

const SESSION_TTL = 30 * 24 * 3600;

function isHttps(services: Services): boolean {
  return services.config.publicUrl.startsWith('https:');
}

function cookieName(services: Services, base: string): string {
  return isHttps(services) ? `__Host-${base}` : base;
}

function setCookie(ctx: Context, services: Services, base: string, value: string | null, maxAgeSeconds?: number): void {
  const secure = isHttps(services);
  // Behind a TLS-terminating proxy the socket is plain http; the public URL is what browsers see.
  if (secure) ctx.cookies.secure = true;
  ctx.cookies.set(cookieName(services, base), value, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    overwrite: true,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds * 1000 }),
  });
}

export function currentSession(ctx: Context, services: Services): SessionRecord | undefined {
  const token = ctx.cookies.get(cookieName(services, 'agent-notes-session'));
  if (token === undefined || token.length > 200) return undefined;
  return findSession(services.queue.state, token, services.now());
}

/** Who the session cookie signs in, by username; the password form's guesses count against it. */
export function signedInUsername(ctx: Context, services: Services): string | undefined {
  const session = currentSession(ctx, services);
  return session === undefined ? undefined : findUserById(services.queue.state, session.userId)?.username;
}

export function sessionToken(ctx: Context, services: Services): string | undefined {
  return ctx.cookies.get(cookieName(services, 'agent-notes-session'));
}

export function setSessionCookie(ctx: Context, services: Services, token: string): void {
  setCookie(ctx, services, 'agent-notes-session', token, SESSION_TTL);
}

export function clearSessionCookie(ctx: Context, services: Services): void {
  setCookie(ctx, services, 'agent-notes-session', null);
}

/** The pre-session CSRF value for login and setup forms, set on first sight. */
export function formCsrf(ctx: Context, services: Services): string {
  const existing = ctx.cookies.get(cookieName(services, 'agent-notes-csrf'));
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = services.fresh();
  setCookie(ctx, services, 'agent-notes-csrf', value);
  return value;
}

/** Double-submit check for forms shown before sign-in: the hidden field must equal the cookie. */
export function preSessionCsrfValid(ctx: Context, services: Services, given: string | undefined): boolean {
  const cookie = ctx.cookies.get(cookieName(services, 'agent-notes-csrf'));
  return cookie !== undefined && given !== undefined && csrfMatches(cookie, given);
}

export { SESSION_TTL };

/** Only same-site paths may be returned to after sign-in (no open redirector). */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 4096) return '/';
  return value;
}

/**
 * The sign-in page, bringing the person back to `url` afterwards if sign-in would. An address it
 * would not return to is left out: echoed, a long one made a Location header too big to read.
 */
export function signInFirst(url: string): string {
  return safeReturnTo(url) === url ? `/login?return_to=${encodeURIComponent(url)}` : '/login';
}
