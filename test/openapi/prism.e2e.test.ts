/**
 * A description matched where the API is served: Prism (a mock nobody here wrote) serves a
 * description whose `servers` say `https://example.test/api` at the root of 127.0.0.1, and the
 * run's `--base-url` stands in for the servers. Then the waivers (`openapi: false`, `ignore:`)
 * waive exactly what they name, and `--openapi-mode warn` reports contract failures as warnings
 * without failing the run.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { startPrism, type Prism } from '../helpers/prism.js';

const DESCRIPTION = `openapi: 3.0.3
info: { title: Users, version: '1' }
servers:
  - url: https://example.test/api
paths:
  /users:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [user]
              properties: { user: { type: object, required: [email], properties: { email: { type: string } } } }
      responses:
        '201':
          description: the new user
          content:
            application/json:
              schema: { $ref: '#/components/schemas/User' }
              example: { id: 7, email: ada@example.test }
        '422':
          description: invalid
          content:
            application/json:
              schema: { type: object }
  /users/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        '200':
          description: a user
          content:
            application/json:
              schema: { $ref: '#/components/schemas/User' }
              example: { id: 7, email: ada@example.test }
components:
  schemas:
    User:
      type: object
      required: [id, email]
      properties: { id: { type: integer }, email: { type: string } }
`;

/** The same API with a contract Prism's answers break: ids are strings here. */
const STRICT = DESCRIPTION.replace("properties: { id: { type: integer }, email: { type: string } }", "properties: { id: { type: string }, email: { type: string } }");

const STEPS = `steps:
  - name: Sign up
    request:
      method: POST
      path: /users
      json: { user: { email: ada@example.test } }
    expect: { status: 201 }
  - name: Read the user
    request: GET /users/7
    expect: { status: 200 }
`;

let prism: Prism;
let dir: string;
before(async () => {
  dir = tempDir('prism-');
  writeFileSync(join(dir, 'users.openapi.yaml'), DESCRIPTION);
  writeFileSync(join(dir, 'strict.openapi.yaml'), STRICT);
  const started = Date.now();
  prism = await startPrism(join(dir, 'users.openapi.yaml'));
  assert.ok(Date.now() - started < 30_000);
});
after(() => prism?.close());

const notebook = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

async function run(file: string, ...more: string[]) {
  const out = tempDir('prism-out-');
  const r = await runCli(['run', file, '--base-url', prism.url, '--out', out, ...more], { cwd: dir });
  return { ...r, out, report: readJson(join(out, 'report.json')) };
}

const openapiChecks = (report: any) => report.notebooks[0].steps.map((s: any) => s.checks.find((c: any) => c.kind === 'openapi'));

