// Requirement catalogue for agent-notes: one entry per rule ID of the spec-facts digest
// (sections 1–4, 7 and 9: CGPT-*, CGPT-OBS-*, CLA-*, INSP-*, MCP-*, RFC*/OA21-*/CIMD-*, EC-*, REQ-*),
// plus this project's own hardening rules (SEC-*, listed with their proofs in chatgpt-apps/security.md).
// RW-* field reports are deliberately not catalogued.
//
// `level`  — strongest level the source states (for mixed RFC/MCP items: the strongest level that
//            binds our server side; client-only rules keep the client's level and the 'client' layer).
// `layers` — where agent-notes enforces (or would enforce) the rule. 'core' is only used when the
//            pure core in `src/core/` decides it itself (see chatgpt-apps/auth.md, "Decisions", and model/README.md). Rules about features
//            that do not exist yet (CIMD, private_key_jwt, OIDC extras) are placed on the layer that
//            would own them, never on 'core'.
// Summaries are paraphrases, one line each.

export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'DOC' | 'OBS' | 'EC' | 'RW';

export type Layer = 'core' | 'http' | 'tokens' | 'mcp' | 'ui' | 'client' | 'ops';

export type Requirement = {
  id: string;
  level: Level;
  /** URL of the source document (relative path `chatgpt-apps/auth.md` for EC-* and REQ-*). */
  source: string;
  /** One line, paraphrased. */
  summary: string;
  layers: readonly Layer[];
};

// ------------------------------------------------------------------------------------- sources

const OA_AUTH = 'https://developers.openai.com/plugins/build/auth';
const OA_DEVMODE = 'https://developers.openai.com/api/docs/guides/developer-mode';
const OA_TROUBLESHOOTING = 'https://developers.openai.com/plugins/deploy/troubleshooting';
const CLAUDE_SUPPORT = 'https://support.claude.com/en/articles/11503834';
const CLAUDE_AUTH = 'https://claude.com/docs/connectors/building/authentication';
const INSPECTOR = 'https://modelcontextprotocol.io/docs/2026-07-28/tools/inspector/authorization';
const MCP_AUTH = 'https://modelcontextprotocol.io/specification/2026-07-28/basic/authorization';
const MCP_AUTH_0618 = 'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization';
const MCP_AUTH_0326 = 'https://modelcontextprotocol.io/specification/2025-03-26/basic/authorization';
const MCP_TRANSPORT = 'https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http';
const MCP_CONFORMANCE = 'https://github.com/modelcontextprotocol/conformance';
const OAUTH21 = 'https://datatracker.ietf.org/doc/draft-ietf-oauth-v2-1/';
const CIMD = 'https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/';
const LOCAL = 'chatgpt-apps/auth.md';
const SECURITY = 'chatgpt-apps/security.md';
const DEPLOY = 'chatgpt-apps/deploy.md';
const NOTES = 'chatgpt-apps/notes.md';
const rfc = (n: number): string => `https://www.rfc-editor.org/rfc/rfc${n}`;
const gh = (repo: string, n: number): string => `https://github.com/${repo}/issues/${n}`;

const r = (
  id: string,
  level: Level,
  source: string,
  layers: readonly Layer[],
  summary: string,
): Requirement => ({ id, level, source, summary, layers });

// ------------------------------------------------------------------------------------ catalogue

