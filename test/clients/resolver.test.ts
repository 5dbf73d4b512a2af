// What the routes get from the client resolver before the core decides: which client_ids are
// fetched at all, and what an assertion turns into when there is no document to check it against.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientResolver } from '../../src/clients/resolver.ts';
import { defaultConfig, type ClientRecord } from '../../src/core/index.ts';
import { ClientKey, DocumentHost } from '../kit/document-host.ts';

const DOC = 'https://cimd.test/client.json';
let host: DocumentHost;

beforeAll(async () => {
  host = await DocumentHost.start();
  host.serve(DOC, { client_id: DOC, redirect_uris: ['https://claude.ai/api/mcp/auth_callback'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://keys.test/jwks.json' });
});
afterAll(() => host.close());

const now = () => Math.floor(Date.now() / 1000);
const predefined: ClientRecord = { clientId: 'https://cimd.test/predefined.json', authMethod: 'none', redirectUris: ['http://127.0.0.1/cb'], grantTypes: ['authorization_code'], issuedAt: 0, source: 'predefined' };

function resolver(overrides = {}) {
  return new ClientResolver({ config: defaultConfig('https://notes.example.com', { predefinedClients: [predefined], ...overrides }), now, fetchPolicy: host.fetchPolicy() });
}

describe('client resolver', () => {
  it('[REQ-13] only usable document URLs are fetched: not registered ids, not predefined ones, not refused URLs, not when documents are off', async () => {
    const before = host.hits.length;
    expect(await resolver().documentFor('a-registered-id')).toBeUndefined();
    expect(await resolver().documentFor(undefined)).toBeUndefined();
    expect(await resolver().documentFor(predefined.clientId)).toBeUndefined();
    expect(await resolver().documentFor('https://cimd.test/a/../client.json')).toBeUndefined();
    expect(await resolver({ clientMetadataDocuments: false }).documentFor(DOC)).toBeUndefined();
    expect(host.hits.length).toBe(before);
    expect(await resolver().documentFor(DOC)).toMatchObject({ url: DOC, document: { client_id: DOC } });
    expect(host.hits.length).toBe(before + 1);
  });

  it('[REQ-13] an empty or repeated client_id names no document', async () => {
    expect(await resolver().forAuthorization({ client_id: '' })).toEqual({});
    expect(await resolver().forAuthorization({ client_id: [DOC, DOC] })).toEqual({});
  });

  it('[EC-29] without client_id the assertion\'s own sub says which document to fetch', async () => {
    const key = await ClientKey.generate('k1');
    host.serve('https://keys.test/jwks.json', key.jwks());
    const found = await resolver().forTokenRequest({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await key.sign(DOC, 'https://notes.example.com') });
    expect(found.clientDocument).toMatchObject({ url: DOC });
    expect(found.assertion).toMatchObject({ claims: { sub: DOC } });
  });

  it('[EC-29] an assertion for a client without a document (a registered id) is a failure, not an exception', async () => {
    const key = await ClientKey.generate('k1');
    const found = await resolver().forTokenRequest({ client_id: 'registered-id', client_assertion: await key.sign('registered-id', 'https://notes.example.com') });
    expect(found).toEqual({ assertion: { failure: 'the client assertion names no client whose keys are published in a metadata document' } });
  });

  it('[EC-29] an assertion for a document that could not be fetched is a failure naming the missing keys', async () => {
    const key = await ClientKey.generate('k1');
    const missing = 'https://cimd.test/missing.json';
    const found = await resolver().forTokenRequest({ client_id: missing, client_assertion: await key.sign(missing, 'https://notes.example.com') });
    expect(found.clientDocument).toEqual({ url: missing, failure: 'answered HTTP 404' });
    expect(found.assertion).toEqual({ failure: 'the client assertion names no client whose keys are published in a metadata document' });
  });

  it('[EC-29] a jwks_uri that answers JSON other than a key set is refused as such', async () => {
    const key = await ClientKey.generate('k1');
    const doc = 'https://cimd.test/odd-keys.json';
    host.serve(doc, { client_id: doc, redirect_uris: ['https://claude.ai/api/mcp/auth_callback'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://keys.test/not-keys.json' });
    host.serve('https://keys.test/not-keys.json', { hello: 'world' });
    const found = await resolver().forTokenRequest({ client_id: doc, client_assertion: await key.sign(doc, 'https://notes.example.com') });
    expect(found.assertion).toEqual({ failure: "the client's jwks_uri is not a JWK set" });
  });

  it('[REQ-13] a token request without an assertion carries only the document', async () => {
    expect(await resolver().forTokenRequest({ client_id: DOC })).toEqual({ clientDocument: expect.objectContaining({ url: DOC }) });
  });
});
