// Note bodies as HTML, with markdown-it. Raw HTML in a note is shown as text (`html: false`), links
// may only point to http, https, mailto or a relative address, and images become links: the CSP
// would block remote images anyway, and a shared note must not load trackers in a reader's browser.
import MarkdownIt from 'markdown-it';
import { html, SafeHtml } from './html.ts';

const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const SAFE_SCHEME = /^(https?|mailto):/i;
const LINK_REL = 'nofollow noopener noreferrer';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

// An allow-list replaces markdown-it's deny-list: anything with a scheme other than these is text.
markdown.validateLink = (url) => {
  const trimmed = url.trim();
  return ANY_SCHEME.test(trimmed) ? SAFE_SCHEME.test(trimmed) : true;
};

markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrSet('rel', LINK_REL);
  return self.renderToken(tokens, idx, options);
};

markdown.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token?.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token?.children ?? [], options, env);
  return html`<a href="${src}" rel="${LINK_REL}" class="image-link">${alt === '' ? src : alt}</a>`.value;
};

/** The note body rendered for display; safe to place in a page as it is. */
export function renderMarkdown(source: string): SafeHtml {
  return new SafeHtml(markdown.render(source));
}

/** The words of a note without Markdown syntax, blocks joined by " · ", for snippets in lists. */
export function markdownText(source: string): string {
  const blocks: string[] = [];
  for (const token of markdown.parse(source, {})) {
    if (token.type === 'fence' || token.type === 'code_block') blocks.push(token.content);
    if (token.type !== 'inline') continue;
    // Text, inline code and image descriptions are words; line breaks are spaces.
    blocks.push((token.children ?? []).map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.content)).join(''));
  }
  return blocks.filter((block) => block.trim() !== '').join(' · ');
}
