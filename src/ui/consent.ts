// The consent page (REQ-17, MCP-44, MCP-45). A client's name is self-asserted, so the page leads with
// what cannot be faked: the host of its client_id or redirect URI. Each scope is a checkbox, so the
// owner may approve less than was asked.
import { describeScope } from '../core/scopes.ts';
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
}

export function renderConsent(input: ConsentInput): string {
  const { action, csrf, requestId, clientName, clientHost, redirectHost, scopes, loopbackOnly, username } = input;
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
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="approve" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>
<p class="muted">Signed in as <strong>${username}</strong>.</p>`;
  return renderLayout({ title: 'Connect an app', body });
}