describe('a description served at the root by Prism, the run given --base-url', () => {
  it('every step matches its operation through the base URL (the servers say /api) and passes its openapi check', async () => {
    const r = await run(notebook('users.yaml', `title: Users\nopenapi: users.openapi.yaml\n${STEPS}`));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const checks = openapiChecks(r.report);
    assert.deepEqual(checks.map((c: any) => [c.operation, c.passed]), [['POST /users', true], ['GET /users/{id}', true]]);
    assert.equal(r.report.coverage.percent, 100);
  });

  it('the same answers against a description they break fail the openapi check (the checker is not a no-op)', async () => {
    const r = await run(notebook('strict.yaml', `title: Strict\nopenapi: strict.openapi.yaml\n${STEPS.replace('expect: { status: 201 }', 'expect: { status: 201 }\n    continueOnFailure: true')}`));
    assert.equal(r.code, 1);
    const checks = openapiChecks(r.report);
    assert.deepEqual(checks.map((c: any) => [c.operation, c.passed]), [['POST /users', false], ['GET /users/{id}', false]]);
    assert.match(checks[0].message, /^body\.id must be string/);
  });

  it('a request path the description lacks says what was tried', async () => {
    const r = await run(notebook('missing.yaml', `title: Missing\nopenapi: users.openapi.yaml\nsteps:\n  - name: Status\n    request: GET /status\n    expect: { status: 404 }\n`));
    assert.equal(r.code, 1);
    const [check] = openapiChecks(r.report);
    assert.equal(check.passed, false);
    assert.match(check.message, /has no operation for GET \/status \(server base paths: \/api\); tried \/status \(relative to the base URL's path \/\)/);
    assert.deepEqual(check.details.tried.slice(0, 1), ["/status (relative to the base URL's path /)"]);
  });
});

describe('waivers', () => {
  it('`openapi: false` waives its own step only: the step next to it is still checked', async () => {
    const text = `title: Waived step\nopenapi: strict.openapi.yaml\n${STEPS.replace('expect: { status: 201 }', 'expect: { status: 201 }\n    openapi: false')}`;
    const r = await run(notebook('waived-step.yaml', text));
    assert.equal(r.code, 1, 'the second step still fails its contract');
    const [first, second] = r.report.notebooks[0].steps;
    assert.equal(first.status, 'passed');
    assert.equal(first.checks.some((c: any) => c.kind === 'openapi'), false);
    assert.equal(second.status, 'failed');
    assert.equal(second.checks.find((c: any) => c.kind === 'openapi').passed, false);
    // A waived step is outside the contract: it does not count as exercising its operation.
    assert.deepEqual(r.report.coverage.operations.map((o: any) => o.exercised), [false, true]);
  });

  it('`ignore:` waives the operations, paths and statuses it names, and nothing else', async () => {
    const text = `title: Ignored
openapi:
  file: strict.openapi.yaml
  ignore: ["POST /users", "GET /status", "4XX"]
steps:
  - name: Sign up (its operation is ignored)
    request: { method: POST, path: /users, json: { user: { email: ada@example.test } } }
    expect: { status: 201 }
  - name: Undocumented status page (its path is ignored)
    request: GET /status
    expect: { status: 404 }
  - name: An invalid sign-up (Prism says 422, and 4XX is ignored)
    request: { method: POST, path: /users, json: { user: {} } }
    expect: { status: 422 }
  - name: Read the user (not ignored)
    request: GET /users/7
    expect: { status: 200 }
`;
    const r = await run(notebook('ignored.yaml', text));
    assert.equal(r.code, 1, r.stdout);
    const steps = r.report.notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => s.status), ['passed', 'passed', 'passed', 'failed']);
    assert.deepEqual(steps.map((s: any) => s.checks.filter((c: any) => c.kind === 'openapi').length), [0, 0, 0, 1]);
    assert.match(steps[3].checks.find((c: any) => c.kind === 'openapi').message, /body\.id must be string/);
  });

  it('--openapi replaces the file, not the notebook\'s ignore', async () => {
    const r = await run('ignored.yaml', '--openapi', 'strict.openapi.yaml');
    assert.deepEqual(r.report.notebooks[0].steps.map((s: any) => s.status), ['passed', 'passed', 'passed', 'failed']);
  });

  it('an ignore entry that means nothing is an error where it is written', async () => {
    const r = await runCli(['validate', notebook('bad-ignore.yaml', `title: Bad\nopenapi:\n  file: users.openapi.yaml\n  ignore: [GETT /users, "4XX"]\nsteps:\n  - name: x\n    request: GET /users/1\n`)], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /openapi\.ignore: `GETT` is not an HTTP method/);
    assert.match(r.stderr, /bad-ignore\.yaml:4:12/);
  });
});

