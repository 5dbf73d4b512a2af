// Sign-in: a plain HTML form, no script. `return_to` carries where to continue (e.g. the consent
// step of a pending authorization request); the shell validates it before following it.
import { html } from './html.ts';
import { alertBox, hidden, renderLayout } from './layout.ts';

export interface LoginInput {
  /** Where the form posts. */
  action: string;
  returnTo?: string;
  error?: string;
  /** Pre-fills the username after a failed attempt. */
  username?: string;
  csrf: string;
}

export function renderLogin({ action, returnTo, error, username, csrf }: LoginInput): string {
  const body = html`<h1>Sign in</h1>
<p class="muted">Sign in to your notes to continue.</p>
${alertBox(error)}
<form method="post" action="${action}" class="form">
${hidden('csrf', csrf)}
${returnTo === undefined ? '' : hidden('return_to', returnTo)}
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required${username === undefined ? html` autofocus` : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required${username === undefined ? '' : html` autofocus`}>
<div class="actions">
<button type="submit" class="primary">Sign in</button>
</div>
</form>`;
  return renderLayout({ title: 'Sign in', body });
}
