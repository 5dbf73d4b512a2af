// What the benchmark needs from a server under test: a child process on 127.0.0.1 whose CPU time
// and memory can be read, and, for an authorization server, the requests of each scenario in the
// shape autocannon sends them.

/** CPU time (user + system) and resident memory of a server's process, read from /proc. */
export interface Usage {
  cpuMicros: number;
  rssBytes: number;
}

/** What a server holds: resident set (from /proc) and V8's heap, used and reserved, plus off-heap buffers. */
export interface Memory {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

export interface Target {
  readonly name: string;
  /** Base URL, always http://127.0.0.1:<port>. */
  readonly url: string;
  readonly pid: number;
  usage(): Promise<Usage>;
  memory(): Promise<Memory>;
  stop(): Promise<void>;
}

/** One refresh chain: a client and its current refresh token. */
export interface Chain {
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
}

/**
 * A request as autocannon takes it. `setupRequest` may return undefined to start the sequence
 * again from its first request (autocannon's documented reset; its typings omit it); `context` is
 * autocannon's per-connection object, fresh at the start of each pass through the sequence.
 * autocannon writes Content-Length into the `headers` object it is given: never share one.
 */
export interface BenchRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?(request: BenchRequest, context: object): BenchRequest | undefined;
  onResponse?(status: number, body: string, context: object, headers?: Record<string, string | string[]>): void;
}

export interface OAuthTarget extends Target {
  /** One dynamic client registration (RFC 7591), the same metadata for both servers. */
  registration(): BenchRequest;
  /** Runs `count` whole flows outside any measurement and returns their refresh chains. */
  chains(count: number): Promise<Chain[]>;
  /** The refresh_token grant for `chain` at its current token. */
  refreshRequest(chain: Chain): BenchRequest;
  /** The rotated refresh token in a refresh answer (undefined when the grant failed). */
  successor(status: number, body: string): string | undefined;
  /**
   * One whole flow as a sequence of autocannon requests sharing a context: registration,
   * authorization (consent included, with the session signed in once at start), code exchange.
   * The last request's `onResponse` must call `done(ok)` once per flow.
   */
  flowRequests(done: (ok: boolean) => void): BenchRequest[];
}

/** The resource every token is for: the MCP endpoint of the server under test. */
export function mcpResource(url: string): string {
  return `${url}/mcp`;
}

/** Redirect URI used by every benchmark client (ChatGPT's shape; never followed). */
export const BENCH_REDIRECT = 'https://chatgpt.com/connector/oauth/bench';

/** A fixed PKCE pair: each flow registers a fresh client, so reuse across flows is harmless. */
export const PKCE = {
  verifier: 'bench-verifier-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
  challenge: 'DQ0uL07VMYsdUzA8SrSNQdQZi21PkSD8K7jMVqubw_g',
};

/** Header values by name: autocannon keeps header names as the server wrote them (Koa: `Location`). */
export function headerValues(headers: Record<string, string | string[]> | undefined, name: string): string[] {
  return Object.entries(headers ?? {})
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => [value].flat());
}

/** A refresh_token grant as a form post to `path` (the same parameters for every server). */
export function refreshGrant(path: string, chain: Chain, resource: string): BenchRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: chain.clientId, refresh_token: chain.refreshToken, resource }).toString(),
  };
}

/** The rotated refresh token in a token endpoint's answer (undefined when the grant failed). */
export function rotatedRefreshToken(status: number, body: string): string | undefined {
  if (status !== 200) return undefined;
  return (JSON.parse(body) as { refresh_token?: string }).refresh_token;
}

/** A flow's first step: the registration, keeping the new client_id in the flow's context. */
export function registrationStep(registration: BenchRequest): BenchRequest {
  return {
    ...registration,
    onResponse: (status, body, context: { clientId?: string }) => {
      if (status === 201) context.clientId = (JSON.parse(body) as { client_id: string }).client_id;
    },
  };
}

/** For a flow step that cannot be built: counts the flow as failed; autocannon restarts it from registration. */
export function flowFailed(done: (ok: boolean) => void): () => undefined {
  return () => {
    done(false);
    return undefined;
  };
}
