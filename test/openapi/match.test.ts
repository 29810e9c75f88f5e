/**
 * The matching rules of the openapi check, on a description written for them: server variables
 * and several base paths, servers on a path, status precedence (exact, range, default), media type
 * precedence and parameters, and one compiled validator per response schema for the whole run.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { checkOpenApi } from '../../src/checks/openapi.js';
import { checkRequest } from '../../src/openapi/request-check.js';
import type { Description } from '../../src/openapi/description.js';
import { child } from '../../src/openapi/resolve.js';
import { DescriptionError, loadDescription } from '../../src/openapi/load.js';
import { tempDir } from '../helpers/cli.js';

const SPAN = { file: 'nb.yaml', line: 3, col: 5, length: 7 };
const obj = (required: string[]) => ({ type: 'object', required });
const SPEC = {
  openapi: '3.1.0',
  info: { title: 'rules', version: '1' },
  servers: [{ url: 'https://{region}.example.test/{base}', variables: { region: { default: 'eu' }, base: { default: 'api/v2' } } }, { url: '/legacy' }],
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: { description: 'exact', content: { 'application/json': { schema: obj(['exact']) } } },
          '2XX': { description: 'range', content: { 'application/*': { schema: obj(['range']) } } },
          default: { description: 'other', content: { '*/*': { schema: obj(['other']) } } },
        },
      },
    },
    '/health': {
      servers: [{ url: 'http://ops.example.test/internal' }],
      get: { responses: { 200: { description: 'ok', content: { 'text/plain': { schema: { type: 'string', pattern: '^ok$' } } } } } },
    },
  },
};

let d: Description;
before(async () => {
  const dir = tempDir('openapi-rules-');
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(SPEC));
  d = await loadDescription(join(dir, 'rules.json'));
});

const check = (method: string, path: string, status: number, type: string, body: unknown) =>
  checkOpenApi(d, { method, url: `http://127.0.0.1:9${path}`, status, headers: { 'content-type': type }, body }, SPAN);

