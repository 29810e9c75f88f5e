// A minimal JSON API for the runner benchmark: create, get and delete items. Plain JS, no deps,
// run in its own process so the runner under test has the other core to itself.
import { createServer } from 'node:http';

const items = new Map();
let next = 0;
// DELAY_MS: answer after this long (a server with latency, for the --jobs benchmark).
const delay = Number(process.env.DELAY_MS ?? 0);
// SET_COOKIE=1: every response sets a session cookie (and a changing one), as a site behind a
// login does: the cookie-jar rows of the benchmark run against it.
const setCookie = process.env.SET_COOKIE === '1';
const server = createServer((req, res) => {
  const reply = (status, body) => {
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
    if (setCookie) headers['set-cookie'] = ['session=0123456789abcdef0123456789abcdef; Path=/; HttpOnly; SameSite=Lax', `seen=${next}; Path=/items; Max-Age=3600`];
    res.writeHead(status, headers);
    res.end(text);
  };
  const send = delay ? (status, body) => setTimeout(() => reply(status, body), delay) : reply;
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const [, , id] = req.url.split('?')[0].split('/');
    if (req.method === 'POST' && !id) {
      const item = { id: `it_${++next}`, object: 'item', name: new URLSearchParams(body).get('name') ?? '', created: Math.floor(Date.now() / 1000), tags: ['a', 'b'] };
      items.set(item.id, item);
      return send(200, item);
    }
    const item = items.get(id);
    if (!item) return send(404, { error: { type: 'invalid_request_error', message: `No such item: ${id}` } });
    if (req.method === 'GET') return send(200, item);
    if (req.method === 'DELETE') {
      items.delete(id);
      return send(200, { id, deleted: true });
    }
    send(404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } });
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
