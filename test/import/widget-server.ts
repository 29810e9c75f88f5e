/**
 * The small widget API the idioms collection (test/fixtures/import/idioms.postman_collection.json)
 * talks to: Basic, Bearer, an API key header and OAuth2 client credentials, JSON, url-encoded
 * and form bodies. It refuses what the collection's auth would not send, so a wrong translation fails.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WIDGET_SECRETS = { user: 'alice', apiSecret: 's3cr3t', apiToken: 'tok-1' };

export async function startWidgets(): Promise<{ url: string; close: () => Promise<void> }> {
  const widgets = new Map<string, Record<string, unknown>>();
  let renamed = '';
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const c of req) text += c;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    };
    const url = new URL(req.url!, 'http://x');
    const auth = req.headers.authorization ?? '';
    const basic = (user: string, pass: string) => auth === `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    const type = req.headers['content-type'] ?? '';
    const form = () => Object.fromEntries(new URLSearchParams(text));
    if (req.method === 'POST' && url.pathname === '/widgets') {
      if (!basic(WIDGET_SECRETS.user, WIDGET_SECRETS.apiSecret)) return send(401);
      if (!type.includes('json')) return send(415);
      const body = JSON.parse(text);
      if (typeof body.count !== 'number' || !/^[0-9a-f-]{36}$/.test(body.id)) return send(400, { error: 'count must be a number, id a uuid' });
      const w = { id: `w_${widgets.size + 1}`, kind: 'widget', name: body.name, count: body.count, tags: ['new'] };
      widgets.set(w.id, w);
      return send(201, w);
    }
    const m = /^\/widgets\/([^/]+)$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      if (auth !== `Bearer ${WIDGET_SECRETS.apiToken}`) return send(401);
      if (url.searchParams.get('verbose') !== 'true' || url.searchParams.has('debug')) return send(400);
      return widgets.has(m[1]!) ? send(200, widgets.get(m[1]!)) : send(404);
    }
    if (m && req.method === 'PUT') {
      if (req.headers['x-api-key'] !== WIDGET_SECRETS.apiSecret || !type.includes('urlencoded')) return send(401);
      const f = form();
      if ('old' in f) return send(400);
      const w = widgets.get(m[1]!);
      if (!w) return send(404);
      w.name = f.name;
      renamed = String(f.name);
      return send(200, w);
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      if (!basic('widgets-client', WIDGET_SECRETS.apiSecret) || form().grant_type !== 'client_credentials') return send(401);
      return send(200, { access_token: 'oauth-tok', token_type: 'bearer', expires_in: 3600 });
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      if (auth !== 'Bearer oauth-tok') return send(401);
      return send(200, { fields: form(), by: renamed });
    }
    send(404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
