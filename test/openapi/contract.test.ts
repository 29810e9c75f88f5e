/**
 * OpenAPI contract checks and coverage through the real bin (dist/, a child process) against a
 * local server on 127.0.0.1:0: responses matched to operations (server base path, concrete before
 * templated) and validated (3.0 and 3.1, $ref across files, nullable, discriminator, writeOnly,
 * 4XX ranges, default); an undocumented status and an unknown operation fail the step; coverage
 * is counted in report.json, the console and the HTML report, and gated by --coverage-min.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { readJson, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';

const V30 = join(ROOT, 'test/openapi/fixtures/v30/api.yaml');
const V31 = join(ROOT, 'test/openapi/fixtures/v31/api.json');
const ARTICLE = { slug: 'hello', title: 'Hello', subtitle: null, author: { name: 'Ada', email: null } };

let server: TestServer;
before(async () => {
  server = await startTestServer();
  const problem = (res: Parameters<typeof json>[0], status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify(body));
  };
  server.route('GET', '/api/v1/articles/hello', (_q, res) => json(res, 200, ARTICLE));
  server.route('GET', '/api/v1/articles/featured', (_q, res) => json(res, 200, { ...ARTICLE, slug: 'featured' }));
  server.route('GET', '/api/v1/articles/typo', (_q, res) => json(res, 200, { ...ARTICLE, subtitle: 5, author: null }));
  server.route('GET', '/api/v1/articles/teapot', (_q, res) => json(res, 418, { title: 'I am a teapot' }));
  server.route('GET', '/api/v1/nothing', (_q, res) => json(res, 200, {}));
  server.route('PATCH', '/api/v1/articles/hello', (_q, res) => json(res, 200, ARTICLE));
  server.route('POST', '/api/v1/articles', (_q, res) => problem(res, 422, { title: 'slug taken', status: 422 }));
  server.route('DELETE', '/api/v1/articles/hello', (_q, res) => {
    res.writeHead(204);
    res.end();
  });
  server.route('GET', '/api/v1/pets/cat', (_q, res) => json(res, 200, { pet_type: 'cat', meows: true }));
  server.route('GET', '/api/v1/pets/dog', (_q, res) => json(res, 200, { pet_type: 'dog', meows: true }));
  server.route('GET', '/api/v1/pets/gone', (_q, res) => problem(res, 410, { title: 'gone' }));
  server.route('GET', '/api/v1/users/1', (_q, res) => json(res, 200, { id: 1, name: 'Ada' }));
  server.route('GET', '/v2/articles/a', (_q, res) => json(res, 200, { slug: 'a', title: 'A', subtitle: null, tags: ['news'] }));
  server.route('GET', '/v2/articles/b', (_q, res) => json(res, 200, { slug: 'b', title: 'B', subtitle: 7, tags: ['Not A Tag'] }));
  server.route('GET', '/v2/articles/none', (_q, res) => json(res, 404, { title: 'no such article' }));
  // The API serves its own description, and the files it refers to, beside it.
  for (const f of ['api.json', 'schemas/article.json', 'schemas/tag.json']) {
    server.route('GET', `/spec/${f}`, (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(readFileSync(join(V31, '..', f)));
    });
  }
});
after(() => server.close());

/**
 * Writes a notebook into a fresh folder; `openapi:` is written relative to it, as users write it.
 * The fixtures lie outside that folder (the notebook's repository, for the file rule), so the
 * runs allow them with --allow-files.
 */
const ALLOW_FIXTURES = ['--allow-files', join(ROOT, 'test/openapi/fixtures')];
function notebook(name: string, spec: string | undefined, steps: string): { dir: string; file: string } {
  const dir = tempDir('api-notebook-openapi-');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `title: ${name}\n${spec ? `openapi: ${relative(dir, spec)}\n` : ''}steps:\n${steps}`);
  return { dir, file };
}

async function run(file: string, extra: string[] = []) {
  const out = tempDir();
  const result = await runCli(['run', file, '--base-url', server.url, '--out', out, ...ALLOW_FIXTURES, ...extra]);
  return { ...result, out, report: readJson(join(out, 'report.json')) };
}

const openapiCheck = (step: any) => step.checks.find((c: any) => c.kind === 'openapi');

const GOOD_30 = `
  - name: An article with a null subtitle (nullable) and its author from another file
    request: GET /api/v1/articles/hello
  - name: A concrete path wins over the template
    request: GET /api/v1/articles/featured
    expect: { schema: { type: object, required: [slug], properties: { slug: { const: featured } } } }
  - name: A 422 answers the 4XX range
    request: { method: POST, path: /api/v1/articles, json: { slug: hello } }
    expect: { status: 422 }
  - name: A cat, chosen by the discriminator
    request: GET /api/v1/pets/cat
  - name: A 410 answers the default response
    request: GET /api/v1/pets/gone
    expect: { status: 410 }
  - name: A 204 with no body
    request: DELETE /api/v1/articles/hello
`;

