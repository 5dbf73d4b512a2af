// The conformance client's HTTP: fetch with manual redirects and a cookie jar, like a browser that
// never runs scripts. Only what crosses the wire is recorded; nothing here knows the server.

export type Fetch = typeof fetch;

/** One HTTP answer, body already read. */
export interface Reply {
  method: string;
  url: URL;
  status: number;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: URLSearchParams | Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** A raw body, with its own content type in `headers`. */
  body?: string;
}

const TIMEOUT_MS = 15_000;

/**
 * Cookies per host name (browsers share cookies across ports). Attributes are ignored except those
 * that delete a cookie: an empty value, `Max-Age` ≤ 0 or an `Expires` in the past.
 */
export class CookieJar {
  readonly #hosts = new Map<string, Map<string, string>>();

  store(url: URL, setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const jar = this.#hosts.get(url.hostname) ?? new Map<string, string>();
      this.#hosts.set(url.hostname, jar);
      if (value === '' || attributes.some(deletes)) jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: URL): string | undefined {
    const jar = this.#hosts.get(url.hostname);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function deletes(attribute: string): boolean {
  const [key = '', value = ''] = attribute.split('=').map((s) => s.trim());
  if (/^max-age$/i.test(key)) return Number(value) <= 0;
  if (/^expires$/i.test(key)) return Date.parse(value) <= Date.now();
  return false;
}

export class Http {
  readonly jar = new CookieJar();

  constructor(private readonly fetchImpl: Fetch = fetch) {}

  /** One request, no redirect followed, cookies sent and stored. */
  async request(method: string, url: URL | string, options: RequestOptions = {}): Promise<Reply> {
    const target = new URL(url);
    const headers: Record<string, string> = { 'User-Agent': 'agent-notes-conformance', ...options.headers };
    let body: string | undefined = options.body;
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const cookie = this.jar.header(target);
    if (cookie !== undefined) headers.Cookie = cookie;
    const response = await this.fetchImpl(target, {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      ...(body === undefined ? {} : { body }),
    }).catch((error: Error) => {
      // A refusal of the caller's own fetch (such as the fuzzer's host guard) is passed on as it is.
      if (!(error instanceof TypeError) && error.name !== 'TimeoutError' && error.name !== 'AbortError') throw error;
      const cause = error.cause as { code?: string; message?: string } | undefined;
      throw new Error(`${method} ${target.href} failed: ${cause?.code ?? cause?.message ?? error.message}`);
    });
    this.jar.store(target, response.headers.getSetCookie());
    return { method, url: target, status: response.status, headers: response.headers, text: await response.text() };
  }

  get(url: URL | string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', url, headers === undefined ? {} : { headers });
  }

  postForm(url: URL | string, form: URLSearchParams | Record<string, string>, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', url, { form, ...(headers === undefined ? {} : { headers }) });
  }

  postJson(url: URL | string, json: unknown, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', url, { json, ...(headers === undefined ? {} : { headers }) });
  }
}

/** The redirect target of a 3xx answer, resolved against the request URL. */
export function locationOf(reply: Reply): URL | undefined {
  if (reply.status < 300 || reply.status > 399) return undefined;
  const location = reply.headers.get('location');
  return location === null ? undefined : new URL(location, reply.url);
}

/** The body as a JSON object, or undefined when it is not one. */
export function jsonObject(reply: Reply): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(reply.text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /x → 400` style summary of a reply, for details. */
export function describeReply(reply: Reply): string {
  const json = jsonObject(reply);
  const error = typeof json?.error === 'string' ? ` ${json.error}` : '';
  const description = typeof json?.error_description === 'string' ? ` (${json.error_description})` : '';
  return `${reply.method} ${reply.url.pathname} → ${reply.status}${error}${description}`;
}
