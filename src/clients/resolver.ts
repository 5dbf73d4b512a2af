// What the token, revocation and authorization routes need to know about a client before the
// core decides: the metadata document of a URL-shaped client_id and, for a client assertion, its
// verified claims. One cache for documents, one for key sets, both behind the fetch guard.
import { decodeJwt } from 'jose';
import { single } from '../core/params.ts';
import { clientFromDocument, isMetadataUrl, isOAuthError, metadataUrlVerdict } from '../core/index.ts';
import type { ClientAssertion, ClientDocument, CoreConfig, Params } from '../core/index.ts';
import { checkAssertion, isKeySet } from './assertion.ts';
import { DocumentCache, type CacheBounds } from './document-cache.ts';
import { DEFAULT_FETCH_POLICY, fetchJson, type FetchPolicy } from './fetch-json.ts';

export interface ClientResolverOptions {
  config: CoreConfig;
  now: () => number;
  fetchPolicy?: FetchPolicy;
  cacheBounds?: CacheBounds;
}

export interface RequestClient {
  clientDocument?: ClientDocument;
  assertion?: ClientAssertion;
}

/** Whose assertion this claims to be, before anything is verified: only to know which document to fetch. */
function claimedSubject(jwt: string): string | undefined {
  try {
    const { sub } = decodeJwt(jwt);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

export class ClientResolver {
  readonly #config: CoreConfig;
  readonly #now: () => number;
  readonly #documents: DocumentCache;
  readonly #keySets: DocumentCache;

  constructor({ config, now, fetchPolicy = DEFAULT_FETCH_POLICY, cacheBounds }: ClientResolverOptions) {
    this.#config = config;
    this.#now = now;
    const fetch = (url: string) => fetchJson(url, fetchPolicy);
    const bounds = cacheBounds === undefined ? {} : { bounds: cacheBounds };
    this.#documents = new DocumentCache({ fetch, now, ...bounds, isGood: (url, body) => {
      const client = clientFromDocument(config, url, body, now());
      return isOAuthError(client) ? client.description : undefined;
    } });
    this.#keySets = new DocumentCache({ fetch, now, ...bounds, isGood: (_, body) => (isKeySet(body) ? undefined : 'is not a JWK set') });
  }

  /** The document behind a URL-shaped client_id; `undefined` when the id is not one we fetch. */
  async documentFor(clientId: string | undefined): Promise<ClientDocument | undefined> {
    if (clientId === undefined || !this.#config.clientMetadataDocuments || !isMetadataUrl(clientId)) return undefined;
    if (this.#config.predefinedClients.some((c) => c.clientId === clientId)) return undefined;
    // A URL the core will refuse anyway is never fetched.
    if (!metadataUrlVerdict(clientId, this.#config).ok) return undefined;
    const found = await this.#documents.get(clientId);
    return found.ok ? { url: clientId, document: found.body } : { url: clientId, failure: found.why };
  }

  /** For the authorization endpoint. */
  forAuthorization(params: Params): Promise<RequestClient> {
    return this.documentFor(single(params, 'client_id')).then((clientDocument) => (clientDocument === undefined ? {} : { clientDocument }));
  }

  /** For the token and revocation endpoints: the document, and the assertion checked against its keys. */
  async forTokenRequest(params: Params): Promise<RequestClient> {
    const jwt = single(params, 'client_assertion');
    const clientDocument = await this.documentFor(single(params, 'client_id') ?? (jwt === undefined ? undefined : claimedSubject(jwt)));
    const found: RequestClient = clientDocument === undefined ? {} : { clientDocument };
    if (jwt === undefined) return found;
    if (clientDocument === undefined || !('document' in clientDocument) || typeof clientDocument.document !== 'object' || clientDocument.document === null) {
      return { ...found, assertion: { failure: 'the client assertion names no client whose keys are published in a metadata document' } };
    }
    const assertion = await checkAssertion(jwt, { document: clientDocument.document as Record<string, unknown>, keySets: this.#keySets, now: this.#now });
    return { ...found, assertion };
  }
}
