// A minimal browser for HTTP tests: a cookie jar, manual redirects, and HTML form submission.
import { parse } from 'node-html-parser';

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && url.origin === new URL(this.base).origin) {
      headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Fetches a page and submits its first form with the given fields (the button as `decision`). */
  async submit(page: string, html: string, fields: Record<string, string | string[]>): Promise<Response> {
    const form = parse(html).querySelector('form');
    if (!form) throw new Error(`no form on ${page}`);
    const body = new URLSearchParams();
    for (const input of form.querySelectorAll('input')) {
      const name = input.getAttribute('name');
      if (!name || name in fields) continue;
      const type = input.getAttribute('type') ?? 'text';
      if (type === 'checkbox' && !input.hasAttribute('checked')) continue;
      body.append(name, input.getAttribute('value') ?? '');
    }
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    const action = new URL(form.getAttribute('action') ?? page, new URL(page, this.base)).href;
    return this.fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  }
}
