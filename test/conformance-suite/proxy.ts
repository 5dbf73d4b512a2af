// A loopback forwarding proxy for the suite's generic server scenarios, which speak MCP without
// OAuth: every request it gets is sent on, unchanged (method, path, headers including Host, body,
// streamed both ways), to the agent-notes server, with `Authorization: Bearer <token>` added when
// the request carries none. Listens on 127.0.0.1 only and forwards only to the given origin.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** `http://127.0.0.1:<port>`: give the suite `<url>/mcp`. */
  url: string;
  /** Requests forwarded so far. */
  forwarded(): number;
  close(): Promise<void>;
}

export async function startBearerProxy(target: string, token: string): Promise<BearerProxy> {
  const origin = new URL(target);
  if (origin.hostname !== '127.0.0.1' && origin.hostname !== 'localhost') throw new Error(`the proxy forwards to loopback only, not ${origin.host}`);
  let count = 0;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    count++;
    const headers = { ...incoming.headers };
    headers.authorization ??= `Bearer ${token}`;
    const upstream = request(
      { host: origin.hostname, port: origin.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        // SSE streams: send each chunk on at once.
        outgoing.flushHeaders();
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' });
      outgoing.end(`proxy: ${error.message}`);
    });
    // The suite may hang up on a stream (GET SSE); pass that on.
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded: () => count,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
