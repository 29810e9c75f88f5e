/**
 * Requests checked against the description before they are sent (kind `openapi-request`), through
 * the real bin against a real server that counts requests: a wrong body, a readOnly property sent,
 * a wrong query type and a missing required header each fail at the step's request line and send
 * nothing; a writeOnly property returned and a wrong or missing response header fail the response's
 * `openapi` check; the right ones pass. Then the waivers: `openapi: false`, `ignore:` and
 * `--openapi-mode warn` let exactly what they name through (and it is sent).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { json, startTestServer, type TestServer } from '../helpers/server.js';

const DESCRIPTION = `openapi: 3.0.3
info: { title: Accounts, version: '1' }
paths:
  /accounts:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Account' }
          application/x-www-form-urlencoded:
            schema: { $ref: '#/components/schemas/Account' }
      responses:
        '201':
          description: the new account
          headers:
            X-Request-Id: { required: true, schema: { type: string, pattern: '^req_' } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Account' }
    get:
      parameters:
        - { name: limit, in: query, schema: { type: integer, maximum: 100 } }
        - { name: ids, in: query, style: form, explode: false, schema: { type: array, items: { type: integer } } }
        - { name: X-Tenant, in: header, required: true, schema: { type: string } }
      responses:
        '200':
          description: the accounts
          headers:
            X-Rate-Limit: { schema: { type: integer } }
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Account' } }
  /accounts/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: an account
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Account' }
components:
  schemas:
    Account:
      type: object
      required: [id, email, password]
      properties:
        id: { type: string, readOnly: true }
        email: { type: string, format: email }
        password: { type: string, writeOnly: true }
        age: { type: integer }
`;

const ACCOUNT = { id: 'acc_1', email: 'ada@example.test' };

let server: TestServer;
let dir: string;
before(async () => {
  dir = tempDir('request-checks-');
  writeFileSync(join(dir, 'accounts.openapi.yaml'), DESCRIPTION);
  server = await startTestServer();
  server.route('POST', '/accounts', (_req, res) => json(res, 201, ACCOUNT, { 'x-request-id': 'req_1' }));
  server.route('GET', '/accounts', (_req, res) => json(res, 200, [ACCOUNT], { 'x-rate-limit': '100' }));
  server.route('GET', '/accounts/acc_1', (_req, res) => json(res, 200, ACCOUNT));
  server.route('GET', '/accounts/leaky', (_req, res) => json(res, 200, { ...ACCOUNT, password: 'hunter22' }));
});
after(() => server.close());

/** Runs a notebook (written into the temp folder) and returns its steps from report.json, and how many requests reached the server. */
async function run(name: string, steps: string, head = 'openapi: accounts.openapi.yaml', ...args: string[]) {
  // Each step runs whatever the one before it did: a failed step would skip the rest.
  writeFileSync(join(dir, name), `title: ${name}\n${head}\nsteps:\n${steps.replace(/^(  - name: .*)$/gm, '$1\n    continueOnFailure: true')}`);
  const out = tempDir();
  const before = server.requests.length;
  const r = await runCli(['run', name, '--base-url', server.url, '--out', out, ...args], { cwd: dir });
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  const steps_ = readJson(join(out, 'report.json')).notebooks[0].steps as any[];
  return { ...r, steps: steps_, sent: server.requests.length - before };
}

const requestCheck = (step: any) => step.checks.find((c: any) => c.kind === 'openapi-request');
const responseCheck = (step: any) => step.checks.find((c: any) => c.kind === 'openapi');