describe('OpenAPI 3.0: responses matched and validated', () => {
  let goodOut = '';
  it('right responses pass; each check names its operation; coverage is counted (exit 0, at --coverage-min 83)', async () => {
    const { file } = notebook('good30', V30, GOOD_30);
    const { code, stdout, report, out } = await run(file, ['--coverage-min', '83']);
    assert.equal(code, 0, stdout);
    const steps = report.notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => openapiCheck(s)?.operation), [
      'GET /articles/{slug}', 'GET /articles/featured', 'POST /articles', 'GET /pets/{id}', 'GET /pets/{id}', 'DELETE /articles/{slug}',
    ]);
    assert.ok(steps.every((s: any) => openapiCheck(s).passed));
    assert.deepEqual(steps[2].checks.find((c: any) => c.kind === 'openapi').expected, '4XX application/problem+json');
    assert.deepEqual(steps[1].checks.map((c: any) => c.kind), ['openapi-request', 'status', 'schema', 'openapi'], 'the request is checked first (before sending); expect.schema runs beside the openapi check');

    const cov = report.coverage;
    assert.equal(cov.spec, relative(ROOT, V30));
    const byOp = Object.fromEntries(cov.operations.map((o: any) => [`${o.method} ${o.path}`, o]));
    assert.deepEqual(byOp['GET /pets/{id}'], { method: 'GET', path: '/pets/{id}', documented: ['200', 'default'], seen: { 200: 1, 410: 1 }, exercised: true });
    assert.deepEqual(byOp['POST /articles'].documented, ['201', '4XX']);
    assert.equal(byOp['GET /users/{id}'].exercised, false);
    assert.deepEqual(byOp['GET /users/{id}'].seen, {});
    assert.equal(cov.operations.length, 6);
    assert.equal(cov.percent, 83.3);
    // 9 documented responses; seen: 201 no, 4XX (a 422), featured 200, {slug} 200 (not 404), 204, pets 200 and default (a 410): 6.
    assert.deepEqual(cov.responses, { documented: 9, seen: 6, percent: 66.7 });
    assert.match(stdout, /OpenAPI coverage of test\/openapi\/fixtures\/v30\/api\.yaml: 5 of 6 operations \(83\.3%\), 6 of 9 documented responses \(66\.7%\)/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /OpenAPI coverage of test\/openapi\/fixtures\/v30\/api\.yaml: 5 of 6 operations \(83\.3%\), 6 of 9 documented responses \(66\.7%\)/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<h2>OpenAPI coverage: 83\.3%<\/h2>/);
    assert.match(html, /6 of 9 documented responses seen \(66\.7%\)/);
    assert.match(html, /<td class="http">GET \/users\/\{id\}<\/td><td>200<\/td><td>—<\/td>/);
    assert.match(html, /<td>200\u00a0×1, 410\u00a0×1<\/td>/);
    assert.match(html, /openapi GET \/articles\/\{slug\}/);
    goodOut = out;
  });

  it('report.html shows the coverage table to a reader (Chromium, phone width)', async () => {
    assert.ok(goodOut, 'runs after the first test');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(pathToFileURL(join(goodOut, 'report.html')).href);
      assert.equal((await page.textContent('.coverage h2'))?.trim(), 'OpenAPI coverage: 83.3%');
      const rows = await page.$$eval('.coverage tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      assert.equal(rows.length, 6);
      assert.deepEqual(rows.find((r) => r[1] === 'GET /pets/{id}'), ['✔', 'GET /pets/{id}', '200, default', '200\u00a0×1, 410\u00a0×1', '2 of 2']);
      assert.deepEqual(rows.find((r) => r[1] === 'GET /users/{id}'), ['✘', 'GET /users/{id}', '200', '—', '0 of 1']);
      assert.deepEqual(rows.find((r) => r[1] === 'POST /articles'), ['✔', 'POST /articles', '201, 4XX', '422\u00a0×1', '1 of 2'], 'a 422 is the 4XX range seen, not the 201');
      assert.ok(await page.isVisible('.coverage table'));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page fits a phone (overflows by ${overflow}px)`);
      if (process.env.OPENAPI_SCREENSHOT) await page.screenshot({ path: process.env.OPENAPI_SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('a wrong body, an undocumented status and an unknown operation each fail their step (exit 1)', async () => {
    const steps = [
      ['typo', 'GET /api/v1/articles/typo', '200'],
      ['teapot', 'GET /api/v1/articles/teapot', '418'],
      ['unknown path', 'GET /api/v1/nothing', '200'],
      ['unknown method', 'PATCH /api/v1/articles/hello', '200'],
      ['dog', 'GET /api/v1/pets/dog', '200'],
      ['writeOnly not expected, readOnly required', 'GET /api/v1/users/1', '200'],
    ].map(([name, request, status]) => `  - name: ${name}\n    request: ${request}\n    expect: { status: ${status} }\n    continueOnFailure: true\n`).join('');
    const { file } = notebook('bad30', V30, steps);
    const { code, stdout, report, out } = await run(file);
    assert.equal(code, 1, stdout);
    const [typo, teapot, unknownPath, unknownMethod, dog, user] = report.notebooks[0].steps;

    const c = openapiCheck(typo);
    assert.equal(typo.status, 'failed');
    assert.equal(c.label, 'openapi GET /articles/{slug}');
    assert.equal(c.expected, '200 application/json');
    assert.equal(c.actual, '2 errors');
    assert.deepEqual(c.details.errors.map((e: any) => [e.instancePath, e.keyword]), [['/subtitle', 'type'], ['/author', 'type']]);
    assert.equal(c.span.line, 5, 'the check points at the step\'s request');
    assert.match(stdout, /openapi GET \/articles\/\{slug\}: body\.subtitle must be string,null/);
    assert.match(stdout, /- body\.author must be object/);

    assert.equal(openapiCheck(teapot).passed, false);
    assert.equal(openapiCheck(teapot).message, 'status 418 is not documented for GET /articles/{slug} (documented: 200, 404)');
    assert.deepEqual(openapiCheck(teapot).expected, ['200', '404']);
    assert.match(openapiCheck(unknownPath).message, /has no operation for GET \/api\/v1\/nothing \(server base paths: \/api\/v1\)/);
    assert.match(openapiCheck(unknownMethod).message, /has no PATCH operation on \/articles\/\{slug\} \(it documents GET, DELETE\)/);
    assert.match(openapiCheck(dog).message, /body must have required property 'barks'/, 'the discriminator picks Dog, so its errors are shown');
    assert.equal(openapiCheck(user).passed, true, 'writeOnly password is not expected in a response; readOnly id is');
    for (const s of [typo, teapot, unknownPath, unknownMethod, dog]) assert.equal(s.status, 'failed', s.name);

    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    assert.match(junit, /<failure message="openapi GET \/articles\/\{slug\}: status 418 is not documented[^"]*" type="openapi">/);
    assert.match(junit, /body\.subtitle must be string,null/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<strong>openapi GET \/articles\/\{slug\}<\/strong>: status 418 is not documented/);
  });

  it('--coverage-min fails the run below N (exit 1, said plainly) though every step passed', async () => {
    const { file } = notebook('gate', V30, GOOD_30);
    const below = await run(file, ['--coverage-min', '90']);
    assert.equal(below.code, 1, below.stderr);
    assert.equal(below.report.summary.failed, 0);
    assert.match(below.stderr, /Failed: coverage of test\/openapi\/fixtures\/v30\/api\.yaml is 83\.3%, below --coverage-min 90%: 1 operation\(s\) never exercised/);
  });

  it('--coverage-min-responses fails the run below N documented responses seen, and passes at N', async () => {
    const { file } = notebook('gate-responses', V30, GOOD_30);
    const below = await run(file, ['--coverage-min-responses', '70']);
    assert.equal(below.code, 1, below.stderr);
    assert.equal(below.report.summary.failed, 0);
    assert.match(below.stderr, /Failed: response coverage of test\/openapi\/fixtures\/v30\/api\.yaml is 66\.7%, below --coverage-min-responses 70%: 3 of 9 documented responses never seen/);
    const at = await run(file, ['--coverage-min-responses', '66.6']);
    assert.equal(at.code, 0, at.stderr);
    const bad = await runCli(['run', file, '--coverage-min-responses', '101']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--coverage-min-responses takes a percentage from 0 to 100, got `101`/);
  });
});

describe('OpenAPI 3.1 and --openapi', () => {
  it('3.1 is plain JSON Schema 2020-12, with $ref across files; --openapi applies to a notebook without openapi:', async () => {
    const other = await startTestServer();
    other.route('GET', '/token', (_q, res) => json(res, 200, { token: 't' }));
    const { file } = notebook('v31', undefined, [
      '  - { name: valid, request: GET /v2/articles/a }',
      '  - { name: invalid, request: GET /v2/articles/b, continueOnFailure: true }',
      '  - { name: documented 404, request: GET /v2/articles/none, expect: { status: 404 } }',
      `  - { name: a url on the base URL is checked, request: { method: GET, url: "${server.url}/v2/articles/a" } }`,
      `  - { name: a url elsewhere is another API, request: { method: GET, url: "${other.url}/token" } }`,
    ].join('\n') + '\n');
    const { code, report, stdout } = await run(file, ['--openapi', relative(ROOT, V31)]).finally(() => other.close());
    assert.equal(code, 1, stdout);
    const [valid, invalid, notFound, sameOrigin, elsewhere] = report.notebooks[0].steps;
    assert.equal(openapiCheck(sameOrigin).passed, true);
    assert.equal(openapiCheck(elsewhere), undefined);
    assert.equal(elsewhere.status, 'passed');
    assert.equal(openapiCheck(valid).passed, true);
    assert.equal(openapiCheck(notFound).passed, true);
    assert.deepEqual(openapiCheck(invalid).details.errors.map((e: any) => e.instancePath), ['/subtitle', '/tags/0']);
    assert.equal(report.coverage.percent, 100);
    assert.deepEqual(report.coverage.operations[0].seen, { 200: 3, 404: 1 });
  });
});

describe('a description served over HTTP', () => {
  it('openapi: may be an http(s) URL; its $refs resolve relative to it', async () => {
    const { file } = notebook('remote', undefined, '  - { name: valid, request: GET /v2/articles/a }\n  - { name: invalid, request: GET /v2/articles/b }\n');
    const text = readFileSync(file, 'utf8').replace('steps:', `openapi: ${server.url}/spec/api.json\nsteps:`);
    writeFileSync(file, text);
    const { code, report, stdout } = await run(file);
    assert.equal(code, 1, stdout);
    assert.equal(openapiCheck(report.notebooks[0].steps[0]).passed, true);
    assert.deepEqual(openapiCheck(report.notebooks[0].steps[1]).details.errors.map((e: any) => e.instancePath), ['/subtitle', '/tags/0']);
    assert.equal(report.coverage.spec, `${server.url}/spec/api.json`);
    assert.ok(server.requests.some((r) => r.url === '/spec/schemas/tag.json'), 'the nested $ref was fetched');
  });
});

describe('a description that cannot be used: exit 2, nothing sent', () => {
  it('a missing file is a located diagnostic', async () => {
    const { file, dir } = notebook('missing', join(tempDir(), 'nope.yaml'), '  - { name: one, request: GET /api/v1/articles/hello }\n');
    const before = server.requests.length;
    const { code, stderr } = await runCli(['run', file, '--base-url', server.url, '--out', dir]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /error: OpenAPI description not found: .*nope\.yaml/);
    assert.match(stderr, /missing\.yaml:2:10/);
    assert.match(stderr, /hint: looked for .*nope\.yaml; the path is relative to the notebook/);
    assert.equal(server.requests.length, before);
  });

  it('a broken document is a located diagnostic from run and from validate', async () => {
    const bad = join(tempDir(), 'broken.yaml');
    writeFileSync(bad, 'openapi: 3.0.3\ninfo: { title: broken }\npaths:\n  /x:\n    get:\n      responses: { 200: { content: {} } }\n');
    const { file } = notebook('broken', bad, '  - { name: one, request: GET /x }\n');
    const allow = ['--allow-files', dirname(bad)];
    for (const args of [['run', file, '--base-url', server.url, '--out', tempDir(), ...allow], ['validate', file, ...allow]]) {
      const { code, stderr } = await runCli(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /error: .*broken\.yaml is not a valid OpenAPI 3\.0\.3 document: #\/paths\/~1x\/get\/responses\/200 must have required property 'description'; #\/info must have required property 'version'\n/);
      assert.match(stderr, /broken\.yaml:2:10/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('--openapi with a missing file, and --coverage-min without a description, are command-line errors', async () => {
    const { file } = notebook('plain', undefined, '  - { name: one, request: GET /api/v1/articles/hello }\n');
    const missing = await runCli(['run', file, '--base-url', server.url, '--openapi', 'no/such.yaml', '--out', tempDir()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error: --openapi: the OpenAPI description no\/such\.yaml cannot be used: file not found/);
    const noSpec = await runCli(['run', file, '--base-url', server.url, '--coverage-min', '50', '--out', tempDir()]);
    assert.equal(noSpec.code, 2);
    assert.match(noSpec.stderr, /--coverage-min needs an OpenAPI description/);
    const badN = await runCli(['run', file, '--coverage-min', 'lots']);
    assert.equal(badN.code, 2);
    assert.match(badN.stderr, /--coverage-min takes a percentage from 0 to 100, got `lots`/);
  });
});
