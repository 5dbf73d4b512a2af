// The consent page (REQ-17, MCP-44, MCP-45). A client's name is self-asserted, so the page leads with
// what cannot be faked: the host of its client_id or redirect URI. Each scope is a checkbox, so the
// owner may approve less than was asked.
import { describeScope, OFFLINE_ACCESS } from '../core/scopes.ts';
import { html } from './html.ts';
import { hidden, renderLayout } from './layout.ts';

export interface ConsentInput {
  action: string;
  csrf: string;
  requestId: string;
  /** `client_name` from registration: chosen by the client, never verified. */
  clientName?: string;
  /** Host of the client_id (CIMD URL) or of the redirect URI. */
  clientHost: string;
  /** Host the authorization response will be sent to. */
  redirectHost: string;
  scopes: readonly string[];
  /** Every redirect URI is a loopback address: the app runs on this computer. */
  loopbackOnly: boolean;
  /** Who is signed in. */
  username: string;
  /** How long an access token lasts: without `offline_access` that is how long the app stays connected. */
  accessTokenTtl: number;
}

/** "1 hour", "15 minutes": access token lifetimes are whole minutes (at least 60 s). */
function duration(seconds: number): string {
  const hours = seconds / 3600;
  if (Number.isInteger(hours)) return hours === 1 ? '1 hour' : `${hours} hours`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function renderConsent(input: ConsentInput): string {
  const { action, csrf, requestId, clientName, clientHost, redirectHost, scopes, loopbackOnly, username, accessTokenTtl } = input;
  // REQ-16: refresh tokens only with offline_access, so the page says what each answer means.
  const staying = scopes.includes(OFFLINE_ACCESS)
    ? html`<p class="hint">Untick “${describeScope(OFFLINE_ACCESS)}” and the app is connected for ${duration(accessTokenTtl)} only.</p>`
    : html`<p class="hint">This app did not ask to stay connected: its access ends after ${duration(accessTokenTtl)}, and then it sends you here again.</p>`;
  const scopeItems = scopes.map(
    (scope, i) => html`<li>
<input type="checkbox" id="scope-${i}" name="scope" value="${scope}" checked>
<label for="scope-${i}">${describeScope(scope)}${describeScope(scope) === scope ? '' : html` <code>${scope}</code>`}</label>
</li>`,
  );
  const body = html`<h1>Connect an app to your notes?</h1>
<p class="client-host">${clientHost}</p>
${clientName === undefined ? '' : html`<p class="client-name">claims to be <strong>${clientName}</strong>. Apps choose their own names: trust the address above.</p>`}
<p>After you decide, you will be sent back to <strong class="host">${redirectHost}</strong>.</p>
${loopbackOnly
  ? html`<p class="warning" role="note"><strong>This app runs on your own computer.</strong> It can only send you back to an address on this device (such as 127.0.0.1 or localhost), so the name above cannot be checked. Continue only if you just started this connection yourself from a program you trust.</p>`
  : ''}
<form method="post" action="${action}" class="form">
${hidden('csrf', csrf)}
${hidden('request_id', requestId)}
<fieldset class="scopes">
<legend>It asks to:</legend>
<ul>
${scopeItems}
</ul>
<p class="hint">Untick anything you do not want to allow.</p>
${staying}
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="approve" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>
<p class="muted">Signed in as <strong>${username}</strong>.</p>`;
  return renderLayout({ title: 'Connect an app', body });
}