describe('matching a request to an operation', () => {
  it('server variables take their defaults; every server\'s base path works; a path\'s servers replace the top level', () => {
    assert.equal(check('GET', '/api/v2/things/1', 200, 'application/json', { exact: 1 }).operation, 'GET /things/{id}');
    assert.equal(check('GET', '/legacy/things/1', 200, 'application/json', { exact: 1 }).operation, 'GET /things/{id}');
    assert.equal(check('GET', '/internal/health', 200, 'text/plain', 'ok').passed, true);
    assert.match(check('GET', '/api/v2/health', 200, 'text/plain', 'ok').message!, /has no operation for GET \/api\/v2\/health/);
    assert.match(check('GET', '/things/1', 200, 'application/json', {}).message!, /server base paths: \/api\/v2, \/legacy/);
  });

  it('the base URL\'s path comes first: a staging host under another prefix, a mock at the root', () => {
    const at = (base: string, path: string) => d.match('GET', `http://127.0.0.1:9${path}`, { baseUrl: `http://127.0.0.1:9${base}` });
    const staged = at('/staging', '/staging/things/1');
    assert.equal(staged.kind === 'operation' && staged.operation.label, 'GET /things/{id}');
    assert.equal(staged.kind === 'operation' && staged.relative, '/things/1');
    assert.equal(at('', '/things/1').kind, 'operation', 'a mock at the root');
    assert.equal(at('', '/api/v2/things/1').kind, 'operation', 'the servers are still tried after the base URL');
    const none = at('/staging', '/staging/nothing');
    assert.deepEqual(none.kind === 'unknown-path' && none.tried, ["/nothing (relative to the base URL's path /staging)", 'a last path parameter spanning segments']);
  });

  it('path parameters come back decoded; an escaped slash stays inside its segment', () => {
    const m = d.match('GET', 'http://127.0.0.1:9/api/v2/things/a%2Fb%20c');
    assert.ok(m.kind === 'operation');
    assert.deepEqual(m.params, { id: 'a/b c' });
    const bad = d.match('GET', 'http://127.0.0.1:9/api/v2/things/%E0%A4%A');
    assert.deepEqual(bad.kind === 'operation' && bad.params, { id: '%E0%A4%A' }, 'a malformed escape stays as sent');
  });

  it('status: exact, then the range, then default', () => {
    assert.equal(check('GET', '/api/v2/things/1', 200, 'application/json', { exact: 1 }).expected, '200 application/json');
    assert.equal(check('GET', '/api/v2/things/1', 201, 'application/json', { range: 1 }).expected, '2XX application/*');
    assert.equal(check('GET', '/api/v2/things/1', 503, 'text/html', { other: 1 }).expected, 'default */*');
    assert.equal(check('GET', '/api/v2/things/1', 201, 'application/json', { exact: 1 }).passed, false, 'a 201 is held to the 2XX schema');
  });

  it('media type: parameters ignored, exact before type/* before */*', () => {
    assert.equal(check('GET', '/api/v2/things/1', 200, 'application/json; charset=utf-8', { exact: 1 }).passed, true);
    assert.equal(check('GET', '/api/v2/things/1', 202, 'application/problem+json', { range: 1 }).passed, true);
    const html = check('GET', '/api/v2/things/1', 200, 'text/html', '<p>');
    assert.equal(html.passed, false);
    assert.equal(html.message, 'content type text/html is not documented for 200 of GET /things/{id} (documented: application/json)');
    assert.equal(check('GET', '/internal/health', 200, 'text/plain', 'not ok').passed, false, 'a text body is validated as a string');
  });

  it('each response schema is compiled once, then reused', () => {
    const op = d.operations.find((o) => o.label === 'GET /things/{id}')!;
    const response = op.responses.get('200')!;
    const first = d.validator(child(response, 'content', 'application/json', 'schema'));
    const again = d.validator(child(response, 'content', 'application/json', 'schema'));
    assert.equal(typeof first, 'function');
    assert.equal(first, again);
  });

  it('what is not OpenAPI 3.0/3.1 or Swagger 2.0 is refused with a reason', async () => {
    const dir = tempDir('openapi-rules-');
    writeFileSync(join(dir, 'swagger.json'), JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }));
    writeFileSync(join(dir, 'list.yaml'), '- not\n- a\n- document\n');
    writeFileSync(join(dir, 'bad.yaml'), 'openapi: 3.0.3\ninfo: [\n');
    // Swagger 2.0 is converted, not refused (test/openapi/swagger2.e2e.test.ts); another Swagger version is.
    assert.equal((await loadDescription(join(dir, 'swagger.json'))).version, '3.0');
    writeFileSync(join(dir, 'swagger12.json'), JSON.stringify({ swagger: '1.2', info: { title: 'x', version: '1' }, paths: {} }));
    await assert.rejects(loadDescription(join(dir, 'swagger12.json')), /has `swagger: 1\.2`; of Swagger, only 2\.0 is read/);
    await assert.rejects(loadDescription(join(dir, 'list.yaml')), /is not an OpenAPI description/);
    await assert.rejects(loadDescription(join(dir, 'bad.yaml')), (e: DescriptionError) => e instanceof DescriptionError && /cannot be used/.test(e.message));
  });
});

describe('path parameters against their schemas', () => {
  let items: Description;
  before(async () => {
    const dir = tempDir('openapi-params-');
    writeFileSync(join(dir, 'items.json'), JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'items', version: '1' },
      paths: {
        '/items/{key}': {
          parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+/[a-z]+$' } }],
          get: { responses: { 200: { description: 'ok' } } },
        },
        '/pages/{n}': {
          get: { parameters: [{ name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }], responses: { 200: { description: 'ok' } } },
        },
      },
    }));
    items = await loadDescription(join(dir, 'items.json'));
  });
  // Path parameters are part of the request check (before sending), kind openapi-request.
  const get = (path: string) => checkRequest(items, { method: 'GET', url: `http://127.0.0.1:9${path}`, headers: {} }, SPAN, {})!;

  it('are decoded before their schema check: /items/a%2Fb is key "a/b"', () => {
    assert.equal(get('/items/a%2Fb').passed, true);
    const raw = get('/items/ab');
    assert.equal(raw.passed, false);
    assert.equal(raw.kind, 'openapi-request');
    assert.match(raw.message!, /^path parameter key \("ab", decoded\) must match pattern/);
  });

  it('are read as the type their schema says, and a wrong one fails', () => {
    assert.equal(get('/pages/3').passed, true);
    assert.match(get('/pages/three').message!, /^path parameter n \("three", decoded\) must be integer/);
    assert.match(get('/pages/0').message!, /^path parameter n \("0", decoded\) must be >= 1/);
  });
});
