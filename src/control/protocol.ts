// The control socket's wire format, shared by the server (src/control/socket.ts) and the CLI: one
// JSON line asks, one JSON line answers, then the connection closes. The socket lives in the data
// directory (owner-only, 0700), so whoever may read the data may use it, and nobody else.
import { join } from 'node:path';

export const CONTROL_SOCKET = 'control.sock';
/** A request line longer than this is refused unread (the largest real one is a password). */
export const MAX_CONTROL_LINE = 64 * 1024;
/** Unix socket paths are limited to 107 bytes on Linux (108 with the terminator). */
export const MAX_SOCKET_PATH = 107;

export function controlSocketPath(dataDir: string): string {
  return join(dataDir, CONTROL_SOCKET);
}

export type ControlOp = 'people.list' | 'people.add' | 'people.passwd' | 'people.remove' | 'people.email' | 'keys.list' | 'keys.rotate' | 'tokens.mint' | 'store.pin' | 'notes.export' | 'notes.import';

export interface ControlRequest {
  op: ControlOp;
  args?: Record<string, unknown>;
}

export type ControlResponse = { ok: true; result: unknown } | { ok: false; error: string };
