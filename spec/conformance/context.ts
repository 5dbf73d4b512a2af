// What one conformance run knows so far (discovered documents, the registered ChatGPT client, the
// first token set) and how a check reports: return a detail to pass, throw to fail or skip.
import { Http, type Fetch, type Reply } from './http.ts';

export interface Target {
  /** Base URL of the server, e.g. `https://notes.example.com`; the MCP endpoint is `<base>/mcp`. */
  baseUrl: string;
  username: string;
  password: string;
  fetch?: Fetch;
  /**
   * A public client's metadata document URL (CIMD) that the server can fetch, and the redirect
   * URI it lists; without it the check that completes a document client's flow is skipped.
   */
  clientMetadataUrl?: string;
  clientMetadataRedirect?: string;
}

/** The check found the server wrong. */
export class Failure extends Error {}

/** The check does not apply to this server (e.g. no `/mcp` yet). */
export class Skip extends Error {}

/** Something an earlier step should have produced is missing; the check cannot run. */
export class Unmet extends Error {}

/** The server refused the sign-in: the run stops, since every further attempt would count against the account. */
export class SignInRefused extends Error {}

export type Json = Record<string, unknown>;

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  scope?: string;
  expires_in?: number;
  /** OpenID Connect, when `openid` was granted. */
  id_token?: string;
}

export interface RegisteredClient {
  clientId: string;
  redirectUri: string;
}

export class Conformance {
  readonly http: Http;
  /** The base URL without trailing slashes. */
  readonly base: string;
  /** The MCP endpoint a person would paste into ChatGPT. */
  readonly mcpUrl: string;
  readonly username: string;
  readonly password: string;
  readonly clientMetadata?: { url: string; redirectUri: string };

  prm?: Json;
  meta?: Json;
  client?: RegisteredClient;
  /** The code of the first authorization, for the token step. */
  pending?: { client: RegisteredClient; code: string; verifier: string };
  tokens?: TokenSet;
  mcpProbe?: Promise<Reply>;

  constructor(target: Target) {
    this.http = new Http(target.fetch ?? fetch);
    this.base = target.baseUrl.replace(/\/+$/, '');
    this.mcpUrl = `${this.base}/mcp`;
    this.username = target.username;
    this.password = target.password;
    if (target.clientMetadataUrl !== undefined) this.clientMetadata = { url: target.clientMetadataUrl, redirectUri: target.clientMetadataRedirect ?? 'http://127.0.0.1/callback' };
  }

  /** `value`, or an `Unmet` naming what an earlier step should have produced. */
  need<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Unmet(`needs ${what}`);
    return value;
  }

  /** A string member of the AS metadata (an endpoint URL, the issuer). */
  metadata(name: string): string {
    const value = this.need(this.meta, 'the authorization-server metadata (check as-metadata)')[name];
    if (typeof value !== 'string') throw new Unmet(`needs \`${name}\` in the authorization-server metadata`);
    return value;
  }

  /** The PRM `resource`, which ChatGPT copies into every `resource` parameter. */
  resource(): string {
    const value = this.need(this.prm, 'the protected-resource metadata (check prm)').resource;
    if (typeof value !== 'string') throw new Unmet('needs `resource` in the protected-resource metadata');
    return value;
  }
}

/** Collects every problem a check sees, so one run reports all of them. */
export class Findings {
  readonly problems: string[] = [];

  expect(ok: boolean, problem: string): boolean {
    if (!ok) this.problems.push(problem);
    return ok;
  }

  /** Throws a `Failure` listing the problems, or returns `detail`. */
  verdict(detail: string): string {
    if (this.problems.length > 0) throw new Failure(this.problems.join('; '));
    return detail;
  }
}

export function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** A check: resolves to its detail when it passes; throws `Failure`, `Skip` or `Unmet` otherwise. */
export type CheckRun = (run: Conformance) => Promise<string>;
