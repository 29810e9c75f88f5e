/**
 * A faithful port, on node:http, of the routes of Bruno's test server (usebruno/bruno,
 * packages/bruno-tests/src, MIT: test/fixtures/import/bruno/testbench/LICENSE.md) that the
 * vendored part of its collection calls. The original is an express app that also starts gRPC,
 * GraphQL Yoga and WebSocket servers (about 20 packages); these routes need none of it. Each
 * route says which file of the original it follows. `echo.usebruno.com` (the collection's
 * `echo-host`) echoes the body back with its Content-Type: that is `POST /echo-host`.
 * `broken` flips answers, to prove the imported checks fail on a wrong server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrunoServer {
  url: string;
  close(): Promise<void>;
}

export async function startBrunoServer(options: { broken?: boolean } = {}): Promise<BrunoServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks), options.broken === true));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

function send(res: ServerResponse, status: number, body: string | Buffer, type?: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...(type ? { 'Content-Type': type } : {}), ...extra });
  res.end(body);
}
const json = (res: ServerResponse, status: number, value: unknown, extra?: Record<string, string>) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', extra);

function route(req: IncomingMessage, res: ServerResponse, raw: Buffer, broken: boolean): void {
  const path = (req.url ?? '/').split('?')[0];
  const key = `${req.method} ${path}`;
  switch (key) {
    // src/index.js
    case 'GET /ping':
      return send(res, 200, broken ? 'pong?' : 'pong', 'text/html; charset=utf-8');
    case 'GET /redirect-to-ping':
      // express's res.redirect with no Accept preference: the text form.
      return send(res, 302, 'Found. Redirecting to /ping', 'text/plain; charset=utf-8', { Location: '/ping' });
    // src/auth/basic.js (express-basic-auth, users { bruno: 'della' }, challenge: true)
    case 'POST /api/auth/basic/protected': {
      const expected = `Basic ${Buffer.from(`bruno:${broken ? 'other' : 'della'}`).toString('base64')}`;
      if (req.headers.authorization === expected) return json(res, 200, { message: 'Authentication successful' });
      return send(res, 401, 'Unauthorized', 'text/html; charset=utf-8', { 'WWW-Authenticate': 'Basic realm=""' });
    }
    // src/auth/bearer.js
    case 'GET /api/auth/bearer/protected':
      if (req.headers.authorization !== 'Bearer your_secret_token') return json(res, 401, { message: 'Unauthorized' });
      return json(res, 200, { message: 'Authentication successful' });
    // src/auth/cookie.js
    case 'POST /api/auth/cookie/login':
      return json(res, 200, { message: 'Logged in successfully' }, { 'Set-Cookie': 'isAuthenticated=true; Path=/' });
    case 'GET /api/auth/cookie/protected':
      if (!/(^|;\s*)isAuthenticated=true(;|$)/.test(req.headers.cookie ?? '')) return json(res, 401, { message: 'Unauthorized' });
      return json(res, 200, { message: 'Authentication successful' });
    // src/echo/index.js
    case 'POST /api/echo/json':
      return send(res, 200, broken ? '{"hello":"world"}' : raw, 'application/json; charset=utf-8');
    case 'POST /api/echo/text':
      return send(res, 200, raw, 'text/plain; charset=utf-8');
    case 'POST /api/echo/xml-raw':
      return send(res, 200, raw, 'application/xml');
    case 'POST /api/echo/custom':
      return custom(res, raw, broken);
    case 'POST /echo-host':
      return send(res, 200, broken ? raw.toString().replace('123', '124') : raw, req.headers['content-type']);
  }
  send(res, 404, `Cannot ${req.method} ${path}`, 'text/html; charset=utf-8');
}

/** src/echo/index.js `/custom` (what httpfaker.org's /api/echo/custom does): the answer the body describes. */
function custom(res: ServerResponse, raw: Buffer, broken: boolean): void {
  const { headers, content, contentBase64, contentJSON, type } = JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
  const out: Record<string, string> = {};
  if (typeof type === 'string') out['Content-Type'] = type;
  if (headers && typeof headers === 'object') Object.assign(out, headers);
  res.writeHead(200, out);
  if (typeof contentBase64 === 'string') res.end(Buffer.from(contentBase64, 'base64'));
  else if (contentJSON !== undefined) res.end(JSON.stringify(broken && contentJSON && typeof contentJSON === 'object' ? { ...contentJSON, number: 124 } : contentJSON));
  else if (content !== undefined) res.end(String(content));
  else res.end();
}
