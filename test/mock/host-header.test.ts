/**
 * The mock answers only for its own names (src/mock/stripe/host-check.ts): a web page that points
 * a name it controls at 127.0.0.1 (DNS rebinding) sends that name in Host, and must neither read
 * nor write mock data. Through the real bin (`api-notebook mock --port 0`), over plain HTTP.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

interface Mock {
  url: URL;
  child: ChildProcess;
  done: Promise<unknown>;
}

/** Starts `api-notebook mock` with these flags; resolves once it printed its URL. */
function startMock(flags: string[]): Promise<Mock> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    const done = runCli(['mock', '--port', '0', ...flags], {
      onSpawn: (c) => {
        child = c;
        let out = '';
        c.stdout?.on('data', (chunk: Buffer) => {
          out += chunk;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve({ url: new URL(m[1]), child, done });
        });
      },
    });
    done.then((r) => reject(new Error(`the mock ended: ${r.stderr}`)));
  });
}

const AUTH = `Basic ${Buffer.from('sk_test_hosts:').toString('base64')}`;

/** One request to the mock's socket with this exact Host header (undefined: none). */
function send(mock: Mock, method: string, path: string, host: string | undefined, body?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: AUTH };
    if (host !== undefined) headers.host = host;
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = request({ host: '127.0.0.1', port: Number(mock.url.port), method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** HTTP/1.0 allows a request without Host; the mock must still refuse it. */
function sendWithoutHost(mock: Mock): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(mock.url.port), '127.0.0.1', () => socket.end(`GET /v1/customers HTTP/1.0\r\nAuthorization: ${AUTH}\r\n\r\n`));
    let text = '';
    socket.on('data', (c) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

let local: Mock;
before(async () => {
  local = await startMock([]);
});
after(async () => {
  local.child.kill('SIGTERM');
  await local.done;
});

describe('the mock answers only for its own Host names', () => {
  it('a rebinding name (or another port) can neither write nor read: 421 with a Stripe error, and nothing was created', async () => {
    const port = local.url.port;
    for (const host of [`attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, 'attacker.example', `127.0.0.2:${port}`, `evil:${port}@localhost:${port}`, `localhost.attacker.example:${port}`]) {
      const write = await send(local, 'POST', '/v1/customers', host, 'description=planted');
      assert.equal(write.status, 421, host);
      assert.equal(write.body.error.type, 'invalid_request_error');
      assert.match(write.body.error.message, /does not answer for Host/);
      const read = await send(local, 'GET', '/v1/customers', host);
      assert.equal(read.status, 421, host);
      assert.equal(read.body.data, undefined, 'no data in the refusal');
    }
    const seen = await send(local, 'GET', '/v1/customers', `127.0.0.1:${port}`);
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.data, [], 'the refused writes created nothing');
    const raw = await sendWithoutHost(local);
    assert.match(raw, /^HTTP\/1\.1 421 /, 'no Host at all is refused too');
  });

  it('its own names answer: the bound address, localhost in any case with a trailing dot, [::1], with any port or none (a proxy, docker -p)', async () => {
    const port = local.url.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost.:${port}`, `[::1]:${port}`, 'localhost', `localhost:${Number(port) + 1}`, '127.0.0.1:8080']) {
      const r = await send(local, 'GET', '/v1/account', host);
      assert.equal(r.status, 200, `${host}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.object, 'account');
    }
  });

  it('--host 0.0.0.0 also answers for the machine\'s hostname and interface addresses, and still refuses others', async () => {
    const wide = await startMock(['--host', '0.0.0.0']);
    try {
      const port = wide.url.port;
      assert.equal((await send(wide, 'GET', '/v1/account', `${hostname()}:${port}`)).status, 200);
      assert.equal((await send(wide, 'GET', '/v1/account', `0.0.0.0:${port}`)).status, 200);
      assert.equal((await send(wide, 'GET', '/v1/account', `attacker.example:${port}`)).status, 421);
    } finally {
      wide.child.kill('SIGTERM');
      await wide.done;
    }
  });
});
