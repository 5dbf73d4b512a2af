// The server under test, ready to fuzz: its metadata read through the host guard and the pace,
// a client and a browser on that same guarded fetch, the scopes to ask for and the resource.
import { Http } from '../conformance/http.ts';
import { discover } from './discover.ts';
import { guardedFetch, Pace } from './guard.ts';
import type { FuzzTarget } from './sequence.ts';

/** Scopes a server lists that are not resource scopes. */
const NOT_RESOURCE_SCOPES = new Set(['openid', 'offline_access', 'profile', 'email', 'address', 'phone']);
const FALLBACK_SCOPES = ['notes:read', 'notes:write'];

export interface TargetOptions {
  /** The authorization server's issuer. */
  url: string;
  username: string;
  password: string;
  /** Hosts besides loopback that may be contacted. */
  allowHosts?: readonly string[];
  /** Requests per second at most. */
  rate?: number;
  resource?: string;
  scopes?: readonly string[];
  authorizeParams?: Record<string, string>;
}

export async function prepareTarget(options: TargetOptions): Promise<{ target: FuzzTarget; pace: Pace }> {
  const pace = new Pace(options.rate ?? 20);
  const guarded = guardedFetch(options.allowHosts ?? [], pace);
  const client = new Http(guarded);
  const server = await discover(client, options.url);
  // One browser for the whole session: a run's clients are all new, so the signed-in session is
  // the only thing runs share, and it decides nothing the model predicts; one sign-in, not one a run.
  const browser = new Http(guarded);
  const listed = server.scopesSupported.filter((s) => !NOT_RESOURCE_SCOPES.has(s));
  const scopes = options.scopes ?? (listed.length > 0 ? listed : FALLBACK_SCOPES);
  const target: FuzzTarget = {
    wire: { server, client, newBrowser: () => browser, username: options.username, password: options.password },
    scopes: scopes.length > 0 ? scopes : FALLBACK_SCOPES,
    resource: options.resource ?? `${server.issuer.replace(/\/+$/, '')}/mcp`,
    authorizeParams: options.authorizeParams ?? {},
  };
  return { target, pace };
}
