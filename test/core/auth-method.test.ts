// Auth-method negotiation (EC-27, EC-28, CGPT-32): the singular and plural members read together,
// intersected with what this server supports, the singular preferred when it is in the intersection.
import { describe, expect, it } from 'vitest';
import { negotiateAuthMethod } from '../../src/core/auth-method.ts';
import { Flow } from './flow.ts';

describe('auth-method negotiation', () => {
  it.each([
    ['nothing stated (a public client, EC-27)', undefined, undefined, 'none'],
    ['an empty plural and no singular, which states nothing either', undefined, [], 'none'],
    ["ChatGPT's document: private_key_jwt, plural none and private_key_jwt", 'private_key_jwt', ['none', 'private_key_jwt'], 'none'],
    ["Claude's document: singular none", 'none', undefined, 'none'],
    ['a supported singular that the plural also lists', 'client_secret_post', ['none', 'client_secret_post'], 'client_secret_post'],
    ['a supported singular and no plural', 'client_secret_basic', undefined, 'client_secret_basic'],
    ['only a plural, in the client order', undefined, ['client_secret_post', 'client_secret_basic'], 'client_secret_basic'],
    ['a plural with unknown methods around a supported one', undefined, ['tls_client_auth', 'client_secret_post'], 'client_secret_post'],
  ])('[EC-28][CGPT-32] %s gets %s', (_what, singular, plural, expected) => {
    expect(negotiateAuthMethod(singular, plural)).toBe(expected);
  });

  it.each([
    ['only an unsupported singular', 'private_key_jwt', undefined, /none of the offered auth methods \(private_key_jwt\) is supported/],
    ['only unsupported methods', 'tls_client_auth', ['private_key_jwt'], /none of the offered/],
    ['a singular that is not a string', 42, undefined, /must be a string/],
    ['a plural that is not an array of strings', undefined, 'none', /must be an array of strings/],
    ['a plural holding a number', undefined, ['none', 7], /must be an array of strings/],
  ])('[EC-28][RFC7591-04] %s is refused with invalid_client_metadata', (_what, singular, plural, description) => {
    const result = negotiateAuthMethod(singular, plural);
    expect(result).toMatchObject({ error: 'invalid_client_metadata', status: 400 });
    if (typeof result !== 'string') expect(result.description).toMatch(description);
  });

  it('[EC-28][EC-27] the registration answer states the method negotiated, and a public client gets no secret', () => {
    const flow = new Flow();
    const outcome = flow.register({ redirect_uris: ['https://chatgpt.com/connector/oauth/abc'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'] });
    expect(outcome).toMatchObject({ kind: 'registered', client: { token_endpoint_auth_method: 'none' } });
    if (outcome.kind === 'registered') expect(outcome.client.client_secret).toBeUndefined();
  });
});
