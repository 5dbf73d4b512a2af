// Connected apps: one entry per grant (an app the owner approved), led by what cannot be faked, the
// host of its client_id or redirect URI, then the name it gave itself, what it may do, when it was
// connected and last used, and a button that disconnects it at once.
import { describeScope } from '../core/scopes.ts';
import { html, type SafeHtml } from './html.ts';
import { hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';
import { timeElement } from './notes-time.ts';

export interface ConnectedApp {
  grantId: string;
  /** `client_name` from registration: chosen by the app, never verified. */
  name?: string;
  /** Host of the client_id (when it is a URL) or of the redirect URIs. */
  host: string;
  scopes: readonly string[];
  createdAt: number;
  /** When it last got a token (sign-in or refresh). */
  lastUsedAt: number;
}

export interface AppsInput {
  nav: Navigation;
  apps: readonly ConnectedApp[];
  mcpUrl: string;
  notice?: string;
}

function entry(app: ConnectedApp, csrf: string, now: number | undefined): SafeHtml {
  const label = app.name === undefined ? app.host : `${app.name} (${app.host})`;
  return html`<li class="app-item">
<h2 class="app-host">${app.host}</h2>
${app.name === undefined ? '' : html`<p class="client-name">calls itself <strong>${app.name}</strong></p>`}
<dl class="facts">
<dt>Can</dt>
<dd><ul class="plain">${app.scopes.map((scope) => html`<li>${describeScope(scope)}</li>`)}</ul></dd>
<dt>Connected</dt>
<dd>${timeElement(app.createdAt, now)}</dd>
<dt>Last used</dt>
<dd>${timeElement(app.lastUsedAt, now)}</dd>
</dl>
<form method="post" action="/apps/${encodeURIComponent(app.grantId)}/revoke" class="inline-form">
${hidden('csrf', csrf)}
<button type="submit" class="danger" aria-label="Disconnect ${label}">Disconnect</button>
</form>
</li>`;
}

export function renderApps({ nav, apps, mcpUrl, notice }: AppsInput): string {
  const body = html`<h1>Connected apps</h1>
${noticeBox(notice)}
<p class="muted">Apps you allowed to use your notes. Disconnecting one stops it at once: its tokens stop working, and it has to ask you again to reconnect.</p>
${apps.length === 0
  ? html`<div class="empty">
<p><strong>No apps are connected.</strong></p>
<p>To connect ChatGPT or Claude, add a connector with this server URL and sign in when it asks:</p>
<p><code class="copy">${mcpUrl}</code></p>
<p>Step-by-step instructions are on your <a href="/account">Account</a> page.</p>
</div>`
  : html`<ul class="app-list">
${apps.map((app) => entry(app, nav.csrf, nav.now))}
</ul>`}`;
  return renderAppLayout({ title: 'Connected apps', body, nav: { ...nav, current: 'apps' } });
}
