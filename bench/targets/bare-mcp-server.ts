// The ceiling for the `mcp` scenario: the same MCP SDK, the same per-request server factory and
// tool list as agent-notes, on plain node:http with no Koa, no authentication and no store. Run as
// a child process; prints `READY <url>` once listening.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Services } from '../../src/app/services.ts';
import { notesServerFactory } from '../../src/mcp/server.ts';

// Tools never run here (only tools/list is measured), so the factory gets no real services.
const handler = createMcpHandler(notesServerFactory({} as Services));
// Every request acts as a user holding every scope: the same tools are registered as for a token.
const everyone: AuthInfo = { token: 'none', clientId: 'bench', scopes: ['notes:read', 'notes:write'], extra: { userId: 'bench' } };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}/mcp`, { method: 'POST', headers });
      const response = await handler.fetch(request, { parsedBody: body, authInfo: everyone });
      const outgoing: Record<string, string> = {};
      response.headers.forEach((value, name) => (outgoing[name] = value));
      res.writeHead(response.status, outgoing);
      if (response.body === null) res.end();
      else await pipeline(Readable.fromWeb(response.body as NodeReadableStream), res);
    })().catch(() => res.destroy());
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
