/**
 * The cookie jar and repeated headers, through the real bin against servers on 127.0.0.1:
 * cookies with paths, domains, expiry, Max-Age=0 deletion and Secure; several Set-Cookie headers
 * with `Expires=` dates (the ", " a joined header cannot be split on); `cookies: false`;
 * `cookies` in expressions; `expect.cookies` passing and failing; teardown on the same jar;
 * header names `constructor` / `__proto__` kept; and httpbin's /cookies/set, the real-world case.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const FUTURE = 'Wed, 21 Oct 2037 07:28:00 GMT';
const PAST = 'Thu, 01 Jan 1970 00:00:01 GMT';

before(async () => {
  server = await startTestServer();
  server.route('GET', '/set', (_req, res) => {
    res.setHeader('set-cookie', [
      `plain=p1; Expires=${FUTURE}; Path=/`,
      `scoped=s1; Path=/app; Expires=${FUTURE}`,
      'session=abc123; HttpOnly; SameSite=Lax',
      `gone=old; Expires=${PAST}`,
      'secure=sec1; Secure',
      'foreign=f1; Domain=other.example.test',
      'temp=t1; Max-Age=3600',
    ]);
    json(res, 200, { ok: true });
  });
  server.route('GET', '/delete', (_req, res) => {
    res.setHeader('set-cookie', ['temp=; Max-Age=0']);
    json(res, 200, { ok: true });
  });
  server.route('GET', '/set-other', (_req, res) => {
    res.setHeader('set-cookie', ['session=zzz', 'theme=dark']);
    json(res, 200, { ok: true });
  });
  const echo = (req: { headers: Record<string, unknown> }, res: Parameters<Parameters<TestServer['route']>[2]>[1]) => json(res, 200, { cookie: req.headers.cookie ?? null, csrf: req.headers['x-csrf'] ?? null });
  server.route('GET', '/echo', echo);
  server.route('GET', '/app/echo', echo);
  server.route('DELETE', '/echo', echo);
});
after(() => server.close());

async function run(yaml: string, extra: string[] = []) {
  const dir = tempDir();
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, yaml);
  const out = join(dir, 'out');
  const result = await runCli(['run', file, '--out', out, ...extra]);
  const report = existsSync(join(out, 'report.json')) ? readJson(join(out, 'report.json')) : undefined;
  return { ...result, out, report, steps: report?.notebooks[0].steps as any[] };
}

describe('the cookie jar', () => {
  it('sends what the responses set to matching URLs: path, expiry, deletion, Secure, Domain; teardown sees the same jar', async () => {
    const { code, stdout, steps } = await run(`title: Jar
baseUrl: ${server.url}
steps:
  - name: Set
    request: GET /set
    capture:
      setCookies: "headerValues('set-cookie')"
      joined: "headers['set-cookie']"
  - name: Root
    request: GET /echo
    capture: { rootCookie: body.cookie }
  - name: Under the path
    request: GET /app/echo
    capture: { appCookie: body.cookie }
  - name: Delete temp
    request: GET /delete
  - name: After the deletion
    request: GET /echo
    capture: { afterCookie: body.cookie }
teardown:
  - name: Teardown has the jar
    request: DELETE /echo
    capture: { teardownCookie: body.cookie }
`);
    assert.equal(code, 0, stdout);
    const byName = Object.fromEntries(steps.map((s) => [s.name, s]));
    assert.equal(byName.Set.captures.setCookies.length, 7, 'each Set-Cookie apart, Expires dates whole');
    assert.equal(byName.Set.captures.setCookies[0], `plain=p1; Expires=${FUTURE}; Path=/`);
    assert.match(byName.Set.captures.joined, /^plain=p1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=\/, scoped=s1/, 'headers[] keeps the joined text');
    // Not sent: the expired one, the Secure one over http, the one for another domain, the /app one at /.
    assert.equal(byName.Root.captures.rootCookie, 'plain=p1; session=abc123; temp=t1');
    assert.equal(byName['Under the path'].captures.appCookie, 'scoped=s1; plain=p1; session=abc123; temp=t1', 'the longer path first (RFC 6265 5.4)');
    assert.equal(byName['After the deletion'].captures.afterCookie, 'plain=p1; session=abc123', 'Max-Age=0 deletes');
    assert.equal(byName['Teardown has the jar'].captures.teardownCookie, 'plain=p1; session=abc123');
    const warnings = byName.Set.warnings.join('\n');
    assert.match(warnings, /cookie `secure` .* not kept: it is `Secure` and came over http/);
    assert.match(warnings, /cookie `foreign` .* not kept: its Domain does not match/);
    assert.equal(byName.Root.request.headers.cookie, '[REDACTED]', 'the Cookie header the jar sent is in the report, masked');
  });

  it('`cookies: false` on a request neither sends nor stores; the request wins over defaults', async () => {
    const { code, stdout, steps } = await run(`title: Off
baseUrl: ${server.url}
defaults: { cookies: false }
steps:
  - name: Set, jar off
    request: GET /set
  - name: Nothing stored
    request: { method: GET, path: /echo, cookies: true }
    capture: { none: body.cookie }
  - name: Set, jar on for this request
    request: { method: GET, path: /set-other, cookies: true }
  - name: Jar off again
    request: GET /echo
    capture: { off: body.cookie }
  - name: Jar on
    request: { method: GET, path: /echo, cookies: true }
    capture: { on: body.cookie }
`);
    assert.equal(code, 0, stdout);
    assert.equal(steps[1].captures.none, null);
    assert.equal(steps[3].captures.off, null, 'the default cookies: false sends nothing');
    assert.equal(steps[4].captures.on, 'session=zzz; theme=dark');
  });

  it('`cookies` in expressions: the jar for the request URL in templates, after the response in captures and asserts', async () => {
    const { code, stdout, steps } = await run(`title: Expressions
baseUrl: ${server.url}
steps:
  - name: Set
    request: GET /set
    capture:
      session: cookies.session
      all: cookies
    assert:
      - cookies.plain == 'p1'
      - cookies.scoped == null
  - name: Double-submit header
    request: { method: GET, path: /echo, headers: { X-CSRF: "\${cookies.session}" } }
    expect: { body: { csrf: abc123 } }
  - name: Compute step
    assert: [ "cookies.session == 'abc123'" ]
  - name: A written Cookie header wins for its names; the jar adds the others
    request: { method: GET, path: /echo, headers: { Cookie: "session=mine; extra=1" } }
    expect: { body: { cookie: "session=mine; extra=1; plain=p1; temp=t1" } }
`);
    assert.equal(code, 0, stdout);
    assert.equal(steps[0].captures.session, 'abc123');
    assert.deepEqual(steps[0].captures.all, { plain: 'p1', session: 'abc123', temp: 't1' });
  });

  it('expect.cookies passes on the right response, and fails (a check of kind cookie) on a wrong value or a missing cookie', async () => {
    const good = await run(`title: Check
baseUrl: ${server.url}
steps:
  - name: Set
    request: GET /set-other
    expect:
      cookies: { session: "/^z+$/", theme: dark, plain: null }
`);
    assert.equal(good.code, 0, good.stdout);
    assert.deepEqual(good.steps[0].checks.map((c: any) => [c.kind, c.passed]), [['status', true], ['cookie', true], ['cookie', true], ['cookie', true]]);

    const bad = await run(`title: Check
baseUrl: ${server.url}
steps:
  - name: Set
    request: GET /set-other
    expect:
      cookies: { session: "/^[a-f0-9]+$/", theme: light, missing: x, plain: null }
`);
    assert.equal(bad.code, 1, bad.stdout);
    const failed = bad.steps[0].checks.filter((c: any) => !c.passed);
    assert.deepEqual(failed.map((c: any) => [c.kind, c.label]), [['cookie', 'cookie session'], ['cookie', 'cookie theme'], ['cookie', 'cookie missing']]);
    assert.match(bad.stdout, /cookie session is "zzz", expected to match \/\^\[a-f0-9\]\+\$\//);
    assert.match(bad.stdout, /cookie theme is "dark", expected light/);
    assert.match(bad.stdout, /the response did not set cookie missing \(it set session, theme\)/);
    assert.ok(failed[0].span.line > 0);
    for (const f of ['junit.xml', 'report.md', 'report.html']) assert.match(readFileSync(join(bad.out, f), 'utf8'), /cookie session/, f);
    // The response that set no cookie at all is a failure too.
    const none = await run(`title: None
baseUrl: ${server.url}
steps:
  - name: No cookie
    request: GET /echo
    expect: { cookies: { session: x } }
`);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /the response did not set cookie session \(it set no cookie\)/);
  });

  it('a bad expect.cookies pattern or a wrong followRedirects / cookies value is a located diagnostic (exit 2)', async () => {
    const { code, stderr, stdout } = await run(`title: Broken
baseUrl: ${server.url}
defaults: { followRedirects: many }
steps:
  - name: Bad
    request: { method: GET, path: /echo, cookies: sometimes }
    expect: { cookies: { session: "/[/" } }
`);
    assert.equal(code, 2, stdout + stderr);
    const text = stdout + stderr;
    assert.match(text, /nb\.yaml:3:\d+/);
    assert.match(text, /nb\.yaml:6:\d+/);
    assert.match(text, /nb\.yaml:7:\d+/);
    assert.match(text, /invalid regular expression \/\[\/: /);
    assert.doesNotMatch(text, /at .*\.js:\d+/, 'no stack trace');
  });
});

describe('response header names', () => {
  let raw: NetServer;
  let rawUrl: string;
  before(async () => {
    // A raw server: node's own would not send these names as they are.
    raw = createNetServer((socket) => {
      socket.once('data', () => {
        const body = '{"ok":true}';
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconstructor: c1\r\n__proto__: p1\r\ntoString: t1\r\n__proto__: p2\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    rawUrl = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
  });
  after(() => new Promise((r) => raw.close(r)));

  it('keeps headers named constructor, __proto__ and toString (issue 18 M5)', async () => {
    const { code, stdout, steps } = await run(`title: Names
steps:
  - name: Odd names
    request: GET ${rawUrl}/x
    expect: { headers: { tostring: t1 } }
    capture:
      protos: "headerValues('__proto__')"
      ctor: "headerValues('constructor')"
`);
    assert.equal(code, 0, stdout);
    const headers = steps[0].response.headers;
    assert.equal(headers.constructor, 'c1');
    assert.ok(Object.hasOwn(headers, '__proto__'));
    assert.equal(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value, 'p1, p2');
    assert.equal(headers.tostring, 't1');
    assert.deepEqual(steps[0].captures.protos, ['p1', 'p2']);
    assert.deepEqual(steps[0].captures.ctor, ['c1']);
  });
});

describe('httpbin (the real-world case)', () => {
  const GUNICORN = '/usr/bin/gunicorn';
  const available = existsSync(GUNICORN) && existsSync('/usr/lib/python3/dist-packages/httpbin');
  let proc: ChildProcess | undefined;
  let url = '';
  before(async () => {
    if (!available) return;
    proc = spawn(GUNICORN, ['-b', '127.0.0.1:0', '-w', '1', 'httpbin:app'], { stdio: ['ignore', 'ignore', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`gunicorn did not start: ${text}`)), 20_000);
      proc!.stderr!.on('data', (c) => {
        text += c;
        const m = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
  });
  after(() => {
    proc?.kill();
  });

  it('/cookies/set then /cookies: the jar carries them; /cookies/set followed to /cookies in one step', { skip: available ? false : 'python3-httpbin and gunicorn are not installed' }, async () => {
    const { code, stdout, steps } = await run(`title: httpbin
baseUrl: ${url}
steps:
  - name: Set two cookies
    request: GET /cookies/set?session=abc123&theme=dark
    expect: { status: 302, cookies: { session: abc123, theme: dark } }
  - name: Read them back
    request: GET /cookies
    expect: { body: { cookies: { session: abc123, theme: dark } } }
  - name: Set and follow
    request: { method: GET, path: /cookies/set?lang=en, followRedirects: true }
    expect: { status: 200, body: { cookies: { lang: en, session: abc123 } } }
    assert:
      - "redirects[0].status == 302"
      - "endsWith(url, '/cookies')"
`);
    assert.equal(code, 0, stdout);
    assert.equal(steps[2].redirects.length, 1);
  });
});

describe('docs/notebook-format.md: the Cookies, Redirects and Repeated headers examples run', () => {
  let site: TestServer;
  before(async () => {
    site = await startTestServer();
    const session = 'a'.repeat(16) + '0123456789abcdef';
    const has = (req: { headers: Record<string, unknown> }, c: string) => String(req.headers.cookie ?? '').split('; ').includes(c);
    site.route('POST', '/login', (_req, res) => {
      res.setHeader('set-cookie', [`session=${session}; Path=/; HttpOnly`, 'theme=dark; Path=/', 'csrftoken=tok123; Path=/']);
      json(res, 200, { ok: true });
    });
    site.route('GET', '/account', (req, res) => json(res, has(req, `session=${session}`) ? 200 : 401, {}));
    site.route('POST', '/settings', (req, res) => json(res, has(req, 'csrftoken=tok123') && req.headers['x-csrf-token'] === 'tok123' ? 200 : 403, {}));
    site.route('GET', '/public', (req, res) => json(res, req.headers.cookie ? 400 : 200, {}));
    site.route('POST', '/sign-in', (_req, res) => {
      res.writeHead(303, { location: '/home' });
      res.end();
    });
    site.route('GET', '/home', (_req, res) => json(res, 200, {}));
    site.route('GET', '/old-page', (_req, res) => {
      res.writeHead(301, { location: '/new-page' });
      res.end();
    });
    site.route('GET', '/chain', (_req, res) => {
      res.writeHead(302, { location: '/chain2' });
      res.end();
    });
    site.route('GET', '/chain2', (_req, res) => {
      res.writeHead(302, { location: '/home' });
      res.end();
    });
    site.route('GET', '/cookies/set', (_req, res) => {
      res.setHeader('set-cookie', [`a=1; Expires=${FUTURE}`, `b=2; Expires=${FUTURE}`]);
      json(res, 200, {});
    });
  });
  after(() => site.close());

  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'notebook-format.md'), 'utf8');
  for (const section of ['Cookies', 'Redirects', 'Repeated response headers']) {
    it(section, async () => {
      const body = doc.split(`\n## ${section}\n`)[1]?.split('\n## ')[0] ?? '';
      const example = /```yaml\n([\s\S]*?)```/.exec(body)?.[1];
      assert.ok(example, `the ${section} section has an example`);
      const { code, stdout, steps } = await run(example, ['--base-url', site.url]);
      assert.equal(code, 0, stdout);
      assert.ok(steps.every((s) => s.status === 'passed'), stdout);
    });
  }
});
