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

// NOTES-LINK-01: `[[Title]]` and `[[Title|text]]` become links to the owner's note of that title,
// resolved by the page (`env.linkTo`); an unknown title is marked as such. Where no resolver is
// given (public pages), the text shows without a link, so a shared note reveals no other note.
markdown.inline.ruler.before('link', 'wikilink', (state, silent) => {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x5b || src.charCodeAt(pos + 1) !== 0x5b) return false;
  const match = /^\[\[([^[\]|\n]{1,200})(?:\|([^[\]\n]{0,200}))?\]\]/.exec(src.slice(pos));
  if (!match || match[1]!.trim() === '') return false;
  if (!silent) {
    const token = state.push('wikilink', '', 0);
    token.meta = { title: match[1]!.trim(), label: (match[2] ?? '').trim() || match[1]!.trim() };
  }
  state.pos += match[0].length;
  return true;
});

markdown.renderer.rules.wikilink = (tokens, idx, _options, rawEnv) => {
  const { title, label } = tokens[idx]!.meta as { title: string; label: string };
  const env = (rawEnv ?? {}) as MarkdownEnv;
  if (env.linkTo === undefined) return html`<span class="wikilink">${label}</span>`.value;
  const href = env.linkTo(title);
  if (href === undefined) return html`<span class="wikilink missing" title="No note is called “${title}” yet">${label}<span class="visually-hidden"> (no such note)</span></span>`.value;
  return html`<a class="wikilink" href="${href}">${label}</a>`.value;
};

// NOTES-UI-03: `- [ ] milk` and `- [x] eggs` are tasks, shown as disabled checkboxes (the page
// only reads; ticking one is an edit). The marker is taken off the text, so snippets read "milk".
const TASK_MARKER = /^\[([ xX])\][ \t]+/;

markdown.core.ruler.after('inline', 'task_list', (state) => {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const match = first?.type === 'text' ? TASK_MARKER.exec(first.content) : null;
    if (!first || !match) continue;
    first.content = first.content.slice(match[0].length);
    const box = new state.Token('task_checkbox', 'input', 0);
    box.meta = { checked: match[1] !== ' ' };
    inline.children!.unshift(box);
    tokens[i - 2]!.attrJoin('class', 'task-item');
  }
  return true;
});

markdown.renderer.rules.task_checkbox = (tokens, idx) => {
  const { checked } = tokens[idx]!.meta as { checked: boolean };
  return checked
    ? '<input type="checkbox" class="task-checkbox" disabled checked aria-label="Done"> '
    : '<input type="checkbox" class="task-checkbox" disabled aria-label="Not done"> ';
};

interface MarkdownEnv {
  /** The address of the owner's note with this title, if there is one. */
  linkTo?: (title: string) => string | undefined;
}

/** The note body rendered for display; safe to place in a page as it is. */
export function renderMarkdown(source: string, linkTo?: (title: string) => string | undefined): SafeHtml {
  const env: MarkdownEnv = linkTo === undefined ? {} : { linkTo };
  return new SafeHtml(markdown.render(source, env as Record<string, unknown>));
}

/** The words of a note without Markdown syntax, blocks joined by " · ", for snippets in lists. */
export function markdownText(source: string): string {
  const blocks: string[] = [];
  for (const token of markdown.parse(source, {})) {
    if (token.type === 'fence' || token.type === 'code_block') blocks.push(token.content);
    if (token.type !== 'inline') continue;
    // Text, inline code and image descriptions are words; line breaks are spaces.
    // A [[link]] reads as its label; a task's checkbox adds nothing.
    blocks.push((token.children ?? []).map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.type === 'wikilink' ? (child.meta as { label: string }).label : child.content)).join(''));
  }
  return blocks.filter((block) => block.trim() !== '').join(' · ');
}
