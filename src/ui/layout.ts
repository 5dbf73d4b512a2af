// The frame every page shares: doctype, language, viewport, the app's stylesheet and a centred card.
// No inline script or style anywhere: the CSP allows neither.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { html, SafeHtml } from './html.ts';

/** Where the shell serves `style.css`, and where that file lives on disk. */
export const STYLESHEET_URL = '/assets/style.css';
export const STYLESHEET_FILE = fileURLToPath(new URL('./style.css', import.meta.url));

export const APP_NAME = 'agent-notes';

/** The brand mark, served as the favicon of every page and shown beside the name in the header. */
export const FAVICON_URL = '/favicon.svg';
export const FAVICON_FILE = fileURLToPath(new URL('./favicon.svg', import.meta.url));

export interface LayoutInput {
  /** Shown in the tab title after the app name. */
  title: string;
  body: SafeHtml;
}

/** The document up to `<body>`: shared by every page, so they all carry the same head. */
export function documentStart({ title, noindex = false }: { title: string; noindex?: boolean }): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
${noindex ? html`<meta name="robots" content="noindex">` : ''}
<title>${title} · ${APP_NAME}</title>
<link rel="icon" href="${FAVICON_URL}" type="image/svg+xml">
<link rel="stylesheet" href="${STYLESHEET_URL}">
</head>`;
}

export function renderLayout({ title, body }: LayoutInput): string {
  return html`${documentStart({ title })}
<body>
<main class="card">
${body}
</main>
<footer class="footer">${brandMark()} ${APP_NAME}</footer>
</body>
</html>
`.value;
}

/** The favicon's own markup, inline: no request, and no `<img>` a client's logo could pass for. */
const MARK = new SafeHtml(readFileSync(FAVICON_FILE, 'utf8').trim().replace('<svg ', '<svg class="brand-mark" aria-hidden="true" focusable="false" '));

/** The brand mark beside the app's name (decorative: the name says what it is). */
export function brandMark(): SafeHtml {
  return MARK;
}

/** An error or notice shown above a form, announced to screen readers. */
export function alertBox(message: string | undefined): SafeHtml {
  return html`${message === undefined ? '' : html`<p class="alert" role="alert">${message}</p>`}`;
}

/** A hidden form field. */
export function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}
