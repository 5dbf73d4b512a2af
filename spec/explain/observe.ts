// The part of the core's outcome that crosses the wire and that the reference model predicts
// (model/observation.ts): what `explain` and the model-based tests compare, side by side.
import type { Observation } from '../../model/observation.ts';
import type { Outcome } from '../../src/core/index.ts';

export function observeOutcome(outcome: Outcome): Observation {
  switch (outcome.kind) {
    case 'registered': {
      const c = outcome.client;
      const o: Observation = { kind: 'registered', clientId: c.client_id, authMethod: c.token_endpoint_auth_method, redirectUris: c.redirect_uris, grantTypes: c.grant_types };
      if (c.client_secret !== undefined) o.clientSecret = c.client_secret;
      return o;
    }
    case 'consent_required': {
      const r = outcome.request;
      const o: Observation = { kind: 'consent_required', requestId: r.requestId, clientId: r.clientId, redirectUri: r.redirectUri, scopes: r.scopes, resource: r.resource };
      if (r.state !== undefined) o.state = r.state;
      return o;
    }
    case 'redirect': {
      const { error_description: _ignored, ...params } = outcome.redirect.params;
      return { kind: 'redirect', redirectUri: outcome.redirect.redirectUri, params };
    }
    case 'tokens': {
      const t = outcome.tokens.accessToken;
      const o: Observation = { kind: 'tokens', sub: t.sub, aud: t.aud, clientId: t.client_id, scope: t.scope, iat: t.iat, exp: t.exp, jti: t.jti, gid: t.gid };
      if (outcome.tokens.refreshToken !== undefined) o.refreshToken = outcome.tokens.refreshToken;
      const id = outcome.tokens.idToken;
      if (id !== undefined && o.kind === 'tokens') o.idToken = { sub: id.sub, aud: id.aud, exp: id.exp, ...(id.nonce === undefined ? {} : { nonce: id.nonce }) };
      return o;
    }
    case 'error':
      return { kind: 'error', error: outcome.error.error, status: outcome.error.status };
    case 'ticked':
      return { kind: 'ticked' };
    default:
      return { kind: outcome.kind };
  }
}
