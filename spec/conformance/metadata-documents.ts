// Client ID Metadata Documents (REQ-13): what the server advertises, what it refuses without
// fetching anything useful, and, when the person running the checks hosts a document, a whole
// flow for a public document client. The refusals use client_ids that no honest server connects
// to: a loopback address and a reserved name.
import type { CheckId } from './checks.ts';
import { authorize, codeOf, exchangeCode, tokenSet } from './client.ts';
import { Failure, Findings, Skip, type CheckRun, type Conformance } from './context.ts';
import { describeReply } from './http.ts';

const CLAUDE_REDIRECT = 'https://claude.ai/api/mcp/auth_callback';

const advertised: CheckRun = async (run) => {
  const meta = run.need(run.meta, 'the authorization-server metadata (check as-metadata)');
  const found = new Findings();
  found.expect(meta.client_id_metadata_document_supported === true, `client_id_metadata_document_supported is ${JSON.stringify(meta.client_id_metadata_document_supported)}`);
  const methods = meta.token_endpoint_auth_methods_supported;
  found.expect(Array.isArray(methods) && methods.includes('none'), `token_endpoint_auth_methods_supported ${JSON.stringify(methods)} lacks none`);
  return found.verdict(`documents advertised, with ${JSON.stringify(methods)}`);
};

/** The authorization request for `clientId` must end on the server's own error page. */
async function refusedWithPage(run: Conformance, clientId: string): Promise<string> {
  const auth = await authorize(run, { client: { clientId, redirectUri: CLAUDE_REDIRECT } });
  if (auth.walk.end === 'redirect') throw new Failure(`redirected to ${auth.walk.location.origin}${auth.walk.location.pathname} for client_id ${clientId}`);
  const found = new Findings();
  found.expect(auth.walk.reply.status === 400, `${describeReply(auth.walk.reply)}, expected a 400 page`);
  return found.verdict(`${clientId}: 400 page, no redirect`);
}

const privateAddress: CheckRun = (run) => refusedWithPage(run, 'https://127.0.0.1/oauth/client.json');

const badUrl: CheckRun = (run) => refusedWithPage(run, 'https://cimd.invalid/oauth/../client.json');

const documentClient: CheckRun = async (run) => {
  if (run.clientMetadata === undefined) throw new Skip('no --client-metadata-url given (a public document listing the redirect URI)');
  const client = { clientId: run.clientMetadata.url, redirectUri: run.clientMetadata.redirectUri };
  const auth = await authorize(run, { client });
  const code = codeOf(auth);
  const found = new Findings();
  found.expect(auth.walk.end === 'redirect' && auth.walk.sawConsent, 'no consent page was shown to a new document client');
  const reply = await exchangeCode(run, { client, code, verifier: auth.pkce.verifier });
  const tokens = tokenSet(reply);
  if (tokens === undefined) throw new Failure(`code exchange with client_id only: ${describeReply(reply)}`);
  const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as Record<string, unknown>;
  found.expect(claims.client_id === client.clientId, `the access token's client_id is ${JSON.stringify(claims.client_id)}`);
  return found.verdict(`consent, code and tokens for ${client.clientId}`);
};

export const metadataDocumentChecks = {
  'cimd-advertised': advertised,
  'cimd-private-address': privateAddress,
  'cimd-bad-url': badUrl,
  'cimd-client': documentClient,
} satisfies Partial<Record<CheckId, CheckRun>>;
