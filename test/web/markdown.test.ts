// Note bodies rendered with markdown-it: Markdown becomes HTML, while HTML in a note stays text and
// links can only lead to http, https, mailto or relative addresses.
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { markdownText, renderMarkdown } from '../../src/ui/markdown.ts';

const render = (source: string) => renderMarkdown(source).value;

describe('[web] rendering notes', () => {
  it('[web] renders CommonMark with line breaks kept and bare URLs linked', () => {
    expect(render('# Title\n\n- **bold**\n- `code`')).toBe('<h1>Title</h1>\n<ul>\n<li><strong>bold</strong></li>\n<li><code>code</code></li>\n</ul>\n');
    expect(render('one\ntwo')).toBe('<p>one<br>\ntwo</p>\n');
    expect(render('see https://example.com')).toBe('<p>see <a href="https://example.com" rel="nofollow noopener noreferrer">https://example.com</a></p>\n');
  });

  it('[web] HTML written in a note is shown as text, never run', () => {
    expect(render('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(render('<img src=x onerror=alert(1)>')).not.toContain('<img');
    const link = parse(render('[x](https://example.com "a\\" onmouseover=\\"alert(1)")')).querySelector('a');
    expect(link?.attributes).toEqual({ href: 'https://example.com', title: 'a" onmouseover="alert(1)', rel: 'nofollow noopener noreferrer' });
  });

  it('[web] links only lead to http, https, mailto or relative addresses', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java&#115;cript:alert(1)', 'vbscript:msgbox', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'ftp://example.com/x']) {
      expect(render(`[click](${href})`), href).not.toContain('<a ');
    }
    expect(render('[mail](mailto:me@example.com)')).toContain('<a href="mailto:me@example.com" rel="nofollow noopener noreferrer">mail</a>');
    expect(render('[other](/notes/abc)')).toContain('<a href="/notes/abc" rel="nofollow noopener noreferrer">other</a>');
  });

  it('[web] images become links to them: a public note never loads anything into a reader’s browser', () => {
    expect(render('![a cat](https://example.com/cat.png)')).toBe('<p><a href="https://example.com/cat.png" rel="nofollow noopener noreferrer" class="image-link">a cat</a></p>\n');
    expect(render('![](https://example.com/x.png)')).toContain('>https://example.com/x.png</a>');
    expect(render('![x](javascript:alert(1))')).not.toContain('<a ');
    expect(render('![<b>"q"</b>](/a.png)')).toContain('>&lt;b&gt;&quot;q&quot;&lt;/b&gt;</a>');
  });

  it('[web] list snippets read the words of a note without its Markdown syntax', () => {
    expect(markdownText('## For the weekend\n\n- **oat milk**\n- bread from the *bakery*\n\nSee [the shop](https://example.com).')).toBe(
      'For the weekend · oat milk · bread from the bakery · See the shop.',
    );
    expect(markdownText('line one\nline two `code` ![a cat](/c.png)\n\n```\nfenced\n```')).toBe('line one line two code a cat · fenced\n');
    expect(markdownText('<b>kept as text</b>')).toBe('<b>kept as text</b>');
  });
});
