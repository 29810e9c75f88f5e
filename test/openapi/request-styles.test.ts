/**
 * Parameters read as their `style`/`explode` say before their schemas judge them (OpenAPI 3
 * "Style Values"): for each style the right value passes and a wrong item fails, naming the
 * parameter; cookies and `content` (JSON) parameters too; header names are compared without case.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Description } from '../../src/openapi/description.js';
import { loadDescription } from '../../src/openapi/load.js';
import { checkRequest } from '../../src/openapi/request-check.js';
import { tempDir } from '../helpers/cli.js';

const SPAN = { file: 'nb.yaml', line: 1, col: 1, length: 1 };
const ints = { type: 'array', items: { type: 'integer' } };
const point = { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'integer' } } };
const ok = { 200: { description: 'ok' } };

let d: Description;
before(async () => {
  const dir = tempDir('request-styles-');
  writeFileSync(join(dir, 'styles.json'), JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'styles', version: '1' },
    paths: {
      '/label/{ids}': { get: { parameters: [{ name: 'ids', in: 'path', required: true, style: 'label', explode: true, schema: ints }], responses: ok } },
      '/matrix/{ids}': { get: { parameters: [{ name: 'ids', in: 'path', required: true, style: 'matrix', schema: ints }], responses: ok } },
      '/simple/{p}': { get: { parameters: [{ name: 'p', in: 'path', required: true, explode: true, schema: point }], responses: ok } },
      '/query': {
        get: {
          parameters: [
            { name: 'pipes', in: 'query', style: 'pipeDelimited', explode: false, schema: ints },
            { name: 'spaces', in: 'query', style: 'spaceDelimited', explode: false, schema: ints },
            { name: 'many', in: 'query', schema: ints },
            { name: 'deep', in: 'query', style: 'deepObject', explode: true, schema: point },
            { name: 'filter', in: 'query', content: { 'application/json': { schema: point } } },
            { name: 'session', in: 'cookie', required: true, schema: { type: 'string', pattern: '^s_' } },
            { name: 'X-Page', in: 'header', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: ok,
        },
      },
    },
  }));
  d = await loadDescription(join(dir, 'styles.json'));
});

const check = (path: string, headers: Record<string, string> = { cookie: 'session=s_1' }) => checkRequest(d, { method: 'GET', url: `http://127.0.0.1:9${path}`, headers }, SPAN, {})!;
const passes = (path: string, headers?: Record<string, string>) => assert.equal(check(path, headers).passed, true, check(path, headers).message);
const fails = (path: string, message: RegExp, headers?: Record<string, string>) => {
  const c = check(path, headers);
  assert.equal(c.passed, false, path);
  assert.equal(c.kind, 'openapi-request');
  assert.match(c.message!, message);
};

describe('parameter styles', () => {
  it('label and matrix path parameters, and an exploded simple object', () => {
    passes('/label/.3.4');
    fails('/label/.3.x', /^path parameter ids \("\.3\.x", decoded\) at 1 must be integer/);
    fails('/label/3', /^path parameter ids a label-style value starts with "\."/);
    passes('/matrix/;ids=3,4');
    fails('/matrix/;ids=3,x', /at 1 must be integer/);
    passes('/simple/x=1,y=2');
    fails('/simple/x=1,y=two', /at y must be integer/);
  });

  it('pipe- and space-delimited, exploded form lists (also written with []), deepObject and a JSON parameter', () => {
    passes('/query?pipes=1|2&spaces=1%202&many=1&many=2&deep[x]=1&filter=%7B%22x%22%3A1%7D');
    fails('/query?pipes=1|b', /^query parameter pipes \(\["1","b"\]\) at 1 must be integer/);
    fails('/query?spaces=1%20b', /^query parameter spaces .* at 1 must be integer/);
    passes('/query?many[]=1&many[]=2');
    fails('/query?many[]=1&many[]=z', /^query parameter many .* at 1 must be integer/);
    fails('/query?deep[x]=one', /^query parameter deep \(\{"x":"one"\}\) at x must be integer/);
    fails('/query?filter=%7B%22x%22%3A%22a%22%7D', /^query parameter filter .* at x must be integer/);
    fails('/query?filter=nope', /^query parameter filter is not JSON/);
  });

  it('a required cookie (from the Cookie header or the jar) and a header named in any case', () => {
    fails('/query', /^GET \/query requires the cookie parameter session; the request has none/, {});
    fails('/query', /^cookie parameter session \("x_1"\) must match pattern/, { cookie: 'session=x_1' });
    assert.equal(checkRequest(d, { method: 'GET', url: 'http://127.0.0.1:9/query', headers: {}, jarCookies: 'a=b; session=s_2' }, SPAN, {})!.passed, true);
    passes('/query', { cookie: 'session=s_1', 'x-page': '2' });
    fails('/query', /^header X-Page \("0"\) must be >= 1/, { cookie: 'session=s_1', 'x-page': '0' });
  });
});
