// What the reference model predicts for one command, and what the model-based tests project the
// core's outcome onto. Both sides must produce exactly this shape, so a disagreement is a diff of
// two small objects. Lists are sorted; descriptions are not compared.

export type Observation =
  | {
      kind: 'registered';
      clientId: string;
      authMethod: string;
      /** The client secret handed out (only for confidential clients). */
      clientSecret?: string;
      redirectUris: string[];
      grantTypes: string[];
    }
  | {
      kind: 'consent_required';
      requestId: string;
      clientId: string;
      redirectUri: string;
      scopes: string[];
      resource: string;
      state?: string;
    }
  /** An authorization response sent to the client's redirect URI (success or error). */
  | { kind: 'redirect'; redirectUri: string; params: Record<string, string> }
  | {
      kind: 'tokens';
      sub: string;
      aud: string;
      clientId: string;
      scope: string;
      iat: number;
      exp: number;
      jti: string;
      gid: string;
      refreshToken?: string;
      /** The ID token's claims the rules fix (when `openid` was granted). */
      idToken?: { sub: string; aud: string; exp: number; nonce?: string };
    }
  | { kind: 'revoked' }
  | { kind: 'grant_revoked' }
  | { kind: 'ticked' }
  /** An error answered directly (never redirected): HTTP status plus OAuth error code. */
  | { kind: 'error'; error: string; status: number };
