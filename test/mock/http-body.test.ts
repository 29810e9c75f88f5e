/**
 * How the mock reads a request body (server.ts, readBody): a request that declares no body is
 * answered at once; a body with Content-Length or chunked Transfer-Encoding is read whole, however
 * the bytes arrive; past 1 MiB it is a 413 and the connection keeps working. Raw sockets, so the
 * test controls exactly how the bytes are cut.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';

let mock: StripeMock;
before(async () => {
  mock = await startStripeMock({ validateResponses: true });
});
after(() => mock.close());

const AUTH = `Basic ${Buffer.from('sk_test_body:').toString('base64')}`;

/** Writes `pieces` with a pause between them; resolves with each complete response read. */
function exchange(pieces: Array<string | Buffer>, responses = 1): Promise<Array<{ status: number; body: any }>> {
  const { port } = new URL(mock.url);
  return new Promise((done, fail) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = Buffer.alloc(0);
    const parsed: Array<{ status: number; body: any }> = [];
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = data.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
        if (data.length < end + 4 + length) return;
        parsed.push({ status: Number(head.split(' ')[1]), body: JSON.parse(data.subarray(end + 4, end + 4 + length).toString('utf8')) });
        data = data.subarray(end + 4 + length);
        if (parsed.length === responses) {
          socket.end();
          return done(parsed);
        }
      }
    });
    socket.on('error', fail);
    socket.on('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 15));
      }
    });
  });
}

const head = (method: string, path: string, extra: string[]) => [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: ${AUTH}`, ...extra, '', ''].join('\r\n');

describe('request bodies', () => {
  it('reads a Content-Length body that arrives in pieces, cut inside an escape', async () => {
    const body = 'email=slow%40example.com&description=In+pieces';
    const [res] = await exchange([head('POST', '/v1/customers', ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${body.length}`]), body.slice(0, 10), body.slice(10, 28), body.slice(28)]);
    assert.equal(res.status, 200);
    assert.equal(res.body.email, 'slow@example.com');
    assert.equal(res.body.description, 'In pieces');
  });

  it('reads a chunked body, UTF-8 cut between its bytes', async () => {
    const body = Buffer.from(`description=${encodeURIComponent('café ☕')}&email=chunked%40example.com`.replace(/%C3%A9/, 'é'));
    const cut = body.indexOf(Buffer.from('é')) + 1; // between the two bytes of é
    const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const [res] = await exchange([head('POST', '/v1/customers', ['Content-Type: application/x-www-form-urlencoded', 'Transfer-Encoding: chunked']), chunk(body.subarray(0, cut)), chunk(body.subarray(cut)), '0\r\n\r\n']);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.description, 'café ☕');
    assert.equal(res.body.email, 'chunked@example.com');
  });

  it('answers a request without a body, and one with Content-Length: 0, on the same connection', async () => {
    const [a, b] = await exchange([head('GET', '/v1/account', []), head('POST', '/v1/customers', ['Content-Length: 0'])], 2);
    assert.equal(a.status, 200);
    assert.equal(a.body.object, 'account');
    assert.equal(b.status, 200);
    assert.equal(b.body.object, 'customer');
  });

  it('refuses a body past 1 MiB with a 413 in Stripe\u2019s shape, and keeps serving', async () => {
    const big = `description=${'x'.repeat(1024 * 1024)}`;
    const [res] = await exchange([head('POST', '/v1/customers', ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${big.length}`]), big]);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.type, 'invalid_request_error');
    assert.match(res.body.error.message, /too large/);
    const [next] = await exchange([head('GET', '/v1/account', [])]);
    assert.equal(next.status, 200);
  });
});