describe('--openapi-mode warn', () => {
  it('contract failures are warnings in the console, report.json, JUnit system-out and HTML; the run passes', async () => {
    const r = await run(notebook('warn.yaml', `title: Adopting\nopenapi: strict.openapi.yaml\n${STEPS}`), '--openapi-mode', 'warn');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /warning: openapi POST \/users: body\.id must be string/);
    const steps = r.report.notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => s.status), ['passed', 'passed']);
    assert.equal(steps[0].contractWarnings[0].kind, 'openapi');
    assert.equal(steps[0].contractWarnings[0].passed, false);
    assert.ok(steps[0].contractWarnings[0].details.errors.length > 0);
    assert.match(steps[0].warnings[0], /^openapi POST \/users: body\.id must be string/);
    const junit = readFileSync(join(r.out, 'junit.xml'), 'utf8');
    assert.match(junit, /<system-out>[^<]*warning: Sign up: openapi POST \/users: body\.id must be string/);
    assert.doesNotMatch(junit, /<failure/);
    assert.match(readFileSync(join(r.out, 'report.html'), 'utf8'), /Warning: openapi GET \/users\/\{id\}: body\.id must be string/);
  });

  it('fail (the default) and an unknown mode', async () => {
    const r = await run('warn.yaml', '--openapi-mode', 'fail');
    assert.equal(r.code, 1);
    const bad = await runCli(['run', 'warn.yaml', '--openapi-mode', 'lenient'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--openapi-mode is fail or warn, got `lenient`/);
  });
});

/**
 * The acceptance of issue 20: RealWorld's own Conduit collection (vendored, test/fixtures/import),
 * imported as a user would and run with `--openapi` RealWorld's own description against Prism
 * serving that description at the root (its servers say /api). Prism answers with the
 * description's static examples, so the collection's own assertions about a live server (dates,
 * the user it registered) fail there; each step goes on after a failure so every request is
 * sent, and what is under test is the contract: every response passes its openapi check.
 */
describe('RealWorld Conduit: the vendored collection against Prism serving RealWorld\'s description', () => {
  const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
  let conduit: Prism;
  let cdir: string;
  before(async () => {
    cdir = tempDir('conduit-');
    writeFileSync(join(cdir, 'realworld-openapi.yml'), readFileSync(join(FIXTURES, 'realworld-openapi.yml')));
    conduit = await startPrism(join(cdir, 'realworld-openapi.yml'));
  });
  after(() => conduit?.close());

  it('every step of the imported collection passes its openapi check; coverage above 50%', async () => {
    const imported = await runCli(['import', join(FIXTURES, 'Conduit.postman_collection.json'), '--env', join(FIXTURES, 'conduit.postman_environment.json'), '--out', join(cdir, 'conduit.yaml')]);
    assert.equal(imported.code, 0, imported.stderr);
    const doc = parseDocument(readFileSync(join(cdir, 'conduit.yaml'), 'utf8'));
    for (const step of (doc.get('steps') as YAMLSeq<YAMLMap>).items) step.set('continueOnFailure', true);
    writeFileSync(join(cdir, 'conduit.yaml'), String(doc));
    const out = tempDir('conduit-out-');
    const r = await runCli(['run', 'conduit.yaml', '--base-url', conduit.url, '--openapi', 'realworld-openapi.yml', '--out', out], { cwd: cdir, env: { PASSWORD: 'conduit-password' } });
    const report = readJson(join(out, 'report.json'));
    const steps = report.notebooks[0].steps;
    assert.equal(steps.length, 32);
    assert.deepEqual(steps.filter((s: any) => !s.response).map((s: any) => s.name), [], 'every request was sent and answered');
    const broken = steps.filter((s: any) => !s.checks.find((c: any) => c.kind === 'openapi')?.passed);
    assert.deepEqual(broken.map((s: any) => s.name), [], 'every response passes its openapi check');
    assert.ok(report.coverage.percent > 50, `operation coverage ${report.coverage.percent}%`);
    assert.equal(report.coverage.percent, 100);
    assert.ok(report.coverage.responses.seen >= 19, 'at least one documented response of each operation');
    assert.match(r.stdout, /OpenAPI coverage of realworld-openapi\.yml: 19 of 19 operations \(100%\), \d+ of \d+ documented responses/);
  });
});