describe('request checks before sending (kind openapi-request)', () => {
  it('the right requests pass their request and response checks, JSON and form bodies alike', async () => {
    const r = await run('right.yaml', `  - name: Sign up
    request:
      method: POST
      path: /accounts
      json: { email: ada@example.test, password: s3cret-pass }
    expect: { status: 201 }
  - name: Sign up with a form
    request:
      method: POST
      path: /accounts
      form: { email: ada@example.test, password: s3cret-pass, age: 36 }
    expect: { status: 201 }
  - name: List
    request:
      method: GET
      path: /accounts
      query: { limit: 10, ids: '1,2,3' }
      headers: { X-Tenant: acme }
  - name: Read
    request: GET /accounts/acc_1
`);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.sent, 4);
    assert.deepEqual(r.steps.map((s) => [requestCheck(s)?.passed, responseCheck(s)?.passed]), [[true, true], [true, true], [true, true], [true, true]]);
    assert.equal(r.steps[0].checks[0].kind, 'openapi-request', 'the request check is the step\'s first');
  });

  it('a body missing a required field fails at the request line, with ajv\'s errors, and nothing is sent', async () => {
    const r = await run('missing.yaml', `  - name: Sign up without an email
    request:
      method: POST
      path: /accounts
      json: { password: s3cret-pass }
    expect: { status: 201 }
`);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.sent, 0, 'nothing reached the server');
    const c = requestCheck(r.steps[0]);
    assert.equal(c.passed, false);
    assert.match(c.message, /^request body must have required property 'email' \(the application\/json request body schema of POST \/accounts\) — the request was not sent$/);
    assert.equal(c.details.errors[0].keyword, 'required');
    assert.deepEqual([c.span.line, c.span.col], [7, 7], 'the request, under its step');
    assert.equal(r.steps[0].response, undefined);
    assert.match(r.stdout, /missing\.yaml:7:7/);
  });

  it('a readOnly property sent is refused; a wrong type in a form field too (form fields are read as the schema\'s types)', async () => {
    const r = await run('read-only.yaml', `  - name: Sign up choosing an id
    request:
      method: POST
      path: /accounts
      json: { id: acc_mine, email: ada@example.test, password: s3cret-pass }
    expect: { status: 201 }
  - name: Sign up with a wrong age
    request:
      method: POST
      path: /accounts
      form: { email: ada@example.test, password: s3cret-pass, age: old }
    expect: { status: 201 }
`);
    assert.equal(r.sent, 0);
    assert.match(requestCheck(r.steps[0]).message, /^request body\.id is readOnly: the description says a request must not send it/);
    assert.match(requestCheck(r.steps[1]).message, /^request body\.age must be integer/);
  });

  it('a wrong query type, a list item of a wrong type (style form, explode false) and a missing required header each fail; nothing is sent', async () => {
    const r = await run('params.yaml', `  - name: Wrong limit
    request:
      method: GET
      path: /accounts
      query: { limit: ten }
      headers: { X-Tenant: acme }
  - name: Wrong id in the list
    request:
      method: GET
      path: /accounts?ids=1,two
      headers: { X-Tenant: acme }
  - name: No tenant
    request: GET /accounts?limit=5
`);
    assert.equal(r.code, 1);
    assert.equal(r.sent, 0);
    const [limit, ids, tenant] = r.steps.map(requestCheck);
    assert.match(limit.message, /^query parameter limit \("ten"\) must be integer \(the schema of GET \/accounts's query parameter limit\)/);
    assert.match(ids.message, /^query parameter ids \(\["1","two"\]\) at 1 must be integer/);
    assert.match(tenant.message, /^GET \/accounts requires the header X-Tenant; the request has none/);
    assert.match(r.stdout, /query\.limit must be integer/, 'the console lists ajv\'s errors by what they are about');
  });

  it('a writeOnly property returned, a missing required response header and a wrong one fail the response check', async () => {
    server.route('GET', '/accounts', (_req, res) => json(res, 200, [ACCOUNT], { 'x-rate-limit': 'lots' }));
    try {
      const r = await run('responses.yaml', `  - name: Read a leaky account
    request: GET /accounts/leaky
  - name: List, a rate limit that is not a number
    request:
      method: GET
      path: /accounts
      headers: { X-Tenant: acme }
`);
      assert.equal(r.code, 1);
      assert.equal(r.sent, 2);
      assert.equal(requestCheck(r.steps[0]).passed, true);
      assert.match(responseCheck(r.steps[0]).message, /^body\.password is writeOnly: the description says a response must not return it/);
      assert.match(responseCheck(r.steps[1]).message, /^response header X-Rate-Limit \("lots"\) must be integer \(the schema of the 200 of GET \/accounts header X-Rate-Limit\)/);
    } finally {
      server.route('GET', '/accounts', (_req, res) => json(res, 200, [ACCOUNT], { 'x-rate-limit': '100' }));
    }
    // The required header: POST /accounts answered without X-Request-Id.
    server.route('POST', '/accounts', (_req, res) => json(res, 201, ACCOUNT));
    try {
      const r = await run('no-header.yaml', `  - name: Sign up
    request:
      method: POST
      path: /accounts
      json: { email: ada@example.test, password: s3cret-pass }
`);
      assert.equal(r.sent, 1);
      assert.match(responseCheck(r.steps[0]).message, /^the 201 of POST \/accounts response has no X-Request-Id header, which the description requires/);
    } finally {
      server.route('POST', '/accounts', (_req, res) => json(res, 201, ACCOUNT, { 'x-request-id': 'req_1' }));
    }
  });

  it('openapi: false, ignore: and a step expecting a 4xx waive exactly what they name (and the request is sent); warn mode sends it with a warning', async () => {
    const wrong = (name: string, more = '') => `  - name: ${name}
    request:
      method: POST
      path: /accounts
      json: { password: s3cret-pass }
${more}`;
    const waived = await run('waived.yaml', wrong('Off for this step', '    openapi: false\n') + wrong('Meant to be wrong', '    expect: { status: 422 }\n') + wrong('Checked'));
    assert.equal(waived.sent, 2, 'the two waived steps were sent, the checked one was not');
    assert.deepEqual(waived.steps.map((s) => requestCheck(s)?.passed), [undefined, undefined, false]);

    const ignored = await run('ignored.yaml', wrong('Ignored path') + `  - name: Not ignored
    request: GET /accounts?limit=many
`, 'openapi:\n  file: accounts.openapi.yaml\n  ignore: ["POST /accounts", "4XX"]');
    assert.equal(ignored.sent, 1, 'the ignored operation was sent; a 4XX entry waives responses, not requests');
    assert.deepEqual(ignored.steps.map((s) => requestCheck(s)?.passed), [undefined, false]);

    const warned = await run('warned.yaml', wrong('Adopting'), 'openapi: accounts.openapi.yaml', '--openapi-mode', 'warn');
    assert.equal(warned.code, 0, warned.stdout);
    assert.equal(warned.sent, 1, 'in warn mode the request is sent');
    assert.match(warned.steps[0].warnings.join('\n'), /openapi request POST \/accounts: request body must have required property 'email'/);
  });
});
