/** The item API the generated notebooks (test/helpers/big-notebooks.ts) call: create, get, delete. */
import { json, startTestServer, type TestServer } from './server.js';

export async function itemServer(): Promise<TestServer> {
  const server = await startTestServer();
  const items = new Map<string, object>();
  let next = 0;
  server.route('POST', '/items', (req, res) => {
    const item = { id: `it_${++next}`, object: 'item', name: new URLSearchParams(req.body).get('name') ?? '', created: 1_700_000_000 };
    items.set(item.id, item);
    json(res, 200, item);
  });
  server.routePrefix('GET', '/items/', (req, res) => {
    const item = items.get(req.url.split('/')[2]);
    json(res, item ? 200 : 404, item ?? { error: 'no such item' });
  });
  server.routePrefix('DELETE', '/items/', (req, res) => {
    const id = req.url.split('/')[2];
    json(res, items.delete(id) ? 200 : 404, { id, deleted: true });
  });
  return server;
}
