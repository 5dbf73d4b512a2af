// The page for authorization errors that must not be redirected (unknown client, unregistered
// redirect URI): nothing can be sent back to the app, so the person reading it is told what happened
// and what to do next.
import { html } from './html.ts';
import { renderLayout } from './layout.ts';

export const RECONNECT_ADVICE =
  'Start the connection again from ChatGPT or Claude. If it keeps failing, the app’s registration may be stale: remove the connector and add it again.';

export interface ErrorPageInput {
  title: string;
  message: string;
  /** Technical detail for whoever debugs it, e.g. `invalid_client: unknown client_id`. */
  detail?: string;
  /** The HTTP status the shell answers with; shown in small print. */
  status: number;
  /** What to do next; defaults to `RECONNECT_ADVICE`. */
  nextStep?: string;
}

export function renderErrorPage({ title, message, detail, status, nextStep = RECONNECT_ADVICE }: ErrorPageInput): string {
  const body = html`<h1>${title}</h1>
<p>${message}</p>
<h2>What to do next</h2>
<p>${nextStep}</p>
${detail === undefined ? '' : html`<details class="detail">
<summary>Technical details</summary>
<p><code>${detail}</code></p>
</details>`}
<p class="muted">Error ${status}. You can close this page.</p>`;
  return renderLayout({ title, body });
}
