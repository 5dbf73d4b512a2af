// Server-rendered pages: pure functions from data to complete HTML documents.
export { html, SafeHtml } from './html.ts';
export type { Interpolation } from './html.ts';
export { renderLayout, STYLESHEET_URL, STYLESHEET_FILE, APP_NAME } from './layout.ts';
export { renderErrorPage, RECONNECT_ADVICE } from './error-page.ts';
export type { ErrorPageInput } from './error-page.ts';
export { renderLogin } from './login.ts';
export type { LoginInput } from './login.ts';
export { renderSetup } from './setup.ts';
export type { SetupInput } from './setup.ts';
export { renderConsent } from './consent.ts';
export type { ConsentInput } from './consent.ts';
