// The signature half of `private_key_jwt` (RFC 7523, EC-29): the assertion must be signed with an
// asymmetric algorithm by a key the client's document publishes (inline `jwks`, or `jwks_uri`
// fetched through the same guard and cache, refetched once when no key matches the `kid`). jose
// parses and verifies; the claims go to the core, which decides what they allow.
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { ASSERTION_ALGORITHMS, type ClientAssertion } from '../core/index.ts';
import type { DocumentCache } from './document-cache.ts';

/** RFC 8725 §3.11: a `typ`, when present, must say this is a client authentication JWT. */
const ACCEPTED_TYPES = ['jwt', 'oauth-client-auth+jwt'];
/** Our clock against the client's; the core still insists on its own reading of `exp`. */
const CLOCK_TOLERANCE = 30;

export function isKeySet(body: unknown): body is JSONWebKeySet {
  return typeof body === 'object' && body !== null && Array.isArray((body as { keys?: unknown }).keys);
}

function failure(text: string): ClientAssertion {
  return { failure: text };
}

function explain(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the client assertion\'s signature does not verify with the client\'s published keys';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key the client publishes matches the client assertion\'s kid and alg';
  if (error instanceof errors.JWTExpired) return 'the client assertion has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the client assertion's ${error.claim} claim is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `the client assertion's alg is not allowed (asymmetric only: ${ASSERTION_ALGORITHMS.join(', ')})`;
  if (error instanceof errors.JOSEError) return 'the client assertion is not a valid signed JWT';
  return 'the client assertion could not be checked';
}

export interface AssertionContext {
  /** The client's metadata document, as accepted by the core. */
  document: Record<string, unknown>;
  keySets: DocumentCache;
  now: () => number;
}

async function keysOf(context: AssertionContext, refetch: boolean): Promise<JSONWebKeySet | string> {
  const { jwks, jwks_uri: jwksUri } = context.document;
  if (typeof jwksUri === 'string') {
    const found = await (refetch ? context.keySets.refetch(jwksUri) : context.keySets.get(jwksUri));
    return found.ok ? (found.body as JSONWebKeySet) : `the client's jwks_uri ${found.why}`;
  }
  return isKeySet(jwks) ? jwks : 'the client publishes no keys';
}

async function verifyWith(jwt: string, keys: JSONWebKeySet, context: AssertionContext): Promise<ClientAssertion> {
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(keys), {
    algorithms: [...ASSERTION_ALGORITHMS],
    currentDate: new Date(context.now() * 1000),
    clockTolerance: CLOCK_TOLERANCE,
  });
  return { claims: { ...payload } };
}

/** At most one refetch a minute per key set, so made-up `kid`s cannot turn us into a fetch loop. */
const REFETCH_AFTER = 60;

function mayRefetch(context: AssertionContext): boolean {
  const uri = context.document.jwks_uri;
  if (typeof uri !== 'string') return false;
  const fetchedAt = context.keySets.fetchedAt(uri);
  return fetchedAt === undefined || context.now() - fetchedAt >= REFETCH_AFTER;
}

export async function checkAssertion(jwt: string, context: AssertionContext): Promise<ClientAssertion> {
  let header;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    return failure('the client assertion is not a JWT');
  }
  if (typeof header.alg !== 'string' || !ASSERTION_ALGORITHMS.includes(header.alg)) return failure(explain(new errors.JOSEAlgNotAllowed()));
  if (header.typ !== undefined && !ACCEPTED_TYPES.includes(header.typ.toLowerCase())) return failure(`the client assertion's typ ${JSON.stringify(header.typ)} is not a client authentication JWT`);
  const keys = await keysOf(context, false);
  if (typeof keys === 'string') return failure(keys);
  try {
    return await verifyWith(jwt, keys, context);
  } catch (error) {
    // Keys rotate: one refetch of the key set when none matches, never more per assertion.
    if (!(error instanceof errors.JWKSNoMatchingKey) || !mayRefetch(context)) return failure(explain(error));
  }
  const fresher = await keysOf(context, true);
  if (typeof fresher === 'string') return failure(fresher);
  try {
    return await verifyWith(jwt, fresher, context);
  } catch (error) {
    return failure(explain(error));
  }
}
