// JSON-RPC error bodies, for answers given before (or instead of) the MCP SDK: /mcp's own checks and
// the refusals and fallbacks the middleware writes for /mcp.

export type JsonRpcId = string | number | null;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
/** Implementation-defined server error (JSON-RPC reserves -32000 to -32099). */
export const SERVER_ERROR = -32000;

export function jsonRpcError(code: number, message: string, id: JsonRpcId = null) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id };
}
