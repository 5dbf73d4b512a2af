// Writing OAuth answers: JSON errors shaped as RFC 6749 §5.2, never cached.
import type { Context } from 'koa';
import type { OAuthError } from '../../core/index.ts';

export function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}

export function sendOAuthError(ctx: Context, error: Pick<OAuthError, 'error' | 'description' | 'status' | 'basicChallenge'>): void {
  noStore(ctx);
  // RFC 6749 §5.2: a client that tried HTTP Basic gets a 401 with a Basic challenge.
  if (error.basicChallenge) ctx.set('WWW-Authenticate', 'Basic realm="agent-notes", charset="UTF-8"');
  ctx.status = error.status;
  ctx.body = { error: error.error, error_description: error.description };
}

export function sendJson(ctx: Context, status: number, body: unknown): void {
  noStore(ctx);
  ctx.status = status;
  ctx.body = body;
}
