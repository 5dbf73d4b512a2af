// First run: create the owner account with the one-time setup token the CLI printed.
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { html } from './html.ts';
import { alertBox, hidden, renderLayout } from './layout.ts';

export interface SetupInput {
  action: string;
  /** The one-time setup token, carried through the form post. */
  token: string;
  error?: string;
  /** Pre-fills the username after a failed attempt. */
  username?: string;
  csrf: string;
}

export function renderSetup({ action, token, error, username, csrf }: SetupInput): string {
  const body = html`<h1>Create your account</h1>
<p class="muted">This is the owner account of these notes. You will sign in with it when ChatGPT, Claude or another app asks to connect.</p>
${alertBox(error)}
<form method="post" action="${action}" class="form">
${hidden('csrf', csrf)}
${hidden('token', token)}
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" pattern="[A-Za-z0-9._\\-]{1,64}" aria-describedby="username-hint" required>
<p id="username-hint" class="hint">Letters, digits, dots, dashes and underscores; at most 64 characters.</p>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" aria-describedby="password-hint" required>
<p id="password-hint" class="hint">At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good one.</p>
<label for="password_confirm">Repeat the password</label>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" required>
<div class="actions">
<button type="submit" class="primary">Create account</button>
</div>
</form>`;
  return renderLayout({ title: 'Create your account', body });
}
