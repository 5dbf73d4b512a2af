// The authorization server under test, as its RFC 8414 metadata describes it: the well-known
// document built from the issuer URL (path inserted after the origin), whose `issuer` must be that
// URL, and the endpoints the fuzzer needs (authorization, token and registration; revocation when
// it is there).
import type { Http } from '../conformance/http.ts';
import { jsonObject } from '../conformance/http.ts';

export interface ServerUnderTest {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  revocationEndpoint?: string;
  /** `authorization_response_iss_parameter_supported`: with it, `iss` on redirects is a MUST (RFC 9207). */
  issAdvertised: boolean;
  scopesSupported: string[];
}

/** The server cannot be fuzzed (no metadata, no registration endpoint, ...): a one-line reason. */
export class NotFuzzable extends Error {
  override readonly name = 'NotFuzzable';
}

/** RFC 8414 §3: `/.well-known/oauth-authorization-server` inserted between the origin and the path. */
export function metadataUrl(issuer: string): URL {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return new URL(`/.well-known/oauth-authorization-server${path}`, url.origin);
}

export async function discover(http: Http, issuer: string): Promise<ServerUnderTest> {
  const where = metadataUrl(issuer);
  const reply = await http.get(where);
  const meta = jsonObject(reply);
  if (reply.status !== 200 || meta === undefined) throw new NotFuzzable(`no RFC 8414 metadata at ${where.href} (status ${reply.status})`);
  const text = (name: string): string | undefined => (typeof meta[name] === 'string' ? (meta[name] as string) : undefined);
  const wanted = issuer.replace(/\/+$/, '');
  const named = text('issuer');
  if (named === undefined || named.replace(/\/+$/, '') !== wanted) throw new NotFuzzable(`the metadata at ${where.href} names issuer ${JSON.stringify(named)}, not ${wanted}`);
  const endpoint = (name: string): string => {
    const value = text(name);
    if (value === undefined) throw new NotFuzzable(`the metadata at ${where.href} has no ${name}; the fuzzer needs it`);
    return value;
  };
  const revocation = text('revocation_endpoint');
  return {
    issuer: named,
    authorizationEndpoint: endpoint('authorization_endpoint'),
    tokenEndpoint: endpoint('token_endpoint'),
    registrationEndpoint: endpoint('registration_endpoint'),
    ...(revocation === undefined ? {} : { revocationEndpoint: revocation }),
    issAdvertised: meta.authorization_response_iss_parameter_supported === true,
    scopesSupported: Array.isArray(meta.scopes_supported) ? meta.scopes_supported.filter((s): s is string => typeof s === 'string') : [],
  };
}
