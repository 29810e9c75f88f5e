/**
 * A server that issues tokens and checks them, for the tests of shared steps (`use:`): POST /login
 * gives a token, /orders wants `Authorization: Bearer` with a live one, DELETE /login revokes it.
 * Every path may carry a prefix (`/staging/login`), recorded in the events, so a test can tell
 * which environment's base URL a request used. `events` lists `login TOKEN` and `logout TOKEN`,
 * each with the prefix when there is one (`login tok-ada-1 /staging`). LOGIN is the shared
 * notebook that logs in (and revokes its token in its teardown).
 */
import { createServer, type Server } from 'node:http';

export interface TokenServer { server: Server; url: string; events: string[]; requests: number; close(): Promise<void> }

export async function startTokenServer(): Promise<TokenServer> {
  const live = new Set<string>();
  let n = 0;
  const state: TokenServer = { server: undefined as unknown as Server, url: '', events: [], requests: 0, close: () => new Promise((ok) => state.server.close(() => ok())) };
  state.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
      const json = (status: number, v: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(status === 204 ? undefined : JSON.stringify(v)); };
      const m = /^(\/(?:local|staging))?(\/[^?]*)(?:\?.*)?$/.exec(req.url ?? '/');
      const prefix = m?.[1] ? ` ${m[1]}` : '';
      const path = m?.[2] ?? '/';
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (req.method === 'POST' && path === '/login') {
        let user = 'nobody';
        try { user = String(JSON.parse(body || '{}').user); } catch { return json(400, { error: 'bad json' }); }
        const t = `tok-${user}-${++n}`;
        live.add(t);
        state.events.push(`login ${t}${prefix}`);
        return json(200, { token: t });
      }
      if (!token || !live.has(token)) return json(401, { error: 'bad token' });
      if (req.method === 'DELETE' && path === '/login') {
        live.delete(token);
        state.events.push(`logout ${token}${prefix}`);
        return json(204, {});
      }
      if (path.startsWith('/orders')) return json(200, { orders: [], for: token, path });
      json(404, {});
    });
  });
  await new Promise<void>((ok) => state.server.listen(0, '127.0.0.1', ok));
  state.url = `http://127.0.0.1:${(state.server.address() as { port: number }).port}`;
  return state;
}

/** The same server under the names the report tests use. */
export type Tokens = TokenServer;
export const tokenServer = startTokenServer;

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
    expect: { status: 204 }
`;
