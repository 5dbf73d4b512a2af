// The signed-in landing page: who you are, and what to paste into ChatGPT or Claude.
import { html } from './html.ts';
import { hidden, renderLayout } from './layout.ts';

export interface HomeInput {
  username: string;
  mcpUrl: string;
  csrf: string;
}

export function renderHome({ username, mcpUrl, csrf }: HomeInput): string {
  return renderLayout({
    title: 'Home',
    body: html`<h1>agent-notes</h1>
<p>Signed in as <strong>${username}</strong>.</p>
<h2>Connect an assistant</h2>
<p>In ChatGPT (Settings → Apps → Create app) or Claude (Settings → Connectors → Add custom connector), paste this server URL and choose OAuth:</p>
<p><code class="copy">${mcpUrl}</code></p>
<p>The assistant registers itself, sends you back here to sign in, and asks for your approval.</p>
<form method="post" action="/logout">
${hidden('csrf', csrf)}
<button type="submit" class="secondary">Sign out</button>
</form>`,
  });
}
