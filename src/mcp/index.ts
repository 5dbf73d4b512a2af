// The MCP resource server: `/mcp` behind the bearer gate, serving the notes tools to both protocol
// eras (2026-07-28 stateless and legacy `initialize`) through one SDK entry.
import type Router from '@koa/router';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import type { Services } from '../app/services.ts';
import { mcpEndpoint } from './route.ts';
import type { McpEndpointOptions } from './route.ts';
import { notesServerFactory } from './server.ts';
import { toolsFor } from './tools.ts';

export { bearerChallenge, resourceMetadataUrl, safeDescription } from '../http/middleware/www-authenticate.ts';
export type { BearerChallenge, BearerError } from '../http/middleware/www-authenticate.ts';
export { authInfoOf, bearerToken, identifyCaller, principalOf, satisfies } from './gate.ts';
export type { Caller, Principal } from './gate.ts';
export { isAllowedOrigin } from './origin.ts';
export { authorizationRequired, notesServerFactory, securitySchemesOf, toolListing } from './server.ts';
export type { ListedTool, SecurityScheme } from './server.ts';
export { NOTES_TOOLS, SERVER_NAME, SERVER_VERSION, scopesFor, toolsFor } from './tools.ts';
export type { NotesTool } from './tools.ts';
export { mcpEndpoint } from './route.ts';
export { MCP_BODY_LIMIT } from './request-body.ts';

/** The SDK handler serving every era from the per-request notes server factory. */
export function createNotesMcpHandler(services: Services, options: McpEndpointOptions = {}): McpHttpHandler {
  return createMcpHandler(notesServerFactory(services, options.tools ?? toolsFor(services.config)), {
    // Rejected requests (bad protocol version, missing headers) are answered by the SDK; log them quietly.
    onerror: (error) => services.log.debug({ err: error }, 'mcp request rejected'),
  });
}

/** Registers `/mcp` for every method: POST is served, OPTIONS preflights, the rest 401 or 405. */
export function mcpRoutes(router: Router, services: Services, options: McpEndpointOptions = {}): void {
  router.all('/mcp', mcpEndpoint(services, createNotesMcpHandler(services, options), options));
}
