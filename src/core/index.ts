// The pure OAuth core: no I/O, no clock, no randomness. See chatgpt-apps/auth.md for the rules.
export { step } from './step.ts';
export { emptyState, applyChanges, isAccessTokenLive, owned } from './state.ts';
export { defaultConfig, openIdScopes } from './config.ts';
export { NOTES_SCOPES, NOTES_READ, NOTES_WRITE, OFFLINE_ACCESS, describeScope, effectiveScopes } from './scopes.ts';
export { redirectLocation } from './redirect.ts';
export { canonicalResource } from './resource.ts';
export { hashSecret } from './secrets.ts';
export { BUILT_IN_REDIRECT_URIS } from './redirect-policy.ts';
export { CHATGPT_CALLBACK_TEMPLATE } from './redirect-uri.ts';
export type * from './types.ts';
export { priorConsentCovers } from './consent.ts';
export { clientFromDocument, isMetadataUrl, metadataUrlVerdict } from './client-document.ts';
export { isOAuthError } from './errors.ts';
export { ASSERTION_ALGORITHMS } from './client-assertion.ts';