export const catalogue: readonly Requirement[] = [
  // ---- 1. OpenAI / ChatGPT (CGPT-*) ----------------------------------------------------------
  r('CGPT-01', 'DOC', OA_AUTH, ['http', 'mcp'], 'Publish RFC 9728 protected-resource metadata over HTTPS and/or point to it from the 401 challenge.'),
  r('CGPT-02', 'DOC', OA_AUTH, ['http'], 'PRM `resource` is the canonical HTTPS identifier of the MCP server; ChatGPT reuses it verbatim as `resource`.'),
  r('CGPT-03', 'DOC', OA_AUTH, ['http'], 'PRM `authorization_servers` lists issuer URLs, each byte-identical to that AS metadata `issuer`.'),
  r('CGPT-04', 'DOC', OA_AUTH, ['http'], 'PRM `scopes_supported` and documentation/policy links are optional extras for ChatGPT.'),
  r('CGPT-05', 'DOC', OA_AUTH, ['mcp'], 'Unauthenticated MCP requests get 401 with a Bearer challenge naming `resource_metadata` (and scope).'),
  r('CGPT-06', 'DOC', OA_AUTH, ['http'], 'Serve RFC 8414 and/or OIDC discovery metadata for the authorization server.'),
  r('CGPT-07', 'DOC', OA_AUTH, ['http'], 'AS metadata must carry correct `authorization_endpoint` and `token_endpoint` URLs.'),
  r('CGPT-08', 'DOC', OA_AUTH, ['http'], 'AS metadata must list S256 in `code_challenge_methods_supported` or ChatGPT refuses the server.'),
  r('CGPT-09', 'DOC', OA_AUTH, ['http'], 'Advertise `registration_endpoint` when DCR is offered; ChatGPT registers once per connection.'),
  r('CGPT-10', 'DOC', OA_AUTH, ['http'], 'The metadata `issuer` is the canonical AS id and appears verbatim in PRM `authorization_servers`.'),
  r('CGPT-11', 'DOC', OA_AUTH, ['http'], 'Set `client_id_metadata_document_supported: true` to let ChatGPT use CIMD.'),
  r('CGPT-12', 'DOC', OA_AUTH, ['http'], '`token_endpoint_auth_methods_supported` must reflect exactly what the token endpoint accepts.'),
  r('CGPT-13', 'DOC', OA_AUTH, ['http', 'core'], 'Advertise `authorization_response_iss_parameter_supported` only if every authorization response carries `iss`.'),
  r('CGPT-14', 'DOC', OA_AUTH, ['core', 'http'], 'Every scope advertised in AS metadata must be grantable to every client kind, else users hit invalid_scope.'),
  r('CGPT-15', 'DOC', OA_AUTH, ['core'], 'On re-authorization ChatGPT may send `id_token_hint`; ignoring it must still work.'),
  r('CGPT-16', 'DOC', OA_AUTH, ['http', 'tokens'], 'Enterprise domain restrictions need OIDC discovery, openid+email scopes and UserInfo with verified email.'),
  r('CGPT-17', 'DOC', OA_AUTH, ['mcp'], 'Per-tool scopes are declared through `securitySchemes`.'),
  r('CGPT-18', 'DOC', OA_AUTH, ['core'], 'ChatGPT redirects to the stable connector URI with RFC 9207 support, else to a per-callback-ID URI.'),
  r('CGPT-19', 'DOC', OA_AUTH, ['core'], 'The AS must exactly accept whichever ChatGPT redirect URI the client registered; prefix wildcards weaken this.'),
  r('CGPT-20', 'DOC', OA_AUTH, ['http', 'core'], 'Advertising the RFC 9207 `iss` flag unlocks the stable ChatGPT redirect URI.'),
  r('CGPT-21', 'DOC', OA_AUTH, ['http'], 'Use one identical issuer string in AS metadata and in PRM `authorization_servers`.'),
  r('CGPT-22', 'DOC', OA_AUTH, ['core'], 'Every authorization response, success or error, carries `iss` byte-equal to the metadata issuer.'),
  r('CGPT-23', 'DOC', OA_AUTH, ['client'], 'ChatGPT remembers the issuer and rejects responses whose advertised `iss` is missing or different.'),
  r('CGPT-24', 'DOC', OA_AUTH, ['client'], 'ChatGPT sends the PRM resource as `resource` on both authorization and token requests.'),
  r('CGPT-25', 'DOC', OA_AUTH, ['core', 'tokens'], 'Stamp the requested resource into the access token audience.'),
  r('CGPT-26', 'DOC', OA_AUTH, ['mcp'], 'Tokens lacking the expected audience or scopes are refused with a challenge that restarts OAuth.'),
  r('CGPT-27', 'DOC', OA_AUTH, ['client'], 'ChatGPT always uses authorization code with PKCE S256.'),
  r('CGPT-28', 'DOC', OA_AUTH, ['http'], 'Restates that S256 must be advertised in AS metadata.'),
  r('CGPT-29', 'DOC', OA_AUTH, ['client'], 'ChatGPT identifies itself via CIMD, DCR or a predefined client.'),
  r('CGPT-30', 'DOC', OA_AUTH, ['client'], 'With CIMD ChatGPT skips registration and uses a client.json URL as `client_id`.'),
  r('CGPT-31', 'DOC', OA_AUTH, ['http'], 'The AS fetches and validates the CIMD document and treats its URL as the client identity.'),
  r('CGPT-32', 'DOC', OA_AUTH, ['http', 'client'], 'Negotiate the CIMD auth method within the intersection of both lists; reject methods outside it.'),
  r('CGPT-33', 'DOC', OA_AUTH, ['core'], 'With method `none` the token endpoint redeems a PKCE-protected code without client credentials.'),
  r('CGPT-34', 'DOC', OA_AUTH, ['tokens'], 'With private_key_jwt the AS verifies ChatGPT assertions against its published JWKS.'),
  r('CGPT-35', 'DOC', OA_AUTH, ['client'], 'ChatGPT uses DCR when chosen or when CIMD is unavailable, once per connection.'),
  r('CGPT-36', 'DOC', OA_AUTH, ['core'], 'Registered/predefined clients and their secrets stay valid for the life of the connection.'),
  r('CGPT-37', 'DOC', OA_DEVMODE, ['client'], 'Developer mode uses static OAuth credentials when supplied, otherwise DCR.'),
  r('CGPT-38', 'DOC', OA_AUTH, ['ops'], 'ChatGPT presents an OpenAI-managed mTLS client certificate that can be validated as an extra signal.'),
  r('CGPT-39', 'DOC', OA_AUTH, ['ops'], 'OpenAI publishes egress IP ranges for allowlisting.'),
  r('CGPT-40', 'DOC', OA_AUTH, ['client'], 'ChatGPT supports no machine-to-machine grants, API keys or customer mTLS certificates.'),
  r('CGPT-41', 'DOC', OA_AUTH, ['mcp', 'tokens'], 'The MCP server verifies signature, issuer, time window, audience and scopes of every bearer token.'),
  r('CGPT-42', 'DOC', OA_AUTH, ['mcp'], 'Token failures answer 401 with a PRM-pointing challenge; scopes are enforced on each tool call.'),
  r('CGPT-43', 'DOC', OA_AUTH, ['mcp', 'ops'], 'Test with short-lived tokens; treat missing/stale tokens as unauthenticated; plan for revocation and refresh.'),
  r('CGPT-44', 'DOC', OA_AUTH, ['mcp'], 'The tool linking UI needs both declared metadata and a runtime `mcp/www_authenticate` tool error.'),
  r('CGPT-45', 'DOC', OA_AUTH, ['mcp'], 'Declare `securitySchemes` (noauth / oauth2+scopes) on every tool; still verify tokens per call.'),
  r('CGPT-46', 'DOC', OA_AUTH, ['mcp'], 'Missing auth on a protected tool returns isError with `_meta["mcp/www_authenticate"]` incl. error and description.'),
  r('CGPT-47', 'DOC', OA_DEVMODE, ['client', 'mcp'], 'Apps can be OAuth, no-auth or Mixed; Mixed lists tools anonymously and authenticates per tool.'),
  r('CGPT-48', 'DOC', OA_AUTH, ['mcp'], 'Multi-account: each call uses the selected account token; an optional profile tool returns a stable opaque id.'),
  r('CGPT-49', 'DOC', OA_DEVMODE, ['ops', 'client'], 'Developer mode is web-only, needs a public HTTPS server and supports SSE and streamable HTTP.'),
  r('CGPT-50', 'OBS', OA_DEVMODE, ['client'], 'An advanced OAuth settings panel lets users pick registration mode and override discovered endpoints.'),
  r('CGPT-OBS-01', 'OBS', gh('kernel/kernel-mcp-server', 91), ['http'], 'ChatGPT was seen probing only the path-inserted PRM URL, and elsewhere needing the root one: serve both.'),
  r('CGPT-OBS-02', 'OBS', OA_AUTH, ['core', 'http'], 'ChatGPT adds `offline_access` to the requested scopes when AS metadata lists it.'),
  r('CGPT-OBS-03', 'OBS', gh('stacklok/toolhive', 6278), ['http', 'core'], 'Against a none-only AS, ChatGPT with CIMD exchanged codes as a public client.'),
  r('CGPT-OBS-04', 'OBS', gh('Altinity/altinity-mcp', 118), ['http'], 'Observed shape of ChatGPT\'s CIMD document: private_key_jwt preference, RS256, JWKS URL, plural method list.'),
  r('CGPT-OBS-05', 'OBS', gh('PrefectHQ/fastmcp', 1794), ['core'], 'DCR-era ChatGPT sent the stable redirect, sometimes an empty `scope=`, and very long `state` values.'),
  r('CGPT-OBS-06', 'OBS', OA_AUTH, ['http', 'mcp'], 'Discovery fetches came from an aiohttp user agent; after linking ChatGPT called server/discover then tools/list.'),
  r('CGPT-OBS-07', 'OBS', OA_TROUBLESHOOTING, ['client'], 'ChatGPT surfaces connection failures only as generic error messages.'),

  // ---- 2. Claude and MCP Inspector (CLA-*, INSP-*) ---------------------------------------------
  r('CLA-01', 'DOC', CLAUDE_SUPPORT, ['core'], 'Accept Claude\'s claude.ai callback and also the claude.com one.'),
  r('CLA-02', 'DOC', CLAUDE_SUPPORT, ['core', 'http'], 'Claude uses DCR; a 401 invalid_client at the token endpoint tells it to re-register.'),
  r('CLA-03', 'DOC', CLAUDE_SUPPORT, ['client'], 'Claude users may enter a custom client id/secret when the AS has no DCR.'),
  r('CLA-04', 'DOC', CLAUDE_AUTH, ['client', 'http'], 'Claude picks CIMD only if metadata advertises it and lists `none`; otherwise DCR.'),
  r('CLA-05', 'DOC', CLAUDE_AUTH, ['client'], 'Claude always sends a PKCE S256 challenge.'),
  r('CLA-06', 'DOC', CLAUDE_AUTH, ['client', 'core'], 'Claude sends `resource` in canonical form (lowercase, no default port, no trailing slash, path kept).'),
  r('CLA-07', 'DOC', CLAUDE_AUTH, ['http'], 'PRM `resource` must equal the MCP URL the user entered, including its path.'),
  r('CLA-08', 'DOC', CLAUDE_AUTH, ['http'], 'Claude only uses the first entry of `authorization_servers`.'),
  r('CLA-09', 'DOC', CLAUDE_AUTH, ['client', 'http'], 'Claude discovery order: challenge URL, path-inserted PRM, root PRM; RFC 8414 before OIDC discovery.'),
  r('CLA-10', 'DOC', CLAUDE_AUTH, ['mcp'], 'Claude re-authenticates only on 401, or on 403 carrying insufficient_scope; other 403s are final.'),
  r('CLA-11', 'DOC', CLAUDE_AUTH, ['core', 'http'], 'Form-encoded token endpoint, answers within ~10 s, rotating refresh for public clients, invalid_grant for dead refresh tokens.'),
  r('CLA-12', 'DOC', CLAUDE_AUTH, ['client', 'http'], 'Claude requests `offline_access` when AS metadata lists it.'),
  r('CLA-13', 'DOC', gh('anthropics/claude-ai-mcp', 85), ['ops'], 'Claude connects from Anthropic\'s address range and only to port 443.'),
  r('CLA-14', 'DOC', CLAUDE_AUTH, ['core', 'http'], 'Claude Code uses a CIMD URL and loopback redirects whose port must be ignored.'),
  r('CLA-15', 'DOC', CLAUDE_AUTH, ['ui'], 'CIMD consent shows the client_id host rather than the self-declared name.'),
  r('CLA-16', 'DOC', CLAUDE_SUPPORT, ['core', 'mcp'], 'Allow the local Inspector callbacks and answer token-less HEAD requests gracefully.'),
  r('CLA-17', 'DOC', CLAUDE_SUPPORT, ['client'], 'Claude supports the 2025-03-26, 2025-06-18 and 2025-11-25 authorization revisions.'),
  r('INSP-01', 'DOC', INSPECTOR, ['core'], 'Inspector uses loopback callbacks on fixed or ephemeral ports; localhost and 127.0.0.1 are distinct.'),
  r('INSP-02', 'DOC', INSPECTOR, ['client'], 'Inspector supports DCR, static clients, CIMD and enterprise-managed auth.'),
  r('INSP-03', 'DOC', INSPECTOR, ['client', 'mcp'], 'Inspector re-runs OAuth on 401 and steps up on 403 insufficient_scope with the union of scopes.'),
  r('INSP-04', 'DOC', gh('modelcontextprotocol/typescript-sdk', 2092), ['client', 'http'], 'The TS SDK accepts a PRM resource only if same-origin and equal to or a prefix of the server URL.'),
  r('INSP-05', 'DOC', INSPECTOR, ['core'], 'Concurrent Inspector runs can race on rotating refresh tokens; the AS should tolerate near-simultaneous reuse.'),

  // ---- 3. MCP authorization specification (MCP-*) ----------------------------------------------
  r('MCP-01', 'SHOULD', MCP_AUTH, ['mcp'], 'Authorization is optional; HTTP transports should use it, stdio should not.'),
  r('MCP-02', 'DOC', MCP_AUTH, ['mcp'], 'A protected MCP server is an OAuth 2.1 resource server; the AS may be co-hosted or separate.'),
  r('MCP-03', 'MUST', MCP_AUTH, ['core', 'http', 'tokens'], 'The AS implements OAuth 2.1 with protections suitable for public and confidential clients.'),
  r('MCP-04', 'MUST', MCP_AUTH, ['http'], 'MCP servers implement RFC 9728 and list at least one authorization server in PRM.'),
  r('MCP-05', 'MUST', MCP_AUTH, ['http', 'mcp'], 'Make PRM discoverable via the 401 challenge and/or the path-inserted or root well-known URL.'),
  r('MCP-06', 'MUST', MCP_AUTH, ['client'], 'Clients use the challenge URL first, else probe path-inserted then root PRM.'),
  r('MCP-07', 'MUST', MCP_AUTH, ['client'], 'Clients parse WWW-Authenticate and react to 401.'),
  r('MCP-08', 'SHOULD', MCP_AUTH, ['mcp'], 'Include `scope` in the challenge; clients treat it as authoritative for the current operation.'),
  r('MCP-09', 'MUST', MCP_AUTH, ['http'], 'The AS publishes RFC 8414 or OIDC discovery metadata; clients support both.'),
  r('MCP-10', 'MUST', MCP_AUTH, ['client'], 'Clients probe AS metadata URLs in a fixed order depending on whether the issuer has a path.'),
  r('MCP-11', 'MUST', MCP_AUTH, ['client', 'http'], 'Clients discard metadata whose `issuer` differs from the issuer used to locate it.'),
  r('MCP-12', 'DOC', MCP_AUTH, ['http'], 'MCP uses the standard oauth-authorization-server well-known suffix only.'),
  r('MCP-13', 'MUST', MCP_AUTH, ['client'], 'Clients keep client ids and tokens per AS and never reuse them across ASes.'),
  r('MCP-14', 'SHOULD', MCP_AUTH_0618, ['core', 'http'], '2025-06-18: AS and clients should support RFC 7591 dynamic registration.'),
  r('MCP-15', 'SHOULD', MCP_AUTH, ['client', 'http'], 'Registration options are pre-registration, CIMD (preferred) and DCR, tried in a set priority.'),
  r('MCP-16', 'MAY', MCP_AUTH, ['core', 'http'], 'DCR is deprecated but still allowed; clients must hold a client id before starting.'),
  r('MCP-17', 'MUST', MCP_AUTH, ['client'], 'A CIMD client id is an HTTPS URL with a path whose document repeats that exact URL.'),
  r('MCP-18', 'MUST', MCP_AUTH, ['http'], 'An AS using CIMD checks document validity, `client_id` equality and the redirect URI against the document.'),
  r('MCP-19', 'SHOULD', MCP_AUTH, ['http'], 'Signal CIMD support with `client_id_metadata_document_supported: true`.'),
  r('MCP-20', 'MUST', MCP_AUTH, ['client', 'core'], 'DCR clients send `application_type`; the AS must tolerate the member.'),
  r('MCP-21', 'MUST', MCP_AUTH, ['client'], 'Clients bind stored registrations to the AS issuer and re-register when it changes.'),
  r('MCP-22', 'SHOULD', MCP_AUTH, ['client'], 'Clients take initial scopes from the challenge, else from PRM, else send none.'),
  r('MCP-23', 'DOC', MCP_AUTH, ['http'], 'PRM `scopes_supported` is a minimal baseline; more arrives via step-up.'),
  r('MCP-24', 'SHOULD', MCP_AUTH, ['mcp'], 'A valid token with too little scope gets 403 insufficient_scope with scope and resource_metadata.'),
  r('MCP-25', 'MUST', MCP_AUTH, ['mcp'], 'Challenge with all scopes the operation needs at once; honour scope hierarchies.'),
  r('MCP-26', 'SHOULD', MCP_AUTH, ['client'], 'Clients step up with the union of held and challenged scopes and cap retries.'),
  r('MCP-27', 'MUST', MCP_AUTH, ['client'], 'Clients store the expected issuer with the PKCE verifier before redirecting.'),
  r('MCP-28', 'MUST', MCP_AUTH, ['core', 'http'], 'The AS should put `iss` on all authorization responses and then must advertise the flag.'),
  r('MCP-29', 'MUST', MCP_AUTH, ['client'], 'Clients check `iss` by exact string comparison per the flag/presence matrix before using a code.'),
  r('MCP-30', 'MUST', MCP_AUTH, ['client'], 'Clients send the canonical MCP URI as `resource` on authorization and token requests.'),
  r('MCP-31', 'SHOULD', MCP_AUTH, ['core', 'http'], 'Canonical resource URIs are absolute without fragment; accept uppercase; prefer no trailing slash.'),
  r('MCP-32', 'MUST', MCP_AUTH, ['client'], 'Clients send the bearer token in the Authorization header on every request, never in the query.'),
  r('MCP-33', 'MUST', MCP_AUTH, ['mcp', 'tokens'], 'MCP servers validate tokens including audience; invalid or expired tokens get 401.'),
  r('MCP-34', 'MUST', MCP_AUTH, ['mcp', 'tokens'], 'MCP servers accept only tokens minted for their own resource and never forward others.'),
  r('MCP-35', 'MUST NOT', MCP_AUTH, ['mcp'], 'Never pass the client token through to upstream APIs; reject tokens without our audience.'),
  r('MCP-36', 'MUST', MCP_AUTH, ['client'], 'Clients keep refresh tokens secret, may ask for offline_access, and never assume one is issued.'),
  r('MCP-37', 'SHOULD NOT', MCP_AUTH, ['http', 'mcp'], 'Keep `offline_access` out of PRM scopes and out of challenge scopes.'),
  r('MCP-38', 'MUST', MCP_AUTH, ['mcp', 'http'], 'Status codes: 401 for missing/invalid tokens, 403 for insufficient scope, 400 for malformed requests.'),
  r('MCP-39', 'MUST', MCP_AUTH, ['core', 'http', 'tokens', 'ui'], 'Apply the OAuth 2.1 security considerations.'),
  r('MCP-40', 'MUST', MCP_AUTH, ['core'], 'Issue short-lived access tokens, rotate public-client refresh tokens, store tokens securely.'),
  r('MCP-41', 'MUST', MCP_AUTH, ['ops', 'core'], 'All AS endpoints use HTTPS; redirect URIs are loopback or HTTPS.'),
  r('MCP-42', 'MUST', MCP_AUTH, ['client', 'http'], 'Clients verify PKCE support and use S256; the AS lists PKCE methods in its discovery metadata.'),
  r('MCP-43', 'MUST', MCP_AUTH, ['core', 'ui'], 'The AS validates redirect URIs exactly against registered ones and never redirects to untrusted URIs.'),
  r('MCP-44', 'MUST', MCP_AUTH, ['ui', 'http'], 'For CIMD: guard fetches against SSRF, warn on loopback-only redirects, display the redirect host.'),
  r('MCP-45', 'MUST', MCP_AUTH, ['ui'], 'Per-client consent with CSRF protection, anti-framing, hardened cookies and single-use state.'),
  r('MCP-46', 'DOC', MCP_AUTH, ['core', 'client'], 'Mix-up attacks are countered by issuer validation, not by PKCE.'),
  r('MCP-47', 'MUST', MCP_AUTH, ['mcp', 'tokens'], 'Validate the token before processing a request; leak nothing to unauthorized callers.'),
  r('MCP-48', 'MUST', MCP_AUTH, ['mcp'], 'A server-issued state handle is never proof of authentication.'),
  r('MCP-49', 'MUST', MCP_TRANSPORT, ['http', 'mcp'], 'Validate `Origin` and answer 403 when present and not allowed.'),
  r('MCP-50', 'MUST', MCP_TRANSPORT, ['mcp'], 'Enforce the protocol-version and method/name headers with the specified 400/404 errors.'),
  r('MCP-51', 'MUST', MCP_TRANSPORT, ['mcp'], 'Stateless 2026-07-28 transport: implement server/discover, keep legacy initialize for old clients.'),
  r('MCP-52', 'MUST', MCP_AUTH_0326, ['client', 'http'], '2025-03-26 clients derive metadata and fallback endpoints from the MCP origin.'),
  r('MCP-53', 'DOC', MCP_CONFORMANCE, ['mcp', 'tokens', 'http'], 'The MCP conformance suite provides server auth scenarios usable as a test oracle.'),

  // ---- 4. RFCs and drafts ----------------------------------------------------------------------
  r('RFC9728-01', 'MUST', rfc(9728), ['http'], 'PRM requires `resource`; other members such as authorization_servers and scopes are optional.'),
  r('RFC9728-02', 'MUST', rfc(9728), ['http'], 'PRM lives under the oauth-protected-resource well-known suffix inserted before the resource path.'),
  r('RFC9728-03', 'MUST', rfc(9728), ['http'], 'PRM is served as 200 application/json; unknown members are ignored by readers.'),
  r('RFC9728-04', 'MUST', rfc(9728), ['client', 'http'], 'Clients drop PRM whose `resource` differs from the identifier they derived the URL from.'),
  r('RFC9728-05', 'MAY', rfc(9728), ['mcp'], 'Challenges may carry a `resource_metadata` parameter pointing to the PRM.'),
  r('RFC9728-06', 'MAY', rfc(9728), ['client'], 'Clients choose among listed ASes; metadata validation prevents impersonation.'),
  r('RFC8414-01', 'MUST', rfc(8414), ['http'], 'AS metadata needs issuer, endpoints and response_types_supported; PKCE methods signal PKCE support.'),
  r('RFC8414-02', 'MUST', rfc(8414), ['http'], 'AS metadata is served at the oauth-authorization-server well-known path built from the issuer.'),
  r('RFC8414-03', 'MUST', rfc(8414), ['client', 'http'], 'Clients require the returned `issuer` to equal the issuer used to build the URL.'),
  r('RFC7591-01', 'MUST', rfc(7591), ['core', 'http'], 'Open JSON registration with standard metadata defaults; unknown members are ignored.'),
  r('RFC7591-02', 'MUST', rfc(7591), ['core'], 'The AS may adjust requested metadata but must return what it actually registered.'),
  r('RFC7591-03', 'MUST', rfc(7591), ['core', 'http'], 'Successful registration: 201 with client_id and, for secrets, client_secret_expires_at.'),
  r('RFC7591-04', 'MUST', rfc(7591), ['core', 'http'], 'Registration errors are 400 JSON using the RFC 7591 error codes.'),
  r('RFC7591-05', 'MAY', rfc(7591), ['http'], 'Client management (RFC 7592) is optional and not needed for MCP.'),
  r('RFC7636-01', 'MUST', rfc(7636), ['core', 'client'], 'A code verifier is 43–128 unreserved characters.'),
  r('RFC7636-02', 'MUST', rfc(7636), ['core'], 'S256 challenge is base64url(SHA-256(verifier)); servers must implement S256; absent method means plain.'),
  r('RFC7636-03', 'MUST', rfc(7636), ['core'], 'Keep the challenge with the code; missing/unsupported challenge is invalid_request; wrong verifier is invalid_grant.'),
  r('RFC8707-01', 'MUST', rfc(8707), ['core'], '`resource` is an absolute URI without fragment, may repeat, and is accepted at authorize and token.'),
  r('RFC8707-02', 'SHOULD', rfc(8707), ['core'], 'Unacceptable or unparsable resource values are refused with invalid_target.'),
  r('RFC8707-03', 'SHOULD', rfc(8707), ['core', 'tokens'], 'Audience-restrict access tokens to the indicated resource; later requests may only narrow it.'),
  r('RFC9207-01', 'MUST', rfc(9207), ['core'], 'Success and error authorization responses carry `iss` equal to the issuer identifier.'),
  r('RFC9207-02', 'SHOULD', rfc(9207), ['http'], 'Metadata flag `authorization_response_iss_parameter_supported` signals `iss` support (default false).'),
  r('RFC9207-03', 'MUST', rfc(9207), ['client'], 'Clients compare `iss` exactly and reject missing-but-advertised or mismatching values.'),
  r('RFC6750-01', 'MUST', rfc(6750), ['mcp'], 'The resource server accepts bearer tokens in the Authorization header; query use is discouraged.'),
  r('RFC6750-02', 'MUST', rfc(6750), ['mcp'], 'Bearer challenges may carry realm, a single scope, error, error_description and error_uri.'),
  r('RFC6750-03', 'SHOULD', rfc(6750), ['mcp'], 'Map invalid_request to 400, invalid_token to 401, insufficient_scope to 403.'),
  r('RFC6750-04', 'SHOULD NOT', rfc(6750), ['mcp'], 'Omit the error code from the challenge when the request had no credentials at all.'),
  r('RFC7009-01', 'MUST', rfc(7009), ['core', 'http'], 'Revocation is a form POST with `token`; the client authenticates and may only revoke its own tokens.'),
  r('RFC7009-02', 'SHOULD', rfc(7009), ['core'], 'Answer 200 even for invalid tokens; revoking a refresh token also kills its access tokens.'),
  r('RFC7009-03', 'MAY', rfc(7009), ['http'], 'Advertise the revocation endpoint in AS metadata; no MCP client requires it.'),
  r('RFC9700-01', 'MUST', rfc(9700), ['core'], 'Compare redirect URIs by exact string (loopback port excepted); no open redirectors.'),
  r('RFC9700-02', 'MUST', rfc(9700), ['core'], 'The AS supports PKCE, prefers S256 and blocks PKCE downgrade in either direction.'),
  r('RFC9700-03', 'MUST NOT', rfc(9700), ['core'], 'No resource-owner password grant; implicit grant discouraged.'),
  r('RFC9700-04', 'MUST', rfc(9700), ['client'], 'Clients talking to several ASes defend against mix-up via `iss` or per-AS redirect URIs.'),
  r('RFC9700-05', 'SHOULD', rfc(9700), ['core', 'tokens'], 'Access tokens should be audience-restricted and minimally scoped.'),
  r('RFC9700-06', 'MUST', rfc(9700), ['core'], 'Public-client refresh tokens are sender-constrained or rotated.'),
  r('RFC9700-07', 'MUST', rfc(9700), ['core', 'http', 'ui'], 'Codes are single-use, short-lived and client-bound; no 307 redirects; anti-clickjacking; no tokens in URLs.'),
  r('RFC9700-08', 'SHOULD', rfc(9700), ['core'], 'Prefer asymmetric client authentication for confidential clients.'),
  r('OA21-01', 'MUST', OAUTH21, ['core'], 'OAuth 2.1 baseline: mandatory PKCE, exact redirects, no implicit/ROPC, no query tokens, protected public refresh.'),
  r('OA21-02', 'MUST', OAUTH21, ['core'], 'Require `code_challenge`; demand a verifier exactly when a challenge was sent.'),
  r('OA21-03', 'MUST', OAUTH21, ['core'], '`redirect_uri` may be omitted only with a single registered URI; simple string match, any loopback port.'),
  r('OA21-04', 'MUST', OAUTH21, ['core'], 'Accept an OAuth 2.0-style `redirect_uri` at the token endpoint and require it to match the original.'),
  r('OA21-05', 'MUST', OAUTH21, ['core'], 'A code yields tokens once; a replay is denied and should revoke the tokens it produced.'),
  r('OA21-06', 'MUST', OAUTH21, ['core'], 'Refresh stays bound to its client, never widens scope, and public-client reuse is detected via rotation.'),
  r('OA21-07', 'MUST', OAUTH21, ['core', 'http'], 'Standard token/authorize error codes; invalid_client is 401 with Basic; bad client or redirect is never redirected.'),
  r('OA21-08', 'MUST', OAUTH21, ['client', 'http'], '`state` is optional with PKCE; token requests are form-urlencoded.'),
  r('CIMD-01', 'MUST', CIMD, ['client', 'http'], 'A CIMD client_id is an https URL with a path and no fragment, userinfo or dot segments.'),
  r('CIMD-02', 'MUST', CIMD, ['client', 'http'], 'The document repeats its URL as client_id and uses no shared-secret authentication.'),
  r('CIMD-03', 'MUST', CIMD, ['http', 'ui'], 'Fetch on demand, fail closed, never cache bad documents, match redirects exactly, avoid SSRF, show the host.'),
  r('CIMD-04', 'MAY', CIMD, ['http'], 'Pending: a plural auth-methods member in client metadata replaces the singular one.'),
  r('RFC7523-01', 'MUST', rfc(7523), ['tokens'], 'JWT client assertions: iss=sub=client_id, aud identifies the AS, exp required; replay-check jti.'),

  // ---- 7. Edge cases (EC-*) ----------------------------------------------------------------------
  r('EC-01', 'EC', LOCAL, ['core', 'http'], 'Trailing-slash variants of the resource: canonicalise input, mint the canonical string.'),
  r('EC-02', 'EC', LOCAL, ['core', 'http'], 'Origin-only versus path-qualified resource: the full MCP URL is the resource.'),
  r('EC-03', 'EC', LOCAL, ['core'], 'A request without `resource` defaults to the single configured resource.'),
  r('EC-04', 'EC', LOCAL, ['core'], 'Token-time resource differing from the authorized one is invalid_target; omitted means the authorized one.'),
  r('EC-05', 'EC', LOCAL, ['core'], 'Refresh never widens audience or scope; an omitted resource keeps the original.'),
  r('EC-06', 'EC', LOCAL, ['core'], 'Repeated `resource` values on a single-resource AS: define acceptance or invalid_target.'),
  r('EC-07', 'EC', LOCAL, ['core'], 'Uppercase scheme/host in `resource` is accepted after canonicalisation.'),
  r('EC-08', 'EC', LOCAL, ['http'], 'PRM path forms and SPA catch-alls: return JSON at every plausible well-known path, JSON 404 elsewhere.'),
  r('EC-09', 'EC', LOCAL, ['http', 'core'], 'Issuer strings must match byte-for-byte across metadata, PRM and `iss`.'),
  r('EC-10', 'EC', LOCAL, ['http'], 'Serve openid-configuration only as a real OIDC document with the same issuer.'),
  r('EC-11', 'EC', LOCAL, ['core'], 'Empty or missing scope yields the default set; registered DCR scope is not enforced.'),
  r('EC-12', 'EC', LOCAL, ['core', 'http'], 'Default OIDC scope requests must not fail; accept them even if ignored.'),
  r('EC-13', 'EC', LOCAL, ['core', 'http'], '`offline_access` belongs in AS metadata, not PRM; refresh-token issuance policy is explicit.'),
  r('EC-14', 'EC', LOCAL, ['mcp', 'client'], 'Step-up: clients may replace instead of union scopes; broader scopes satisfy narrower ones.'),
  r('EC-15', 'EC', LOCAL, ['core'], 'Refresh asking for more scope than granted is invalid_scope; omitted keeps the original.'),
  r('EC-16', 'EC', LOCAL, ['http', 'client'], 'Clients that build scope from AS metadata need the resource scopes listed there.'),
  r('EC-17', 'EC', LOCAL, ['core'], 'PKCE matrix: missing/plain challenge, bad verifier length or charset, verifier/challenge presence mismatch.'),
  r('EC-18', 'EC', LOCAL, ['core'], 'Sequential or concurrent code replay yields at most one token set and revokes it.'),
  r('EC-19', 'EC', LOCAL, ['core'], 'A code only works with its own client, resource, verifier and scopes, within its short lifetime.'),
  r('EC-20', 'EC', LOCAL, ['core'], '`redirect_uri` at the token endpoint is optional but must match when sent.'),
  r('EC-21', 'EC', LOCAL, ['core', 'ui'], 'Omitted redirect_uri with one registered URI; unknown client or bad redirect shows an error page.'),
  r('EC-22', 'EC', LOCAL, ['core'], 'Loopback redirects ignore the port; localhost, 127.0.0.1 and [::1] are distinct; http only for loopback.'),
  r('EC-23', 'EC', LOCAL, ['core'], 'ChatGPT callback-ID redirects: templates must stay host-locked and strictly shaped.'),
  r('EC-24', 'EC', LOCAL, ['core'], '`state` may be long or absent and is echoed unchanged when present.'),
  r('EC-25', 'EC', LOCAL, ['core', 'ui'], 'Denied consent redirects access_denied with state and iss; pre-validation errors never redirect.'),
  r('EC-26', 'EC', LOCAL, ['core', 'http'], 'Token endpoint client-auth matrix, incl. double credentials and 401 for Basic failures.'),
  r('EC-27', 'EC', LOCAL, ['core'], 'DCR without an auth method: choose explicitly (public none) and echo the effective method.'),
  r('EC-28', 'EC', LOCAL, ['http'], 'CIMD singular versus plural auth-method members: negotiate within the intersection.'),
  r('EC-29', 'EC', LOCAL, ['tokens', 'http'], 'private_key_jwt assertion checks: iss/sub, issuer-or-endpoint aud, exp, jti replay, kid lookup.'),
  r('EC-30', 'EC', LOCAL, ['core'], 'A deleted or expired DCR client gets 401 invalid_client; never expire DCR clients or secrets.'),
  r('EC-31', 'EC', LOCAL, ['core'], 'Refresh reuse after rotation revokes the family; a short grace window absorbs concurrent retries.'),
  r('EC-32', 'EC', LOCAL, ['core'], 'Refresh with or without resource or stray secret; after revocation it is invalid_grant.'),
  r('EC-33', 'EC', LOCAL, ['tokens', 'mcp'], 'Audience as string or array; the RS accepts only its canonical identifier.'),
  r('EC-34', 'EC', LOCAL, ['mcp'], 'Stale tokens on no-auth tools: ignore them or reject consistently.'),
  r('EC-35', 'EC', LOCAL, ['core'], 'Revocation answers 200 for unknown tokens, ignores hint mismatches, and cascades refresh to access tokens.'),
  r('EC-36', 'EC', LOCAL, ['mcp'], 'HTTP 401 versus in-band tool-error challenges for Claude and ChatGPT.'),
  r('EC-37', 'EC', LOCAL, ['mcp'], 'No-token challenges differ: HTTP omits error, the in-band form needs error and description.'),
  r('EC-38', 'EC', LOCAL, ['mcp'], 'Mixed auth: discovery and listing work anonymously; only protected tool calls challenge.'),
  r('EC-39', 'EC', LOCAL, ['mcp', 'http'], 'Ordering of auth, protocol-version and Origin errors for unauthenticated first requests.'),
  r('EC-40', 'EC', LOCAL, ['http', 'mcp'], 'HEAD/GET/OPTIONS on the MCP URL without a token: preflight needs no auth, GET may be 405.'),
  r('EC-41', 'EC', LOCAL, ['http'], 'CIMD fetch edge cases: URL shape, redirects, size, JSON, id mismatch, SSRF, caching, fail closed.'),
  r('EC-42', 'EC', LOCAL, ['core', 'client'], 'Clients re-register when the AS changes; nothing may depend on old DCR ids.'),
  r('EC-43', 'EC', LOCAL, ['core', 'http'], '`iss` on every success and error path and advertised; encoded value decodes to the issuer.'),
  r('EC-44', 'EC', LOCAL, ['mcp'], '`mcp/www_authenticate` value as string or array, with and without error fields.'),
  r('EC-45', 'EC', LOCAL, ['mcp'], 'Keep top-level and `_meta` securitySchemes copies identical.'),
  r('EC-46', 'EC', LOCAL, ['core'], 'An unusable `id_token_hint` never fails the authorization request.'),
  r('EC-47', 'EC', LOCAL, ['http', 'core'], 'Everything in AS `scopes_supported` must be grantable to every client.'),
  r('EC-48', 'EC', LOCAL, ['core', 'mcp'], 'One client, many users: tokens are per grant and the profile id is the token owner.'),

  // ---- 9. Consolidated build requirements (REQ-*) ------------------------------------------------
  r('REQ-01', 'MUST', LOCAL, ['http'], 'Serve identical PRM at path-inserted and root URLs with canonical resource, one issuer, minimal scopes.'),
  r('REQ-02', 'MUST', LOCAL, ['mcp'], 'Protected operations without a valid token get 401 with a resource_metadata Bearer challenge.'),
  r('REQ-03', 'MUST', LOCAL, ['mcp', 'tokens'], 'Validate signature, issuer, time, audience and scopes of every token; never forward tokens.'),
  r('REQ-04', 'SHOULD', LOCAL, ['mcp'], 'Insufficient scope gets 403 insufficient_scope naming every needed scope.'),
  r('REQ-05', 'DOC', LOCAL, ['mcp'], 'Per-tool securitySchemes (mirrored in _meta) and in-band tool-error challenges for ChatGPT.'),
  r('REQ-06', 'MUST', LOCAL, ['mcp', 'http'], 'Origin check, protocol-version handling, legacy initialize plus server/discover; auth before dispatch.'),
  r('REQ-07', 'MAY', LOCAL, ['ops'], 'OpenAI mTLS certificates are an extra signal only, never user authentication.'),
  r('REQ-08', 'MUST', LOCAL, ['http'], 'Path-correct RFC 8414 metadata with the required members and only features really implemented.'),
  r('REQ-09', 'MUST', LOCAL, ['core'], 'Code flow with mandatory S256 PKCE; codes single-use, short-lived and bound to their request.'),
  r('REQ-10', 'MUST', LOCAL, ['core', 'ui'], 'Exact redirect matching with loopback port freedom; known client callbacks accepted; never redirect on bad client/redirect.'),
  r('REQ-11', 'MUST', LOCAL, ['core', 'tokens'], 'Canonicalise `resource` at authorize, token and refresh; must equal the MCP resource; aud is that resource.'),
  r('REQ-12', 'SHOULD', LOCAL, ['core', 'http'], 'Emit `iss` on every authorization response and advertise the flag.'),
  r('REQ-13', 'SHOULD', LOCAL, ['http', 'ui'], 'Safe CIMD support with method negotiation and client host on consent.'),
  r('REQ-14', 'MAY', LOCAL, ['core', 'http'], 'RFC 7591 DCR: open JSON POST, 201, echo effective metadata, tolerant of unknown fields, clients never expire.'),
  r('REQ-15', 'MUST', LOCAL, ['core', 'http'], 'Form-encoded token endpoint with none/secret auth, 401 invalid_client for Basic, optional redirect_uri check, JSON errors.'),
  r('REQ-16', 'MUST', LOCAL, ['core'], 'Rotating refresh tokens with family revocation on reuse, invalid_grant when dead, no scope or resource widening.'),
  r('REQ-17', 'SHOULD', LOCAL, ['ui'], 'Consent page shows client name and host, warns on loopback-only, resists CSRF and framing.'),
  r('REQ-18', 'MAY', LOCAL, ['http', 'tokens'], 'Optional OIDC extras for ChatGPT Enterprise: ID token, UserInfo, id_token_hint.'),
  r('REQ-19', 'MAY', LOCAL, ['core', 'http'], 'RFC 7009 revocation: 200 for unknown tokens; revoking a refresh token kills its access tokens.'),
  r('REQ-20', 'MUST', LOCAL, ['ops'], 'Everything on public HTTPS port 443 with valid certificates and no WAF blocking of discovery.'),

  // ---- 10. Hardening of the shell (SEC-*), from the hostile-user review (issue 14) -----------------
  r('SEC-LOGIN-01', 'MUST', SECURITY, ['http'], 'Sign-in failures are limited per (username, address) and per address, so failures from one address alone never block the right password from another.'),
  r('SEC-LOGIN-02', 'MUST', SECURITY, ['http'], 'A slower per-username backstop stops guesses spread over many addresses, except from an address the user already signed in from.'),
  r('SEC-PWD-01', 'MUST', SECURITY, ['http'], 'A wrong current password on the password form counts as a failed sign-in; past the limit even the right one waits.'),
  r('SEC-PWD-02', 'MUST', SECURITY, ['http', 'ui'], 'Changing the password disconnects every app unless the person unticks it, and says how many were disconnected.'),
  r('SEC-SHARE-01', 'MUST', SECURITY, ['http', 'ui'], 'A note shared again gets a new public link; a link closed by unsharing never opens again.'),
  r('SEC-DATA-01', 'MUST', SECURITY, ['ops'], 'Every data file is created owner-only (0600) in an owner-only (0700) directory.'),
  r('SEC-DATA-02', 'MUST', SECURITY, ['ops'], 'At start a data directory open to others is narrowed to owner-only and logged, or start-up is refused with one clear message.'),
  r('SEC-SETUP-01', 'MUST', SECURITY, ['http'], 'First-run setup checks its token before hashing any password, and is rate-limited per address.'),
  r('SEC-LOGOUT-01', 'MUST', SECURITY, ['http'], 'Sign-out without the session CSRF token is refused with the 403 page and leaves the session alone; a valid one ends it server-side.'),
  r('SEC-RATE-01', 'MUST', SECURITY, ['http'], '/mcp is limited per grant only for a bearer token that verifies; anything else counts against its address.'),
  r('SEC-RATE-02', 'MUST', SECURITY, ['http'], 'A client\'s token-endpoint budget is spent only by its successful requests; failures count against their address.'),
  r('SEC-NOTES-01', 'MUST', SECURITY, ['http'], 'One person\'s notes are bounded in total bytes (NOTES_MAX_MB_PER_USER); a write past it is refused with a clear error, shrinking always works.'),
  r('SEC-SEARCH-01', 'MUST', SECURITY, ['mcp', 'ui'], 'A search query is bounded (500 characters, 20 words) and each note is tokenized once per version, not per search.'),
  r('SEC-RATE-03', 'MUST', SECURITY, ['http'], 'The revocation endpoint is rate-limited per address.'),

  // ---- 11. Running it on a small server (OPS-*), issue 15 ------------------------------------------
  r('OPS-LOCK-01', 'MUST', DEPLOY, ['ops'], 'A second live agent-notes on one data directory is refused with one clear line naming the holder.'),
  r('OPS-LOCK-02', 'MUST', DEPLOY, ['ops'], 'A lock left by a crash, a reboot or a container restart never blocks start-up, even when its pid now belongs to another live process.'),
  r('OPS-STOP-01', 'MUST', DEPLOY, ['ops'], 'SIGTERM or SIGINT stops accepting, lets requests in flight finish within SHUTDOWN_TIMEOUT, flushes and compacts, releases the lock and exits 0 with one line.'),
  r('OPS-STOP-02', 'MUST', DEPLOY, ['ops'], 'A second signal exits at once; nothing acknowledged is lost.'),
  r('OPS-KEYS-01', 'MUST', DEPLOY, ['ops', 'tokens'], '`keys rotate` reaches a running server: new tokens are signed by the new key at once, and tokens signed before stay valid.'),
  r('OPS-KEYS-02', 'MUST', DEPLOY, ['ops', 'tokens'], 'A retired key stays in the JWKS until every token it signed has expired, then is dropped; `keys list` says which key signs and why each other one is kept.'),
  r('OPS-KEYS-03', 'MUST', DEPLOY, ['ops'], 'A missing keys.json next to existing data is a loud warning (every issued token dies), not a silent new key.'),
  r('OPS-HEALTH-01', 'MUST', DEPLOY, ['http'], 'GET /healthz says whether the process is up, the store writable and a key loaded, with no secrets and no usage counts.'),
  r('OPS-LOG-01', 'MUST', DEPLOY, ['http'], 'Every request gets an id, sent as X-Request-Id and written on its log line.'),
  r('OPS-CLI-01', 'MUST', DEPLOY, ['ops'], 'Every verb and `serve` answer a bad setting, argument or environment with one line and a non-zero exit; no stack trace unless LOG_LEVEL=debug.'),
  r('OPS-CLI-02', 'MUST', DEPLOY, ['ops'], 'Every verb answers --help and --version without doing anything else.'),
  r('OPS-PEOPLE-01', 'MUST', DEPLOY, ['ops'], 'People are listed, added, given a new password and removed from the CLI, whether the server runs or not.'),
  r('OPS-PROXY-01', 'MUST', DEPLOY, ['http'], 'Forwarded headers are honoured only from the proxy addresses configured (loopback by default); the server binds 127.0.0.1 unless told otherwise.'),
  r('OPS-CONF-01', 'MUST', DEPLOY, ['ops'], '`conformance` stops at the first refused sign-in with "wrong password for <user>", so repeated runs cannot lock the owner out.'),
  r('OPS-BACKUP-01', 'MUST', DEPLOY, ['ops'], '`backup <file>` on a running server writes a self-contained copy of one consistent point (state, signing keys, clients file) while requests go on; the server itself only links files.'),
  r('OPS-BACKUP-02', 'MUST', DEPLOY, ['ops'], 'A backup restored into a fresh data directory gives back exactly the state that was backed up, and the server starts on it with its keys.'),
  r('OPS-BACKUP-03', 'MUST', DEPLOY, ['ops'], '`restore <file>` refuses, with one line and nothing changed, a damaged, foreign or newer-version file, and a data directory a running server holds; the data it replaces is kept aside.'),
  r('OPS-MIGRATE-01', 'MUST', DEPLOY, ['ops'], 'Data written by every earlier schemaVersion is migrated forward at start to what the current code would have written, the files as they were kept aside.'),
  r('OPS-MEM-01', 'MUST', DEPLOY, ['ops'], 'Records share their repeated members (scopes, resource, redirect URIs, ids) without changing any value they hold or write.'),
  r('OPS-MIGRATE-02', 'MUST', DEPLOY, ['ops'], 'A snapshot from a newer schemaVersion is refused with a clear message and nothing in the data directory is touched.'),

  // ---- 13. agent-notes' own policies (POL-*), reported by `agent-notes fuzz` as decisions ------------
  // Choices the rules leave to the server; another server choosing otherwise is not wrong.
  r('POL-REDIRECT-01', 'EC', LOCAL, ['core'], 'Registration admits only the ChatGPT and Claude callbacks, loopback http URIs and origins the operator trusts; any other redirect URI is invalid_redirect_uri.'),
  r('POL-GRANT-01', 'EC', LOCAL, ['core'], 'Every code exchange starts a grant of its own: revoking one connection of a client, or replaying its code, leaves the client\'s other connections alive.'),
  r('POL-REFUSAL-01', 'EC', LOCAL, ['core'], 'A refused request changes nothing: a refresh token refused for its parameters (resource, scope) stays usable.'),

  // ---- 14. `agent-notes fuzz` against another server (FUZZ-*), issue 16 items 4 and 6 --------------
  r('FUZZ-01', 'MUST', LOCAL, ['client'], '`agent-notes fuzz` contacts only loopback addresses and hosts named with --allow-host, at a bounded request rate; any other target is refused with one line and exit 2.'),
  r('FUZZ-02', 'MUST', LOCAL, ['client'], 'Every divergence from the reference model is one line with its rule and level, shrunk to a scenario `explain` replays; the exit code is 1 only for a MUST divergence.'),
  r('FUZZ-03', 'MUST', LOCAL, ['ops'], 'The npm tarball installs into an empty folder and runs `fuzz` and `conformance` without the source tree.'),

  // ---- 12. Notes people can trust an AI with (NOTES-*), issue 17 ---------------------------------
  r('NOTES-VER-01', 'MUST', NOTES, ['http', 'mcp'], 'Every change to a note\'s title, body or tags, from the web app or MCP, keeps what it held before as a version, with who wrote it (the person, or the app\'s name and client id) and when.'),
  r('NOTES-VER-02', 'MUST', NOTES, ['ops'], 'Versions are bounded per note by count and age (NOTES_VERSIONS_KEPT, 100; NOTES_VERSIONS_DAYS, 180), dropped on write and by the tick.'),
  r('NOTES-VER-03', 'MUST', NOTES, ['http', 'ui'], 'The web app shows a note\'s history with a readable diff and restores any version as a new change, through a CSRF-protected form.'),
  r('NOTES-VER-04', 'MUST', NOTES, ['http'], 'Versions and trashed notes count toward NOTES_MAX_MB_PER_USER; when a write needs room the owner\'s oldest versions go first, never a note.'),
  r('NOTES-VER-05', 'MUST', NOTES, ['mcp'], 'MCP tools list a note\'s versions and read one; a restore tool is listed only when the operator sets NOTES_TOOLS_RESTORE=on.'),
  r('NOTES-VER-06', 'MUST', NOTES, ['ops'], 'Versions and the trash go through the journal like notes: durable before the answer, the same after a restart.'),
  r('NOTES-TRASH-01', 'MUST', NOTES, ['http', 'mcp'], 'Deleting a note, from the web app or MCP, moves it to the trash: search, list and fetch never show it, and its public page answers 404.'),
  r('NOTES-TRASH-02', 'MUST', NOTES, ['http', 'ui'], 'The web app lists the trash with restore (the note comes back private, with its history) and delete forever.'),
  r('NOTES-TRASH-03', 'MUST', NOTES, ['ops'], 'A trashed note is deleted for good after NOTES_TRASH_DAYS (30), and the trash holds at most the note-count limit.'),
  r('NOTES-SEARCH-01', 'MUST', NOTES, ['mcp', 'ui'], 'Search reads an index kept in step with every write, answering exactly what scoring every note would (title ×3, tags ×2, body ×1, phrase bonus, newer first).'),
  r('NOTES-SEARCH-02', 'MUST', NOTES, ['mcp', 'ui'], 'The last word of a query matches as a prefix; a word of four letters or more the note lacks also matches one edit away, counting half.'),
  r('NOTES-LINK-01', 'MUST', NOTES, ['http', 'mcp', 'ui'], '[[Note title]] links to the owner\'s note of that title in the web app (unknown titles marked), each note lists its backlinks, and fetch returns links and backlinks.'),
  r('NOTES-TAG-01', 'MUST', NOTES, ['http', 'mcp', 'ui'], 'Tags are listed with their counts in the web app and by an MCP tool, and a tag can be renamed on every note at once.'),
  r('NOTES-IO-01', 'MUST', NOTES, ['http', 'ops'], 'Every note of a person exports as a zip of Markdown files with YAML front matter (title, tags, created, updated, public), from /account and agent-notes export --user; importing it into an empty account gives the same notes.'),
  r('NOTES-IO-02', 'MUST', NOTES, ['http', 'ops'], 'Import refuses bad files one by one with the reason (paths with .., non-UTF-8, over the note size, zip bombs, bad front matter) and writes the rest in one transition, or nothing past the limits.'),
  r('NOTES-IO-03', 'MUST', NOTES, ['http', 'ops'], 'A zip or folder of plain Markdown (an Obsidian vault) imports with front-matter tags and #tags read and [[links]] kept; its settings folder is skipped.'),
  r('NOTES-UI-01', 'MUST', NOTES, ['http', 'ui'], 'On wide screens an open note has the owner\'s list of notes beside it (pinned first, the open one marked); on phones one column, the note first.'),
  r('NOTES-UI-02', 'MUST', NOTES, ['http', 'ui'], 'The editor shows the rendered text beside the Markdown on wide screens (below on phones), server-rendered without script; Preview renders the draft without saving.'),
  r('NOTES-UI-03', 'MUST', NOTES, ['ui'], '`- [ ]` and `- [x]` list items render as disabled checkboxes with the rest still escaped, and list snippets are plain text without Markdown or task markers.'),
  r('NOTES-UI-04', 'MUST', NOTES, ['http', 'ui'], 'Delete is visually secondary to Edit and Save and still a CSRF-protected form; every page links an SVG favicon, served as image/svg+xml with caching, and shows the brand mark.'),
  r('NOTES-UI-05', 'MUST', NOTES, ['ui'], 'Times read relative to the server clock ("3 minutes ago") in a <time> element with the exact instant in datetime and the absolute UTC time as its title.'),
  r('NOTES-UI-06', 'MUST', NOTES, ['http', 'ui'], 'A note can be pinned (journaled like any change, without touching its content, time or history) and comes first; the list sorts by update, creation or title with ?sort=, kept in its links; an unknown order or another owner\'s note gets a page that says so, never a 500.'),
  r('NOTES-UI-07', 'MUST', NOTES, ['http', 'ui'], 'A shared note shows its public link in a read-only field to copy, which works without script.'),
  r('NOTES-OWN-01', 'MUST', NOTES, ['http', 'mcp'], 'No query ever returns another owner\'s notes, versions or trash.'),

  // ---- 13. The deploy files in chatgpt-apps/deploy/ (DEPLOY-*), issue 15 item 9 ----------------
  // Proved by test/deploy/deploy-files.test.ts; keep this block last (other blocks go above it).
  r('DEPLOY-01', 'MUST', DEPLOY, ['ops'], 'The shipped systemd units pass systemd-analyze verify without a warning.'),
  r('DEPLOY-02', 'MUST', DEPLOY, ['ops'], 'The shipped Caddyfile passes caddy validate, offline and without asking for a certificate.'),
  r('DEPLOY-03', 'MUST', DEPLOY, ['ops'], 'The shipped nginx site passes nginx -t.'),
  r('DEPLOY-04', 'MUST', DEPLOY, ['ops'], 'The shipped firewall ruleset passes nft -c and opens only SSH, HTTP and HTTPS.'),
  r('DEPLOY-05', 'MUST', DEPLOY, ['ops'], 'env.example sets only variables the server reads, and the unit, the proxies and the wrapper agree with it (data directory, loopback address and port, host name, stop timeout).'),
  r('DEPLOY-06', 'MUST', DEPLOY, ['ops'], 'The service runs as its own user, restarts on failure, writes only its data directory, and leaves out hardening that breaks V8 or the data-directory lock.'),
  r('DEPLOY-07', 'MUST', DEPLOY, ['ops'], 'The agent-notes wrapper reads the env file as systemd does and runs the CLI as the service user.'),
  r('DEPLOY-08', 'MUST', DEPLOY, ['ops'], 'The backup service names each backup by date and time and, only after a backup succeeded, keeps the newest BACKUP_KEEP.'),
  r('DEPLOY-09', 'MUST', DEPLOY, ['ops'], 'Every link in the deploy guide names a file that exists.'),
  r('DEPLOY-10', 'MUST', DEPLOY, ['ops'], 'Through the shipped Caddy and nginx configurations a real agent-notes answers discovery and the /mcp challenge under PUBLIC_URL.'),
];

// -------------------------------------------------------------------------------------- helpers

const index: ReadonlyMap<string, Requirement> = new Map(catalogue.map((req) => [req.id, req]));

/** The catalogue entry with this id, or undefined. */
export function byId(id: string): Requirement | undefined {
  return index.get(id);
}

/** A rule the pure core must satisfy unconditionally: level MUST / MUST NOT and layer 'core'. */
export function isCoreMust(req: Requirement): boolean {
  return (req.level === 'MUST' || req.level === 'MUST NOT') && req.layers.includes('core');
}

/** Ids of every MUST / MUST NOT rule enforced by the core, in catalogue order. */
export function coreMustIds(): string[] {
  return catalogue.filter(isCoreMust).map((req) => req.id);
}
