/**
 * A small programmable HTTP server for tests: routes answer with JSON, and a few routes
 * misbehave on purpose (reset, hang, bad JSON, 500). Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Recorded, res: ServerResponse) => void;

export interface TestServer {
  url: string;
  requests: Recorded[];
  route(method: string, path: string, handler: Handler): void;
  /** Answers every path under `prefix` (a path that holds values, such as an id or a secret). */
  routePrefix(method: string, prefix: string, handler: Handler): void;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const prefixes: Array<{ method: string; prefix: string; handler: Handler }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Recorded = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      const path = rec.url.split('?')[0];
      const handler = routes.get(`${rec.method} ${path}`) ?? routes.get(`* ${path}`) ?? prefixes.find((p) => p.method === rec.method && path.startsWith(p.prefix))?.handler;
      if (handler) handler(rec, res);
      else json(res, 404, { error: `no route ${rec.method} ${path}` });
    });
  });
  // Defaults every test may use.
  routes.set('GET /reset', (_req, res) => res.socket?.destroy());
  routes.set('GET /hang', () => {});
  routes.set('GET /bad-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"truncated": ');
  });
  routes.set('GET /boom', (_req, res) => json(res, 500, { error: 'internal' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (method, path, handler) => routes.set(`${method} ${path}`, handler),
    routePrefix: (method, prefix, handler) => prefixes.push({ method, prefix, handler }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
