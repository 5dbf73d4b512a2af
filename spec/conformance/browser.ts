// A browser without scripts: follow redirects, fill the sign-in form, press Approve or Deny on the
// consent form, and stop at the client's redirect URI (the answer under test is never followed).
import { parse, type HTMLElement } from 'node-html-parser';
import { SignInRefused } from './context.ts';
import { locationOf, type Http, type Reply } from './http.ts';

export type Decision = 'approve' | 'deny';

export interface WalkOptions {
  /** Client redirect URIs: a redirect whose origin and path match one of them ends the walk. */
  stopAt: string[];
  username: string;
  password: string;
  decision: Decision;
}

/** Where the walk ended, and what it went through on the way. */
export type Walk =
  | { end: 'redirect'; location: URL; trail: string[]; sawLogin: boolean; sawConsent: boolean }
  | { end: 'page'; reply: Reply; reason: string; trail: string[]; sawLogin: boolean; sawConsent: boolean };

const MAX_STEPS = 20;
const APPROVE = /approve|allow|accept|authori[sz]e|consent|continue|yes/i;
const DENY = /deny|reject|decline|cancel|refuse|no\b/i;

export function sameEndpoint(url: URL, redirectUri: string): boolean {
  const target = new URL(redirectUri);
  return url.origin === target.origin && url.pathname === target.pathname;
}

/** A submittable form: where it goes, how, its successful fields, and its submit buttons. */
export interface Form {
  method: 'GET' | 'POST';
  action: URL;
  fields: [string, string][];
  buttons: { name?: string; value: string; label: string }[];
  /** Named text-like inputs and their types, to find the username and password boxes. */
  inputs: { name: string; type: string }[];
  hasPassword: boolean;
}

/** Every form of a page, read as a browser would (relative actions resolved against the page URL). */
export function readForms(html: string, pageUrl: URL): Form[] {
  return parse(html).querySelectorAll('form').map((form) => readForm(form, pageUrl));
}

function readForm(form: HTMLElement, pageUrl: URL): Form {
  const action = new URL(form.getAttribute('action') || pageUrl.href, pageUrl);
  const method = (form.getAttribute('method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
  const fields: [string, string][] = [];
  const buttons: Form['buttons'] = [];
  const inputs: Form['inputs'] = [];
  let hasPassword = false;
  for (const el of form.querySelectorAll('input, button, select, textarea')) {
    if (el.hasAttribute('disabled')) continue;
    const tag = el.tagName.toLowerCase();
    const name = el.getAttribute('name');
    const type = (el.getAttribute('type') ?? (tag === 'button' ? 'submit' : 'text')).toLowerCase();
    if (type === 'password') hasPassword = true;
    if ((tag === 'button' || tag === 'input') && (type === 'submit' || type === 'image')) {
      const value = el.getAttribute('value') ?? '';
      buttons.push({ ...(name ? { name } : {}), value, label: `${value} ${el.text}`.trim() });
      continue;
    }
    if (!name || tag === 'button' || ['reset', 'file', 'button'].includes(type)) continue;
    if (tag === 'input' && ['text', 'email', 'password'].includes(type)) inputs.push({ name, type });
    if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue;
    if (tag === 'select') {
      const option = el.querySelector('option[selected]') ?? el.querySelector('option');
      if (option) fields.push([name, option.getAttribute('value') ?? option.text]);
    } else if (tag === 'textarea') {
      fields.push([name, el.text]);
    } else {
      fields.push([name, el.getAttribute('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    }
  }
  return { method, action, fields, buttons, inputs, hasPassword };
}

/** The encoded submission of `form` with `overrides` filled in and `button` pressed. */
export function submission(form: Form, overrides: Record<string, string>, button?: Form['buttons'][number]): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of form.fields) body.append(name, Object.hasOwn(overrides, name) ? (overrides[name] ?? '') : value);
  for (const [name, value] of Object.entries(overrides)) if (!form.fields.some(([n]) => n === name)) body.append(name, value);
  if (button?.name) body.append(button.name, button.value);
  return body;
}

async function submit(http: Http, form: Form, body: URLSearchParams): Promise<Reply> {
  if (form.method === 'POST') return http.postForm(form.action, body);
  const url = new URL(form.action);
  url.search = body.toString();
  return http.get(url);
}

function signInFields(form: Form, options: WalkOptions): Record<string, string> {
  const password = form.inputs.find((i) => i.type === 'password')?.name ?? 'password';
  const user = form.inputs.find((i) => /^(username|user|login|email)$/i.test(i.name)) ?? form.inputs.find((i) => i.type !== 'password');
  return { [user?.name ?? 'username']: options.username, [password]: options.password };
}

/** The button a person would press for `decision`: by value first, then by its words. */
function chooseButton(form: Form, decision: Decision): Form['buttons'][number] | undefined {
  const words = decision === 'approve' ? APPROVE : DENY;
  const other = decision === 'approve' ? DENY : APPROVE;
  return form.buttons.find((b) => b.value.toLowerCase() === decision)
    ?? form.buttons.find((b) => words.test(b.label) && !other.test(b.label));
}

/** Start at `start` (an authorization URL) and act as the signed-in person until the client is answered. */
export async function walkAuthorization(http: Http, start: URL, options: WalkOptions): Promise<Walk> {
  const trail: string[] = [];
  let sawLogin = false;
  let sawConsent = false;
  let signedInOnce = false;
  let reply = await http.get(start);
  for (let step = 0; step < MAX_STEPS; step++) {
    const location = locationOf(reply);
    trail.push(`${reply.method} ${reply.url.pathname} → ${reply.status}`);
    const ended = (reason: string): Walk => ({ end: 'page', reply, reason, trail, sawLogin, sawConsent });
    if (location) {
      if (options.stopAt.some((uri) => sameEndpoint(location, uri))) return { end: 'redirect', location, trail, sawLogin, sawConsent };
      reply = reply.status === 307 || reply.status === 308 ? await http.request(reply.method, location) : await http.get(location);
      continue;
    }
    if (reply.status >= 300 && reply.status < 400) return ended(`redirect ${reply.status} without a Location`);
    const forms = readForms(reply.text, reply.url);
    const login = forms.find((f) => f.hasPassword);
    if (login) {
      // A second sign-in form means the first was refused; trying again would only spend the
      // account's sign-in allowance (three runs with a wrong password would lock the owner out).
      if (signedInOnce) {
        throw new SignInRefused(reply.status === 429 ? `sign-in for ${options.username} is rate-limited (status 429); wait, then run again` : `wrong password for ${options.username}`);
      }
      sawLogin = signedInOnce = true;
      reply = await submit(http, login, submission(login, signInFields(login, options), login.buttons[0]));
      continue;
    }
    const consent = forms.find((f) => chooseButton(f, 'approve') !== undefined && chooseButton(f, 'deny') !== undefined);
    if (consent && reply.status === 200) {
      sawConsent = true;
      const button = chooseButton(consent, options.decision);
      reply = await submit(http, consent, submission(consent, {}, button));
      continue;
    }
    return ended(reply.status === 200 ? 'a page with no sign-in or consent form' : `status ${reply.status}`);
  }
  return { end: 'page', reply, reason: `more than ${MAX_STEPS} steps`, trail, sawLogin, sawConsent };
}
