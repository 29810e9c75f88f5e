/**
 * A token server for the `use:` tests: POST /login issues a token, /orders wants
 * `Authorization: Bearer` with a live one, DELETE /login revokes it. LOGIN is the shared
 * notebook that logs in (and revokes its token in its teardown).
 */
import { createServer, type Server } from 'node:http';

export interface Tokens { server: Server; url: string; events: string[] }

export async function tokenServer(): Promise<Tokens> {
  const live = new Set<string>();
  const events: string[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = (status: number, v: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(v)); };
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (req.method === 'POST' && req.url === '/login') {
        const { user } = JSON.parse(body || '{}');
        const t = `tok-${user}-${++n}`;
        live.add(t);
        events.push(`login ${t}`);
        return json(200, { token: t });
      }
      if (!token || !live.has(token)) return json(401, { error: 'bad token' });
      if (req.method === 'DELETE' && req.url === '/login') {
        live.delete(token);
        events.push(`logout ${token}`);
        return json(204, {});
      }
      if (req.url?.startsWith('/orders')) return json(200, { orders: [], for: token });
      json(404, {});
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${port}`, events };
}

export const LOGIN = `title: Login
inputs:
  user: { default: alice }
steps:
  - name: Request a token
    request:
      method: POST
      path: /login
      json: { user: "\${user}" }
    expect: { status: 200 }
    capture:
      token: body.token
teardown:
  - name: Revoke the token
    request:
      method: DELETE
      path: /login
      headers: { Authorization: "Bearer \${token}" }
`;
