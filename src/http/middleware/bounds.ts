// Size bounds no route checks itself. Node refuses a request line plus headers over
// MAX_HEADER_BYTES before Koa runs (431, answered here with a body that names the bound); the app
// refuses a query string over MAX_QUERY_BYTES (414). Bodies are bounded in `body.ts` (64 KB) and by
// /mcp itself (1 MB); notes and registered clients by their own transitions.
import type { Duplex } from 'node:stream';
import type { Middleware } from 'koa';
import { answer, shapeOf } from './refusal.ts';

export const MAX_HEADER_BYTES = 16 * 1024;
/** Leaves room for a 2 KB `state` even fully percent-encoded, next to the other parameters. */
export const MAX_QUERY_BYTES = 8 * 1024;

export const queryBound: Middleware = async (ctx, next) => {
  // The raw query string is ASCII (Node rejects anything else in the request line), so length is bytes.
  if (ctx.querystring.length <= MAX_QUERY_BYTES) return next();
  answer(ctx, shapeOf(ctx.path), {
    status: 414,
    error: 'invalid_request',
    description: `the query string is longer than ${MAX_QUERY_BYTES} bytes`,
    page: { title: 'This address is too long', nextStep: 'Start again from the app that sent you here. If it keeps happening, the app is sending more than this server accepts.' },
    beforeRoute: true,
  });
};

const UNPARSABLE: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: `the request line and headers may total at most ${MAX_HEADER_BYTES} bytes` },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Payload Too Large', message: 'the chunk extensions are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'the request took too long to arrive' },
};
const BAD_REQUEST = { status: 400, reason: 'Bad Request', message: 'the request is not valid HTTP' };

/**
 * Node's `clientError`: a request it could not parse, so there is no Koa context and the answer is
 * written to the socket. Same statuses as Node's own handler, plus a plain-text line saying why.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  // As Node does: never write into a response already under way on this (keep-alive) connection.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { status, reason, message } = (error.code === undefined ? undefined : UNPARSABLE[error.code]) ?? BAD_REQUEST;
  const body = `${status} ${reason}: ${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`);
}
