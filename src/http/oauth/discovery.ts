// Discovery documents (REQ-01, REQ-08): protected-resource metadata at the root and path-inserted
// locations (identical), and authorization-server metadata that advertises only what is built.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { ASSERTION_ALGORITHMS } from '../../core/index.ts';
import { OFFLINE_ACCESS } from '../../core/scopes.ts';
import { sendJson } from './response.ts';
import type { Services } from '../../app/services.ts';

export function protectedResourceMetadata(services: Services) {
  const { core } = services.config;
  return {
    resource: core.resource,
    authorization_servers: [core.issuer],
    scopes_supported: [...core.scopes], // MCP-37: offline_access is not a resource scope
    bearer_methods_supported: ['header'],
    resource_name: 'agent-notes',
  };
}

export function authorizationServerMetadata(services: Services) {
  const { core } = services.config;
  // private_key_jwt is for metadata-document clients, whose keys their document publishes.
  const methods = core.clientMetadataDocuments ? ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] : ['none', 'client_secret_basic', 'client_secret_post'];
  const signing = core.clientMetadataDocuments ? { token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS], revocation_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS] } : {};
  return {
    issuer: core.issuer,
    authorization_endpoint: `${core.issuer}/oauth/authorize`,
    token_endpoint: `${core.issuer}/oauth/token`,
    registration_endpoint: `${core.issuer}/oauth/register`,
    revocation_endpoint: `${core.issuer}/oauth/revoke`,
    jwks_uri: `${core.issuer}/oauth/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: methods,
    revocation_endpoint_auth_methods_supported: methods,
    ...signing,
    // CLA-04: Claude uses a metadata document only when this is true and none is offered.
    client_id_metadata_document_supported: core.clientMetadataDocuments,
    authorization_response_iss_parameter_supported: true,
    // EC-47: clients that copy this list verbatim still get the tool scopes; CGPT-14: ChatGPT asks
    // for every OpenID scope listed here, so they are listed only when they are granted.
    scopes_supported: [...core.scopes, OFFLINE_ACCESS, ...core.identityScopes],
  };
}

/** Whether OpenID Connect is on: its scopes are granted, so an ID token and userinfo exist. */
export function offersOpenId(services: Services): boolean {
  return services.config.core.identityScopes.includes('openid');
}

/** OIDC Discovery 1.0 §3: the AS metadata plus what an OpenID provider must state. */
export function openIdConfiguration(services: Services) {
  const { core } = services.config;
  return {
    ...authorizationServerMetadata(services),
    userinfo_endpoint: `${core.issuer}/oauth/userinfo`,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'nonce', 'email', 'email_verified', 'preferred_username', 'name'],
    // CGPT-15: accepted and ignored; the person's session decides whether they sign in again.
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

export function discoveryRoutes(router: Router, services: Services): void {
  const prm = (ctx: Context) => sendJson(ctx, 200, protectedResourceMetadata(services));
  router.get('/.well-known/oauth-protected-resource', prm);
  router.get('/.well-known/oauth-protected-resource/mcp', prm);
  router.get('/.well-known/oauth-authorization-server', (ctx) => sendJson(ctx, 200, authorizationServerMetadata(services)));
  // REQ-18: only a complete OpenID provider is advertised as one (the JSON 404 below otherwise).
  router.get('/.well-known/openid-configuration', (ctx, next) => (offersOpenId(services) ? sendJson(ctx, 200, openIdConfiguration(services)) : next()));
  // EC-08, EC-10: every other well-known path is a JSON 404, never an HTML page.
  router.all('/.well-known/{*rest}', (ctx) => sendJson(ctx, 404, { error: 'not_found', error_description: `${ctx.path} is not served here` }));
}
