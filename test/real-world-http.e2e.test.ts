/**
 * Issue 19's features where they meet (each was built and tested on its own branch): through the
 * real bin against servers on 127.0.0.1. A redirect chain and `duration` / `maxDurationMs`, a
 * bytes body and `expect.body` / `expect.text` patterns, …
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';
import { NO_PROXY_ENV } from './helpers/tls.js';

let server: TestServer;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);

before(async () => {
  server = await startTestServer();
  server.route('GET', '/slow-redirect', (_req, res) => setTimeout(() => { res.writeHead(302, { location: '/slow' }); res.end(); }, 300));
  server.route('GET', '/slow', (_req, res) => setTimeout(() => json(res, 200, { ok: true }), 300));
  server.route('POST', '/graphql', (req, res) => json(res, 200, { data: { method: req.method, sent: JSON.parse(req.body) } }));
  server.route('GET', '/items.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(`<items>${Array.from({ length: 10_000 }, (_, i) => `<item id="i${i}"><name>n${i}</name></item>`).join('')}</items>`);
  });
  server.route('GET', '/logo.png', (_req, res) => { res.writeHead(200, { 'content-type': 'image/png' }); res.end(PNG); });
});

after(() => server?.close());

async function run(yaml: string, extra: string[] = []) {
  const dir = tempDir('real-world-');
  writeFileSync(join(dir, 'n.yaml'), yaml.replaceAll('BASE', server.url));
  const out = join(dir, 'out');
  const r = await runCli(['run', join(dir, 'n.yaml'), '--out', out, ...extra], { env: NO_PROXY_ENV });
  return { ...r, out, report: () => readJson(join(out, 'report.json')) };
}

describe('duration and maxDurationMs over a followed redirect', () => {
  it('measure the whole chain, from the first request to the last byte of the final response', async () => {
    const r = await run(`title: Slow chain
baseUrl: BASE
steps:
  - name: Two slow hops
    request: { method: GET, path: /slow-redirect, followRedirects: true }
    expect: { status: 200, maxDurationMs: 450 }
    assert: [duration >= 550]
`);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const step = r.report().notebooks[0].steps[0];
    const duration = step.checks.find((c: { kind: string }) => c.kind === 'duration');
    assert.equal(duration.passed, false, 'the chain took ~600 ms, more than 450');
    assert.ok(duration.actual >= 550, `measured ${duration.actual}`);
    assert.equal(step.checks.find((c: { kind: string }) => c.kind === 'assert').passed, true, '`duration` is the chain’s too');
    assert.ok(step.response.durationMs >= 550, 'report.json records the same time');
    assert.match(r.stdout, /the response took \d+(\.\d+)? ms, more than expect\.maxDurationMs: 450/);
  });
});

describe('a bytes body and patterns', () => {
  it('expect.body and expect.text match a pattern against the bytes, and fail on a wrong one', async () => {
    const ok = await run(`title: Bytes
baseUrl: BASE
steps:
  - name: The PNG signature
    request: GET /logo.png
    expect: { body: "/^.PNG/s", text: "/PNG/" }
`);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const bad = await run(`title: Bytes
baseUrl: BASE
steps:
  - name: Not a GIF
    request: GET /logo.png
    expect: { body: "/GIF8/", text: "/GIF8/" }
`);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /body \(12 bytes\) does not match \/GIF8\//);
    assert.match(bad.stdout, /the body \(12 bytes\) does not match \/GIF8\//);
    // Never shown as mis-decoded text: the reports give the size and digest.
    const decoded = new TextDecoder().decode(PNG);
    for (const f of ['report.json', 'junit.xml', 'report.html', 'report.md']) {
      const text = readFileSync(join(bad.out, f), 'utf8');
      assert.ok(!text.includes(decoded.slice(1, 8)), `${f} shows the bytes as text`);
      assert.ok(!text.includes(JSON.stringify(decoded).slice(1, -1)), `${f} shows the bytes as escaped text`);
    }
    assert.match(bad.stdout, /\[binary body: 12 bytes, sha256 [0-9a-f]{64}\]/);
  });
});

describe('graphql without a method', () => {
  it('is the standard POST; a request without graphql still needs its method (one located diagnostic, exit 2)', async () => {
    const r = await run(`title: GraphQL
baseUrl: BASE
steps:
  - name: Query
    request: { path: /graphql, graphql: { query: "{ me { id } }", operationName: Me } }
    assert:
      - body.data.method == 'POST'
      - body.data.sent.operationName == 'Me'
`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const bad = await run(`title: No method
baseUrl: BASE
steps:
  - name: Nothing to say how
    request: { path: /x }
`);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /missing required key `method` in a request\n --> .*n\.yaml:5:14/);
    assert.match(bad.stderr, /1 problem found/);
    assert.doesNotMatch(bad.stderr, /"then"|at .*\.js:\d+/);
  });
});

describe('xpath on a long list', () => {
  it('answers in document order within seconds (the engine was quadratic: a minute for 10,000 items)', { timeout: 40_000 }, async () => {
    const started = performance.now();
    const r = await run(`title: A long feed
baseUrl: BASE
steps:
  - name: Every item
    request: GET /items.xml
    assert:
      - length(xpathAll(body, '//item/@id')) == 10000
      - xpath(body, '//item[last()]/name') == 'n9999'
      - xpathAll(body, '//item/name | //item/@id')[1] == 'n0'
      - xpath(body, 'count(//item/name)') == 10000
`);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(seconds < 15, `the run took ${seconds.toFixed(1)} s`);
  });
});
