// The account page: the address to paste into ChatGPT and Claude, changing the password (which
// signs out every other browser and, unless unticked, disconnects every app), and signing out everywhere.
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { html } from './html.ts';
import { alertBox, hidden } from './layout.ts';
import { noticeBox, renderAppLayout, type Navigation } from './notes-layout.ts';

export interface AccountInput {
  nav: Navigation;
  /** The MCP endpoint (`<PUBLIC_URL>/mcp`). */
  mcpUrl: string;
  /** Browsers signed in to this account, this one included. */
  sessionCount: number;
  /** Apps connected to this account (grants). */
  appCount: number;
  /** A problem with the password form. */
  error?: string;
  notice?: string;
}

/** What the "disconnect every app" box would do, so the person knows before sending the form. */
function appsHint(appCount: number): string {
  const connected = appCount === 0 ? 'No app is connected now.' : `${appCount} ${appCount === 1 ? 'app is' : 'apps are'} connected now.`;
  return `${connected} Ticked, ChatGPT, Claude and every other connected app lose access and must be connected again: do this if someone else may have known the old password.`;
}

export function renderAccount({ nav, mcpUrl, sessionCount, appCount, error, notice }: AccountInput): string {
  const others = sessionCount - 1;
  const body = html`<h1>Account</h1>
<p>Signed in as <strong>${nav.username}</strong>.</p>
${noticeBox(notice)}
<section aria-labelledby="connect-heading">
<h2 id="connect-heading">Connect ChatGPT or Claude</h2>
<p>Paste this server URL into the app and choose OAuth. You then sign in here and approve the connection.</p>
<p><code class="copy" id="mcp-url">${mcpUrl}</code></p>
<ul class="steps">
<li><strong>ChatGPT</strong>: Settings → Apps → Advanced settings → turn on Developer mode; then Settings → Apps → Create app. Paste the URL as <em>MCP server URL</em>, Authentication <em>OAuth</em>.</li>
<li><strong>Claude</strong>: Settings → Connectors → Add custom connector. Paste the URL as <em>Remote MCP server URL</em>, then Connect.</li>
</ul>
<p class="hint">Both need this server on a public https:// address. See which apps are connected, and disconnect them, under <a href="/apps">Connected apps</a>.</p>
</section>
<section aria-labelledby="archive-heading">
<h2 id="archive-heading">Export and import notes</h2>
<p>Take every note with you as a zip of Markdown files (title, tags, dates and sharing in each file's front matter), or bring notes in: the same zip, or a zip of plain Markdown files such as an Obsidian vault (front-matter tags and #tags are read, [[links]] kept).</p>
<p><a class="button secondary" href="/account/export" download>Export notes (.zip)</a></p>
<form method="post" action="/account/import" enctype="multipart/form-data" class="form">
${hidden('csrf', nav.csrf)}
<label for="archive">Zip of Markdown files to import</label>
<input id="archive" name="archive" type="file" accept=".zip,application/zip" required>
<p class="hint">Imported notes are private. Files that cannot be notes are listed afterwards, each with the reason; nothing else changes.</p>
<div class="actions">
<button type="submit" class="secondary">Import notes</button>
</div>
</form>
</section>
<section aria-labelledby="password-heading">
<h2 id="password-heading">Change password</h2>
${alertBox(error)}
<form method="post" action="/account/password" class="form">
${hidden('csrf', nav.csrf)}
<label for="current_password">Current password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="${MAX_PASSWORD_LENGTH}" required>
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" aria-describedby="new-password-hint" required>
<p id="new-password-hint" class="hint">At least ${MIN_PASSWORD_LENGTH} characters. Every other browser signed in to this account is signed out; this one stays signed in.</p>
<label for="new_password_confirm">Repeat the new password</label>
<input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" required>
<div class="check">
<input id="disconnect_apps" name="disconnect_apps" type="checkbox" value="on" checked aria-describedby="disconnect-apps-hint">
<label for="disconnect_apps">Also disconnect every app</label>
</div>
<p id="disconnect-apps-hint" class="hint">${appsHint(appCount)}</p>
<div class="actions">
<button type="submit" class="primary">Change password</button>
</div>
</form>
</section>
<section aria-labelledby="signout-heading">
<h2 id="signout-heading">Sign out everywhere</h2>
<p>${others > 0 ? `You are signed in on ${others} other ${others === 1 ? 'browser' : 'browsers'} besides this one.` : 'You are signed in only in this browser.'} Signing out everywhere ends every session, this one included. Connected apps stay connected: disconnect them under <a href="/apps">Connected apps</a>.</p>
<form method="post" action="/account/signout-everywhere" class="form">
${hidden('csrf', nav.csrf)}
<div class="actions">
<button type="submit" class="secondary">Sign out everywhere</button>
</div>
</form>
</section>`;
  return renderAppLayout({ title: 'Account', body, nav: { ...nav, current: 'account' } });
}
