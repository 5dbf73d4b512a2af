// The HTTPS origins tests register redirect URIs under. The redirect policy refuses every origin
// the operator does not trust, so a test server or core configuration trusts these (reserved
// names only), while hosts such as attacker.example and evil.example stay refused.
export const TEST_REDIRECT_ORIGINS: readonly string[] = [
  'https://a.example',
  'https://app.example',
  'https://app.example.net',
  'https://app.example.org',
  'https://client.example',
  'https://other.example',
  'https://new-client.example',
  'https://inspector.example.org',
];
