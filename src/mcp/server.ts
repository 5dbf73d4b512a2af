// One `McpServer` per request, built for the principal the gate identified. Tool listings, JSON
// Schemas and the JSON-schema validator are built once and shared by every per-request server.
// `tools/list` is the same for everyone (EC-38) and carries `securitySchemes` both at top level and
// in `_meta.securitySchemes`, generated from one definition (EC-45, CGPT-45).
import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult, McpServerFactory, Tool } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import * as z from 'zod';
import type { Services } from '../app/services.ts';
import { holdsAll, principalOf } from './gate.ts';
import type { Principal } from './gate.ts';
import { NOTES_TOOLS, SERVER_NAME, SERVER_VERSION } from './tools.ts';
import type { NotesTool } from './tools.ts';
import { bearerChallenge, resourceMetadataUrl } from '../http/middleware/www-authenticate.ts';

export type SecurityScheme = { type: 'noauth' } | { type: 'oauth2'; scopes: string[] };

/** The listed tool: the SDK's `Tool` plus OpenAI's top-level `securitySchemes`. */
export type ListedTool = Tool & { securitySchemes: SecurityScheme[] };

export const INSTRUCTIONS =
  'Personal notes of the signed-in user. Use search to find notes by words and fetch to read one; ' +
  'list_notes pages through them by date or tag; create_note, update_note and delete_note change them.';

export function securitySchemesOf(tool: NotesTool): SecurityScheme[] {
  return tool.scopes.length === 0 ? [{ type: 'noauth' }] : [{ type: 'oauth2', scopes: [...tool.scopes] }];
}

/** A tool's JSON Schema exactly as the SDK would list it (draft 2020-12; input roots are objects). */
function jsonSchemaOf(schema: z.ZodObject, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, unknown>;
  return { type: 'object', ...json };
}

/** The `tools/list` entry of each tool, built once. */
export function toolListing(tools: readonly NotesTool[]): ListedTool[] {
  return tools.map((tool) => {
    const securitySchemes = securitySchemesOf(tool);
    return {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchemaOf(tool.input, 'input') as Tool['inputSchema'],
      outputSchema: jsonSchemaOf(tool.output, 'output') as NonNullable<Tool['outputSchema']>,
      annotations: tool.annotations,
      securitySchemes,
      _meta: { securitySchemes: structuredClone(securitySchemes) },
    };
  });
}

/**
 * The in-band challenge of ChatGPT's mixed mode (REQ-05, CGPT-46, EC-37, EC-44): a tool error whose
 * `_meta["mcp/www_authenticate"]` is an array of one challenge with `error` and `error_description`.
 * No usable token: `invalid_token` and the server's scopes; too few scopes: `insufficient_scope`
 * and every scope the tool needs.
 */
export function authorizationRequired(tool: NotesTool, principal: Principal, services: Services): CallToolResult {
  const signedIn = principal.kind === 'user';
  const held: ReadonlySet<string> = signedIn ? principal.scopes : new Set<string>();
  const missing = tool.scopes.filter((scope) => !held.has(scope));
  const errorDescription = signedIn
    ? `${tool.name} needs the ${(missing.length > 0 ? missing : tool.scopes).join(' and ')} permission; approve it when asked`
    : `sign in to agent-notes to use ${tool.name}`;
  const challenge = bearerChallenge({
    resourceMetadata: resourceMetadataUrl(services.config.core.resource),
    error: signedIn ? 'insufficient_scope' : 'invalid_token',
    errorDescription,
    scope: signedIn ? tool.scopes : services.config.core.scopes,
  });
  const text = signedIn
    ? `This needs more access to your agent-notes account (${tool.scopes.join(', ')}). Reconnect agent-notes and approve the requested permission, then try again.`
    : `Connect your agent-notes account to use ${tool.name}: sign in and approve access when asked, then try again.`;
  return { isError: true, content: [{ type: 'text', text }], _meta: { 'mcp/www_authenticate': [challenge] } };
}

/** Any arguments at all: a tool the caller may not run answers with its challenge whatever it got. */
const ANY_ARGUMENTS = z.looseObject({});

/** The per-request server factory handed to `createMcpHandler`. */
export function notesServerFactory(services: Services, tools: readonly NotesTool[] = NOTES_TOOLS): McpServerFactory {
  const listing = toolListing(tools);
  const outputSchemas = new Map(listing.map((tool) => [tool.name, tool.outputSchema]));
  // ARCHITECTURE.md, "MCP": one validator for every per-request server, not one Ajv per request.
  const jsonSchemaValidator = new AjvJsonSchemaValidator();

  return ({ authInfo }) => {
    const principal = principalOf(authInfo);
    const server = new McpServer(
      { name: SERVER_NAME, version: SERVER_VERSION },
      { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS, jsonSchemaValidator },
    );
    for (const tool of tools) {
      const allowed = tool.scopes.length === 0 || (principal.kind === 'user' && holdsAll(principal.scopes, tool.scopes));
      if (allowed) {
        const config = { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations };
        const registered = server.registerTool(tool.name, config, (args: unknown) => tool.run(args, { services, principal, ...(authInfo?.clientId === undefined ? {} : { clientId: authInfo.clientId }) }));
        const outputSchema = outputSchemas.get(tool.name);
        if (outputSchema !== undefined) registered.outputSchemaJson = outputSchema; // no per-request conversion
      } else {
        // CGPT-45: the server checks every call itself, whatever the gate let through.
        server.registerTool(tool.name, { inputSchema: ANY_ARGUMENTS }, () => authorizationRequired(tool, principal, services));
      }
    }
    server.server.setRequestHandler('tools/list', () => ({ tools: listing }));
    return server;
  };
}
