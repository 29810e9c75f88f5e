/**
 * `import --from hurl` on Hurl's own integration files (fixtures/import/hurl/, Apache-2.0): each
 * imports and validates; hello and form_params run against a server that answers as Hurl's test
 * server does, and every step passes as it does under hurl (round trip); against a server that
 * answers wrongly the same steps fail. The query and predicate mapping is checked line by line.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { assertExpr, captureExpr } from '../../src/import/hurl/query.js';
import { HurlNames } from '../../src/import/hurl/names.js';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { importAndValidate, warningCount } from './helpers.js';

/** What Hurl's Flask test server answers on these routes (integration/hurl/tests_ok/*.py); `wrong` breaks each. */
function hurlServer(wrong: boolean): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/hello') {
        const text = wrong ? 'Hello World?' : 'Hello World!';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      } else if (req.method === 'POST' && req.url === '/form-params') {
        const form = Object.fromEntries(new URLSearchParams(body));
        const want = { param1: 'value1', param2: '', param3: 'a=b', param4: 'a%3db', 'values[0]': '0', 'values[1]': '1' };
        const ok = JSON.stringify(form) === JSON.stringify(want) && String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
        res.writeHead(ok && !wrong ? 200 : 400);
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
}

const servers: Record<'right' | 'wrong', { server: Server; url: string }> = {} as never;
before(async () => {
  for (const kind of ['right', 'wrong'] as const) {
    const server = hurlServer(kind === 'wrong');
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers[kind] = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
});
after(() => Promise.all(Object.values(servers).map(({ server }) => new Promise((done) => server.close(done)))));

async function run(fixture: string, against: 'right' | 'wrong') {
  const { file } = await importAndValidate(join('hurl', fixture));
  const out = join(tempDir(), 'out');
  const res = await runCli(['run', file, '--base-url', servers[against].url, '--out', out]);
  const steps = readJson(join(out, 'report.json')).notebooks[0].steps as Array<{ name: string; status: string }>;
  return { code: res.code, steps, output: res.stdout + res.stderr };
}

test('hello.hurl and form_params.hurl: every step passes against a server that answers as Hurl expects, as under hurl', async () => {
  for (const fixture of ['hello.hurl', 'form_params.hurl']) {
    const { code, steps, output } = await run(fixture, 'right');
    assert.equal(code, 0, output);
    assert.ok(steps.length >= 3 && steps.every((s) => s.status === 'passed'), output);
  }
});

test('against a server that answers wrongly, the same steps fail (the imported checks can fail)', async () => {
  const hello = await run('hello.hurl', 'wrong');
  assert.equal(hello.code, 1);
  assert.equal(hello.steps[0]!.status, 'failed', 'expect.text from `Hello World!` fails on "Hello World?"');
  const form = await run('form_params.hurl', 'wrong');
  assert.equal(form.steps[0]!.status, 'failed', 'HTTP 200 fails on a 400');
});

test('what each fixture gives: [FormParams] with \\u{…} escapes, a raw `…` body, HTTP 404, hex bodies as text', async () => {
  const form = parse((await importAndValidate(join('hurl', 'form_params.hurl'))).text);
  assert.equal(form.baseUrl, 'http://localhost:8000');
  assert.deepEqual(form.steps[0].request.form, { param1: 'value1', param2: '', param3: 'a=b', param4: 'a%3db', 'values[0]': '0', 'values[1]': '1' });
  assert.deepEqual(form.steps[0].expect, { status: 200 });
  assert.equal(form.steps[2].request.body, 'param1=value1&param2=&param3=a%3db&param4=a%253db&values[0]=0&values[1]=1');
  const hello = await importAndValidate(join('hurl', 'hello.hurl'));
  const nb = parse(hello.text);
  assert.deepEqual(nb.steps[0].expect, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': '12' }, text: 'Hello World!' });
  assert.deepEqual(nb.steps[0].assert, ['headers["date"] != null']);
  assert.deepEqual(nb.steps[1].expect, { status: 404 });
  assert.equal(nb.steps[4].expect.text, 'Hello World!', 'hex,48656c6c6f…; is that text');
  assert.match(hello.stdout, /hello\.hurl:20: warning: GET \/hello \(2\): an expected file body is not translated/);
});

test('share without a warning over the four vendored files: 15 of 20 requests, 90 of 115 checks and captures', async () => {
  let warnings = 0;
  let clean = 0;
  let steps = 0;
  for (const fixture of ['hello.hurl', 'form_params.hurl', 'assert_header.hurl', 'captures.hurl']) {
    const { text, stdout } = await importAndValidate(join('hurl', fixture));
    warnings += warningCount(stdout);
    const nb = parse(text);
    steps += nb.steps.length;
    // A step with something kept has a `# not translated` comment right above it.
    clean += nb.steps.length - (text.match(/# not translated[^\n]*\n(?:\s+#[^\n]*\n)*\s+- name:/g) ?? []).length;
  }
  assert.equal(steps, 20);
  assert.equal(clean, 15);
  assert.equal(warnings, 25, '25 of the 115 check and capture lines are kept as comments');
});

test('queries, filters and predicates → expressions; what they cannot say is refused, not guessed', () => {
  const names = new HurlNames();
  const cases: Array<[string, string]> = [
    ['status == 200', 'status == 200'],
    ['jsonpath "$.data[0].id" == "x{{id}}"', 'body.data[0].id == "x" + id'],
    ["jsonpath \"$['a b']\" count > 2", 'length(body["a b"]) > 2'],
    ['header "X-Fruit" nth 1 == "Lemon"', 'headerValues("x-fruit")[1] == "Lemon"'],
    ['header "Content-Type" contains "json"', 'contains(headers["content-type"], "json")'],
    ['xpath "count(//p)" == 2', 'xpath(body, "count(//p)") == 2'],
    ['body matches /^Hello/', 'matches(body, "^Hello")'],
    ['jsonpath "$.name" startsWith "Bo"', 'startsWith(body.name, "Bo")'],
    ['jsonpath "$.missing" not exists', '!(body.missing != null)'],
    ['duration < 1000', 'duration < 1000'],
    ['cookie "session" exists', 'cookies["session"] != null'],
    ['jsonpath "$.tags" isEmpty', 'length(body.tags) == 0'],
  ];
  for (const [hurl, expr] of cases) assert.equal(assertExpr(hurl, names), expr, hurl);
  assert.equal(captureExpr('header "Location" regex "/orders/(\\\\d+)"', names), 'regex(headers["location"], "/orders/(\\\\d+)")');
  for (const bad of ['jsonpath "$..id" == 1', 'jsonpath "$.a[?(@.b)]" exists', 'certificate "Subject" == "x"', 'jsonpath "$.n" isInteger']) assert.throws(() => assertExpr(bad, names), /has no expression|more than names|not one/, bad);
});

test('a Hurl chain: [BasicAuth] password a secret input, a capture used by the next entry, {{sku}} from HURL_sku, [Options] retry', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'orders.hurl'), [
    'POST http://api.test/login', '[BasicAuth]', 'ana: s3cret-pass', 'HTTP 200', '[Captures]', 'token: jsonpath "$.token"', '',
    'POST http://api.test/orders', 'Authorization: Bearer {{token}}', '[Options]', 'retry: 2', '{"sku": "{{sku}}", "qty": {{qty}}}', 'HTTP 200',
    '[Asserts]', 'jsonpath "$.ok" == true', '',
  ].join('\n'));
  const res = await runCli(['import', 'orders.hurl', '--out', 'nb.yaml'], { cwd: dir });
  assert.equal(res.code, 0, res.stderr);
  const text = readFileSync(join(dir, 'nb.yaml'), 'utf8');
  assert.ok(!text.includes('s3cret-pass') && !res.stdout.includes('s3cret-pass'), 'the password is not written anywhere');
  const nb = parse(text);
  assert.deepEqual(nb.inputs, { sku: { env: 'HURL_sku' }, qty: { env: 'HURL_qty' }, password: { env: 'PASSWORD', secret: true } });
  assert.deepEqual(nb.steps[1].request.json, { sku: '${sku}', qty: '${qty}' });
  assert.equal(nb.steps[1].retries, 2);
  // Run it against a server that hands out a token and wants it back.
  const seen: Array<{ url: string; auth?: string; body: string }> = [];
  const server = createServer((req, res2) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url!, auth: req.headers.authorization, body });
      res2.writeHead(200, { 'content-type': 'application/json' });
      res2.end(req.url === '/login' ? '{"token":"tok-777"}' : '{"ok":true}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ran = await runCli(['run', 'nb.yaml', '--base-url', url, '--out', 'out'], { cwd: dir, env: { PASSWORD: 's3cret-pass', HURL_sku: 'A-1', HURL_qty: '2' } });
    assert.equal(ran.code, 0, ran.stdout + ran.stderr);
    assert.equal(seen[0]!.auth, `Basic ${Buffer.from('ana:s3cret-pass').toString('base64')}`);
    assert.equal(seen[1]!.auth, 'Bearer tok-777');
    assert.deepEqual(JSON.parse(seen[1]!.body), { sku: 'A-1', qty: '2' });
  } finally {
    await new Promise((done) => server.close(done));
  }
});

test('bad Hurl: text before any request, an unclosed ``` body: located, exit 2, no stack trace', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.hurl'), 'hello there\nGET http://x.test/\n');
  writeFileSync(join(dir, 'b.hurl'), 'POST http://x.test/\n```\nnever closed\n');
  for (const [file, message] of [['a.hurl', /a\.hurl:1: expected a request line \(METHOD URL\)/], ['b.hurl', /b\.hurl:2: a ``` body is never closed/]] as const) {
    const res = await runCli(['import', file], { cwd: dir });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+/);
  }
});
