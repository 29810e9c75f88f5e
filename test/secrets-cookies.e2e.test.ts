/**
 * Cookies named secret (`secretCookies: [session]`) never leak, in any encoding, in any output.
 * A real run of the bin against a server on 127.0.0.1 that sets the secret cookie on a redirect
 * whose Location holds it too, then echoes what the jar sent back in every encoding (JSON, text
 * and header echoes); the notebook captures it (`cookies.session`, `headerValues('set-cookie')`,
 * the echoed body), checks it with expect.cookies and an assert that fail (so reports show the
 * actual values), and runs with every reporter and `--log-level trace`. Every output is searched
 * for every encoded form (test/helpers/secret-forms.ts). The same run without `secretCookies`
 * leaks: the search finds what it looks for, and the value is redacted only because it is named.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { findLeaks, secretForms } from './helpers/secret-forms.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

/** Only cookie-octets (RFC 6265 4.1.1), with as many characters some encoding changes as that allows. */
const SESSION = "QXS3SS!ON/SECRET=WJZ_k.v~9f8e*'()&<>%";
const headerSafe = (s: string) => /^[\x20-\x7e]*$/.test(s);

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('POST', '/login', (_req, res) => {
    res.writeHead(302, { location: `/home?sid=${encodeURIComponent(SESSION)}`, 'set-cookie': [`session=${SESSION}; Path=/; HttpOnly`, 'theme=dark; Path=/'] });
    res.end();
  });
  server.route('GET', '/login-again', (_req, res) => {
    res.setHeader('set-cookie', [`session=${SESSION}; Path=/; HttpOnly`]);
    json(res, 200, { ok: true });
  });
  const echo = (req: { headers: Record<string, unknown> }, res: Parameters<Parameters<TestServer['route']>[2]>[1]) => {
    const cookie = String(req.headers.cookie ?? '');
    const value = /session=([^;]*)/.exec(cookie)?.[1] ?? '';
    const forms = Object.fromEntries(secretForms(value));
    const headers: Record<string, string> = {};
    let k = 0;
    for (const form of Object.values(forms)) if (headerSafe(form)) headers[`x-echo-${k++}`] = form;
    json(res, 200, { session: value, forms, cookie }, headers);
  };
  server.route('GET', '/home', echo);
  server.route('GET', '/text', (req, res) => {
    const value = /session=([^;]*)/.exec(String(req.headers.cookie ?? ''))?.[1] ?? '';
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end([...secretForms(value).values()].join('\n'));
  });
  server.route('DELETE', '/session', echo);
});
after(() => server.close());

function notebook(secret: boolean): string {
  return `title: Secret cookies
${secret ? 'secretCookies: [session]\n' : ''}steps:
  - name: Log in
    request: { method: POST, path: /login, json: { user: me }, followRedirects: true }
    continueOnFailure: true
    expect:
      status: 200
      cookies: { session: "/^nothing-like-it$/", theme: dark }
      body: { session: wrong }
    capture:
      fromJar: cookies.session
      echoed: body.session
      forms: body.forms
    assert:
      - "cookies.session == 'not it'"
  - name: Set again, no redirect
    request: GET /login-again
    continueOnFailure: true
    capture:
      setCookie: "headerValues('set-cookie')"
      joined: "headers['set-cookie']"
    assert:
      - "length(setCookie) == 9"
  - name: Echo as text
    request: GET /text
    continueOnFailure: true
    expect: { body: nope }
    capture: { text: body }
teardown:
  - name: Log out
    request: DELETE /session
    capture: { last: body.session }
`;
}

async function run(secret: boolean) {
  const dir = tempDir();
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, notebook(secret));
  const out = join(dir, 'out');
  const r = await runCli(['run', file, '--base-url', server.url, '--out', out, '--log-level', 'trace']);
  const read = (f: string) => readFileSync(join(out, f), 'utf8');
  const outputs = { stdout: r.stdout, 'stderr (trace logs)': r.stderr, 'report.json': read('report.json'), 'junit.xml': read('junit.xml'), 'report.html': read('report.html'), 'report.md': read('report.md') };
  return { ...r, outputs, report: readJson(join(out, 'report.json')) };
}

describe('secretCookies: no leak in any output', () => {
  it('the secret cookie, set on a redirect, sent by the jar, echoed, captured and checked, is redacted everywhere', async () => {
    const { code, outputs, report } = await run(true);
    assert.equal(code, 1, outputs.stdout);
    const [login, again, text, teardown] = report.notebooks[0].steps;
    // The run did what the matrix needs: the jar sent the cookie, the server echoed it, the captures hold it.
    assert.equal(login.redirects.length, 1);
    assert.equal(login.captures.fromJar, '[REDACTED]');
    assert.equal(login.captures.echoed, '[REDACTED]');
    assert.ok(again.captures.setCookie.length === 1 && again.captures.setCookie[0].includes('[REDACTED]'));
    assert.ok(text.captures.text.includes('[REDACTED]'));
    assert.equal(teardown.captures.last, '[REDACTED]', 'teardown saw the same jar');
    assert.ok(login.checks.some((c: any) => c.kind === 'cookie' && !c.passed && c.actual === '[REDACTED]'));
    assert.equal(login.checks.find((c: any) => c.label === 'cookie theme').actual, 'dark', 'a cookie not named secret is not redacted');
    const leaks = findLeaks(outputs, { session: SESSION });
    assert.deepEqual(leaks, [], `${leaks.length} leaks:\n${leaks.slice(0, 20).map((l) => `${l.output} / ${l.form}: …${l.at}…`).join('\n')}`);
  });

  it('without secretCookies the same run shows the value (the search finds what it looks for)', async () => {
    const { outputs, report } = await run(false);
    assert.equal(report.notebooks[0].steps[0].captures.fromJar, SESSION);
    assert.ok(findLeaks(outputs, { session: SESSION }).length > 0);
  });
});
