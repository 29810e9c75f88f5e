/**
 * The notebook's `auth` goes only to the base URL's origin (src/run/auth.ts `authFor`): two real
 * servers on 127.0.0.1, the base URL on one; the other, on another port (another origin), must
 * never receive the Authorization header or the OAuth2 token, whether its URL is written in full
 * or handed back by the first server; a step that names `auth:` itself does send it there.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir, writeNotebook } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const KEY = 'QZbearer-secret-0rigin';
const TOKEN = 'QZoauth-token-0rigin-xy';
let home: TestServer;
let other: TestServer;

before(async () => {
  home = await startTestServer();
  other = await startTestServer();
  home.route('GET', '/first', (_req, res) => json(res, 200, { next: `${other.url}/next-page` }));
  home.route('GET', '/home', (_req, res) => json(res, 200, { ok: true }));
  home.route('POST', '/oauth/token', (_req, res) => json(res, 200, { access_token: TOKEN, token_type: 'bearer', expires_in: 3600 }));
  for (const path of ['/full', '/next-page', '/named']) other.route('GET', path, (_req, res) => json(res, 200, { ok: true }));
  other.route('GET', '/private', (req, res) => json(res, req.headers.authorization ? 200 : 401, { error: 'who are you' }));
});
after(async () => {
  await home.close();
  await other.close();
});

function steps(otherUrl: string, homeUrl: string, stepAuth: string): string {
  return `steps:
  - name: Home, by path
    request: GET /home
  - name: Home, written in full
    request: GET ${homeUrl}/home
  - name: First page
    request: GET /first
    capture: { next: body.next }
  - name: The next page the server handed back
    request: GET \${next}
  - name: Another origin, written in full
    request: GET ${otherUrl}/full
  - name: Another origin that asks for credentials
    continueOnFailure: true
    request: GET ${otherUrl}/private
    expect: { status: 401 }
  - name: Another origin, the step names auth itself
    auth: ${stepAuth}
    request: GET ${otherUrl}/named
`;
}

const authOf = (server: TestServer, path: string) => server.requests.filter((r) => r.url === path).map((r) => r.headers.authorization);

describe("the notebook's auth goes only to the base URL's origin", () => {
  it('bearer: the other server never sees it, unless the step names auth; a 401 there says why', async () => {
    home.requests.length = 0;
    other.requests.length = 0;
    const file = writeNotebook(`title: Bearer origin
inputs:
  key: { env: ORIGIN_KEY, secret: true }
auth: { bearer: "\${key}" }
${steps(other.url, home.url, '{ bearer: "${key}" }')}`);
    const out = join(tempDir(), 'out');
    const r = await runCli(['run', file, '--base-url', home.url, '--out', out], { env: { ORIGIN_KEY: KEY } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(authOf(home, '/home'), [`Bearer ${KEY}`, `Bearer ${KEY}`], 'the base URL origin gets it, by path and written in full');
    for (const path of ['/full', '/next-page', '/private']) assert.deepEqual(authOf(other, path), [undefined], `${path}: no Authorization`);
    assert.deepEqual(authOf(other, '/named'), [`Bearer ${KEY}`], 'the step that names auth sends it');
    for (const req of other.requests.filter((x) => x.url !== '/named')) assert.ok(!JSON.stringify(req).includes(KEY), 'the key is nowhere in what the other server got');
    const report = readJson(join(out, 'report.json'));
    const asked = report.notebooks[0].steps.find((s: any) => s.name === 'Another origin that asks for credentials');
    assert.match(asked.warnings.join('\n'), /the notebook's `auth` was not sent to http:\/\/127\.0\.0\.1:\d+: it goes only to the base URL's origin; .*write `auth:` on this step/);
    assert.match(r.stdout, /warning: the notebook's `auth` was not sent/);
    const full = report.notebooks[0].steps.find((s: any) => s.name === 'Another origin, written in full');
    assert.equal(full.warnings, undefined, 'no warning where the server did not ask for credentials');
  });

  it('oauth2: the token is fetched for the base URL and never reaches the other origin', async () => {
    home.requests.length = 0;
    other.requests.length = 0;
    const oauth = `{ oauth2: { tokenUrl: "${home.url}/oauth/token", clientId: cid, clientSecret: "\${secret}" } }`;
    const file = writeNotebook(`title: OAuth2 origin
inputs:
  secret: { env: ORIGIN_SECRET, secret: true }
auth: ${oauth}
${steps(other.url, home.url, oauth)}`);
    const out = join(tempDir(), 'out');
    const r = await runCli(['run', file, '--base-url', home.url, '--out', out], { env: { ORIGIN_SECRET: 'client-secret-xyz' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(authOf(home, '/home'), [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    for (const path of ['/full', '/next-page', '/private']) assert.deepEqual(authOf(other, path), [undefined], `${path}: no Authorization`);
    assert.deepEqual(authOf(other, '/named'), [`Bearer ${TOKEN}`]);
    assert.equal(home.requests.filter((x) => x.url === '/oauth/token').length, 1, 'one token, for the base URL');
  });
});
