// The frame of the web app's pages: the same document, stylesheet and card as the sign-in pages,
// with a wider card and, for a signed-in person, a header to move between Notes, Connected apps and
// Account. Public note pages use the frame without the header and with `noindex`.
import { html, type SafeHtml } from './html.ts';
import { APP_NAME, brandMark, documentStart, hidden } from './layout.ts';

export type Section = 'notes' | 'apps' | 'account';

export interface Navigation {
  /** The section the page belongs to, marked `aria-current`. */
  current?: Section;
  username: string;
  /** The session's CSRF token, for the sign-out form. */
  csrf: string;
  /** The server's clock when the page was asked for, for relative times ("3 minutes ago"). */
  now?: number;
}

export interface AppLayoutInput {
  title: string;
  body: SafeHtml;
  /** Present on signed-in pages. */
  nav?: Navigation;
  /** Adds `<meta name="robots" content="noindex">`. */
  noindex?: boolean;
  /** The list of notes shown beside the page on wide screens (below it on phones). */
  aside?: SafeHtml;
  /** `full`: the page uses the whole width (the editor with its preview beside it). */
  width?: 'wide' | 'full';
}

const SECTIONS: readonly { section: Section; href: string; label: string }[] = [
  { section: 'notes', href: '/notes', label: 'Notes' },
  { section: 'apps', href: '/apps', label: 'Connected apps' },
  { section: 'account', href: '/account', label: 'Account' },
];

function header({ current, username, csrf }: Navigation): SafeHtml {
  const links = SECTIONS.map(
    ({ section, href, label }) => html`<li><a href="${href}"${section === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  );
  return html`<header class="app-header">
<a class="brand" href="/notes">${brandMark()}<span>${APP_NAME}</span></a>
<nav class="app-nav" aria-label="Main">
<ul>
${links}
</ul>
</nav>
<form method="post" action="/logout" class="signout">
${hidden('csrf', csrf)}
<button type="submit" class="link" title="Signed in as ${username}">Sign out</button>
</form>
</header>`;
}

export function renderAppLayout({ title, body, nav, noindex = false, aside, width = 'wide' }: AppLayoutInput): string {
  const main = html`<main class="card ${width}" id="content">
${body}
</main>`;
  return html`${documentStart({ title, noindex })}
<body class="app${aside === undefined ? '' : ' with-panes'}${width === 'full' ? ' full' : ''}">
<a class="skip-link" href="#content">Skip to content</a>
${nav === undefined ? '' : header(nav)}
${aside === undefined ? main : html`<div class="panes">
${main}
${aside}
</div>`}
<footer class="footer">${brandMark()} ${APP_NAME}</footer>
</body>
</html>
`.value;
}

/** A confirmation after an action (saved, deleted, disconnected), announced to screen readers. */
export function noticeBox(message: string | undefined): SafeHtml {
  return html`${message === undefined ? '' : html`<p class="notice" role="status">${message}</p>`}`;
}

export interface AppErrorInput {
  status: number;
  title: string;
  message: string;
  /** Where to go next, as a link. */
  next: { href: string; label: string };
  nav?: Navigation;
}

/** An error inside the web app: what happened, and a link to what to do next. */
export function renderAppError({ status, title, message, next, nav }: AppErrorInput): string {
  const body = html`<h1>${title}</h1>
<p>${message}</p>
<p><a class="button primary" href="${next.href}">${next.label}</a></p>
<p class="muted">Error ${status}.</p>`;
  return renderAppLayout({ title, body, ...(nav === undefined ? {} : { nav }) });
}
