/**
 * followRedirects through the real bin against servers on 127.0.0.1: chains of 301/302/303/307/
 * 308 with the browsers' method and body rules (checked on what the server received at each hop),
 * every hop in the report and in `redirects`, `url` the final URL, the default (not followed), a
 * cross-origin hop that must not receive Authorization nor another host's cookies, a loop and a
 * chain longer than allowed (clear step errors), and one deadline over every hop.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let a: TestServer;
let b: TestServer;

function redirect(server: TestServer, method: string, path: string, status: number, location: () => string, headers: Record<string, string> = {}) {
  server.route(method, path, (_req, res) => {
    res.writeHead(status, { location: location(), ...headers });
    res.end();
  });
}

before(async () => {
  a = await startTestServer();
  b = await startTestServer();
  const final = (server: TestServer) => (req: { method: string; body: string; headers: Record<string, unknown> }, res: Parameters<Parameters<TestServer['route']>[2]>[1]) =>
    json(res, 200, { method: req.method, body: req.body, authorization: req.headers.authorization ?? null, cookie: req.headers.cookie ?? null, contentType: req.headers['content-type'] ?? null, at: server === a ? 'a' : 'b' });
  for (const m of ['GET', 'POST', 'PUT', 'HEAD']) {
    a.route(m, '/final', final(a));
    b.route(m, '/final', final(b));
  }
  // POST /c301 → 301 → /c302 (now GET) → 302 → /c303 → 303 → /c307 → 307 → /c308 → 308 → /final
  redirect(a, 'POST', '/c301', 301, () => '/c302');
  redirect(a, 'GET', '/c302', 302, () => `${a.url}/c303`);
  redirect(a, 'GET', '/c303', 303, () => 'c307');
  redirect(a, 'GET', '/c307', 307, () => '/c308?x=1#frag');
  redirect(a, 'GET', '/c308', 308, () => '/final');
  // Methods and bodies kept: 307 and 308 repeat a POST with its body; 302 keeps a PUT.
  redirect(a, 'POST', '/k307', 307, () => '/k308');
  redirect(a, 'POST', '/k308', 308, () => '/final');
  redirect(a, 'PUT', '/p302', 302, () => '/final');
  redirect(a, 'PUT', '/p303', 303, () => '/final');
  // Cross-origin, with a cookie set on the way for this host.
  redirect(a, 'GET', '/away', 302, () => `http://localhost:${new URL(b.url).port}/final`, { 'set-cookie': 'host=a-only' });
  redirect(a, 'GET', '/same', 302, () => '/final', { 'set-cookie': 'host=a-only' });
  redirect(a, 'GET', '/loop', 302, () => '/loop');
  let n = 0;
  a.routePrefix('GET', '/chain/', (req, res) => {
    const k = Number(req.url.split('/')[2]);
    res.writeHead(302, { location: k > 0 ? `/chain/${k - 1}` : '/final' });
    res.end();
  });
  a.route('GET', '/slow', (_req, res) => {
    n++;
    setTimeout(() => {
      res.writeHead(302, { location: '/slow' });
      res.end();
    }, 250);
  });
  redirect(a, 'GET', '/ftp', 302, () => 'ftp://example.test/x');
});
after(async () => {
  await a.close();
  await b.close();
});

async function run(yaml: string, extra: string[] = []) {
  const dir = tempDir();
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, yaml);
  const out = join(dir, 'out');
  const result = await runCli(['run', file, '--out', out, ...extra]);
  const report = readJson(join(out, 'report.json'));
  return { ...result, out, report, steps: report.notebooks[0].steps as any[] };
}

const since = (server: TestServer, from: number) => server.requests.slice(from).map((r) => [r.method, r.url.split('?')[0], r.body]);

describe('followRedirects', () => {
  it('a 301/302/303/307/308 chain: POST becomes GET without its body, every hop in the report and in `redirects`, `url` is the final URL', async () => {
    const from = a.requests.length;
    const { code, stdout, steps, out } = await run(`title: Chain
baseUrl: ${a.url}
defaults: { followRedirects: true }
steps:
  - name: Chain
    request: { method: POST, path: /c301, json: { big: payload } }
    expect: { status: 200, body: { method: GET, body: "", contentType: null } }
    capture:
      hops: redirects
      finalUrl: url
    assert:
      - "length(redirects) == 5"
      - "map(redirects, 'status') == [301, 302, 303, 307, 308]"
      - "url == '${a.url}/final'"
`);
    assert.equal(code, 0, stdout);
    assert.deepEqual(since(a, from), [['POST', '/c301', '{"big":"payload"}'], ['GET', '/c302', ''], ['GET', '/c303', ''], ['GET', '/c307', ''], ['GET', '/c308', ''], ['GET', '/final', '']]);
    const s = steps[0];
    assert.deepEqual(s.redirects.map((h: any) => [h.method, new URL(h.url).pathname, h.status, h.location]), [
      ['POST', '/c301', 301, `${a.url}/c302`],
      ['GET', '/c302', 302, `${a.url}/c303`],
      ['GET', '/c303', 303, `${a.url}/c307`],
      ['GET', '/c307', 307, `${a.url}/c308?x=1`],
      ['GET', '/c308', 308, `${a.url}/final`],
    ]);
    assert.equal(s.request.url, `${a.url}/final`, 'the report shows the request that went out last');
    assert.equal(s.captures.finalUrl, `${a.url}/final`);
    assert.deepEqual(s.captures.hops[0], { status: 301, url: `${a.url}/c301`, location: `${a.url}/c302` });
    assert.match(stdout, /after 5 redirects: 301, 302, 303, 307, 308/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\*\*Redirects\*\*[\s\S]*301 POST/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<h4>Redirects<\/h4>/);
  });

  it('307 and 308 repeat the method and the body; 302 keeps a PUT; 303 turns it into a GET', async () => {
    const from = a.requests.length;
    const { code, stdout } = await run(`title: Kept
baseUrl: ${a.url}
steps:
  - name: 307 then 308
    request: { method: POST, path: /k307, json: { keep: me }, followRedirects: true }
    expect: { body: { method: POST, body: '{"keep":"me"}', contentType: application/json } }
  - name: 302 PUT
    request: { method: PUT, path: /p302, body: text, followRedirects: 1 }
    expect: { body: { method: PUT, body: text } }
  - name: 303 PUT
    request: { method: PUT, path: /p303, body: text, followRedirects: 1 }
    expect: { body: { method: GET, body: "" } }
`);
    assert.equal(code, 0, stdout);
    assert.deepEqual(since(a, from), [['POST', '/k307', '{"keep":"me"}'], ['POST', '/k308', '{"keep":"me"}'], ['POST', '/final', '{"keep":"me"}'], ['PUT', '/p302', 'text'], ['PUT', '/final', 'text'], ['PUT', '/p303', 'text'], ['GET', '/final', '']]);
  });

  it('not followed by default: the step sees the redirect itself', async () => {
    const { code, stdout, steps } = await run(`title: Default
baseUrl: ${a.url}
steps:
  - name: As the server said
    request: GET /same
    expect: { status: 302, headers: { location: /final } }
    assert: [ "length(redirects) == 0", "url == '${a.url}/same'" ]
`);
    assert.equal(code, 0, stdout);
    assert.equal(steps[0].redirects, undefined);
  });

  it('a hop to another origin gets neither Authorization nor the first host\'s cookies; the same origin gets both', async () => {
    const { code, stdout, steps } = await run(`title: Origins
baseUrl: ${a.url}
auth: { bearer: tok-12345678 }
defaults: { followRedirects: true }
steps:
  - name: Same origin
    request: GET /same
    expect: { body: { at: a, authorization: Bearer tok-12345678, cookie: host=a-only } }
  - name: Another origin
    request: { method: GET, path: /away, headers: { Cookie: written=1 } }
    expect: { body: { at: b, authorization: null, cookie: null } }
`);
    assert.equal(code, 0, stdout);
    assert.equal(new URL(steps[1].request.url).hostname, 'localhost');
    assert.equal(steps[1].request.headers.authorization, undefined, 'the report shows what was sent: no Authorization');
  });

  it('a loop and a chain longer than allowed are clear step errors, with the last redirect as evidence', async () => {
    const { code, stdout, steps } = await run(`title: Too many
baseUrl: ${a.url}
steps:
  - name: Loop
    request: { method: GET, path: /loop, followRedirects: true }
    continueOnFailure: true
  - name: Longer than allowed
    request: { method: GET, path: /chain/3, followRedirects: 2 }
    continueOnFailure: true
  - name: Enough
    request: { method: GET, path: /chain/3, followRedirects: 4 }
    expect: { status: 200 }
  - name: Not http
    request: { method: GET, path: /ftp, followRedirects: true }
`);
    assert.equal(code, 1, stdout);
    assert.equal(steps[0].status, 'error');
    assert.equal(steps[0].error.kind, 'too-many-redirects');
    assert.match(steps[0].error.message, /stopped after 10 redirects \(followRedirects allows 10\).*the chain loops: .*\/loop was already requested/);
    assert.equal(steps[0].response.status, 302);
    assert.equal(steps[0].redirects.length, 10);
    assert.equal(steps[1].error.kind, 'too-many-redirects');
    assert.match(steps[1].error.message, /stopped after 2 redirects/);
    assert.equal(steps[2].status, 'passed');
    assert.equal(steps[2].redirects.length, 4);
    assert.equal(steps[3].error.kind, 'redirect');
    assert.match(steps[3].error.message, /only http and https are followed/);
    assert.match(stdout, /too-many-redirects/);
  });

  it('one deadline covers every hop', async () => {
    const t0 = performance.now();
    const { code, steps } = await run(`title: Deadline
baseUrl: ${a.url}
steps:
  - name: Slow chain
    request: { method: GET, path: /slow, followRedirects: 20, timeoutMs: 600 }
`);
    const ms = performance.now() - t0;
    assert.equal(code, 1);
    assert.equal(steps[0].error.kind, 'timeout');
    assert.match(steps[0].error.message, /within the step's deadline of 600 ms, which covers every hop \(\d redirects? w(as|ere) followed/);
    assert.ok(steps[0].redirects.length >= 1 && steps[0].redirects.length <= 3, `${steps[0].redirects.length} hops within 600 ms of 250 ms each`);
    assert.ok(steps[0].durationMs < 2500, `the step took ${steps[0].durationMs} ms (deadline 600 ms)`);
    assert.ok(ms < 10_000);
  });
});
