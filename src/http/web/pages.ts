// Small helpers shared by the HTML routes.
import type { Context } from 'koa';
import { renderErrorPage } from '../../ui/error-page.ts';

export function sendPage(ctx: Context, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

export function sendErrorPage(ctx: Context, status: number, title: string, message: string): void {
  sendPage(ctx, status, renderErrorPage({ status, title, message }));
}

export function seeOther(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

/** A single form field; a repeated or missing one is `undefined`. */
export function field(form: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
}
