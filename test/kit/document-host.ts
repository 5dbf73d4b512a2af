// A stand-in for the hosts that publish client metadata documents and key sets (chatgpt.com,
// claude.ai, ...): one HTTPS server on 127.0.0.1 with a test CA that only tests trust, and the
// fetch policy that sends those host names to it. Nothing here ever reaches another address.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { FetchPolicy } from '../../src/clients/fetch-json.ts';
import { OFFLINE_FETCH_POLICY } from './offline-fetch.ts';

const TLS = new URL('./tls/', import.meta.url);
/** The test CA (its key is not kept: it signed `host.pem` once, for these names only). */
export const TEST_CA = readFileSync(new URL('ca.pem', TLS), 'utf8');
/** Names the host certificate is valid for. */
export const DOCUMENT_HOSTS = ['chatgpt.com', 'claude.ai', 'documents.example', 'cimd.test', 'keys.test', 'other.test'];

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless a string. */
  body?: unknown;
  /** Hold the answer this long (a slow host). */
  delayMs?: number;
}

export class DocumentHost {
  readonly routes = new Map<string, Route>();
  /** Requests seen, as `host path`. */
  readonly hits: string[] = [];
  #server!: Server;
  port = 0;

  static async start(): Promise<DocumentHost> {
    const host = new DocumentHost();
    host.#server = createServer({ key: readFileSync(new URL('host-key.pem', TLS)), cert: readFileSync(new URL('host.pem', TLS)) }, (req, res) => {
      const key = `${req.headers.host?.replace(/:\d+$/, '')}${req.url}`;
      host.hits.push(key);
      const route = host.routes.get(key);
      const answer = () => {
        if (!route) {
          res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
          return;
        }
        const body = typeof route.body === 'string' ? route.body : JSON.stringify(route.body);
        res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers }).end(body);
      };
      if (route?.delayMs) setTimeout(answer, route.delayMs);
      else answer();
    });
    await new Promise<void>((resolve) => host.#server.listen(0, '127.0.0.1', resolve));
    host.port = (host.#server.address() as AddressInfo).port;
    return host;
  }

  /** Serves `body` at `url` (e.g. `https://chatgpt.com/oauth/client.json`). */
  serve(url: string, body: unknown, route: Omit<Route, 'body'> = {}): void {
    const { host, pathname, search } = new URL(url);
    this.routes.set(`${host}${pathname}${search}`, { ...route, body });
  }

  hitCount(url: string): number {
    const { host, pathname, search } = new URL(url);
    return this.hits.filter((hit) => hit === `${host}${pathname}${search}`).length;
  }

  /**
   * The fetch policy a test server uses: the test CA, every document host mapped to this server,
   * and otherwise offline (no name resolves, no address is reachable).
   */
  fetchPolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
    const hosts = Object.fromEntries(DOCUMENT_HOSTS.map((name) => [name, { address: '127.0.0.1', port: this.port }]));
    return { ...OFFLINE_FETCH_POLICY, ca: TEST_CA, hosts, ...overrides };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}

/** A client's signing key, its public JWKS, and assertions signed the way ChatGPT signs them. */
export class ClientKey {
  private constructor(
    readonly kid: string,
    readonly alg: string,
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  static async generate(kid: string, alg = 'RS256'): Promise<ClientKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new ClientKey(kid, alg, privateKey, { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** An RFC 7523 client assertion; `claims` override the defaults (iss = sub = clientId, aud, exp, jti). */
  sign(clientId: string, audience: string | string[], claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: this.alg, kid: this.kid, ...header }).sign(this.privateKey);
  }
}
