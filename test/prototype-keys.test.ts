/**
 * Keys that come from input are data, never prototype keys, through the real bin: the
 * importers (a Postman check on `json.__proto__.x`, a MuleSoft form key `__proto__[x]`, an
 * OpenAPI property named `__proto__`) once wrote to Object.prototype and died with exit 70;
 * a notebook's own `__proto__` keys are sent as written; the Stripe mock's
 * `expand[]=constructor.prototype` is a 400, not a 500.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('POST', '/things', (_q, res) => json(res, 200, { id: 't_1', ok: true }));
  server.route('POST', '/tokens', (_q, res) => json(res, 200, { id: 'tok_1' }));
});
after(() => server.close());

/** Imports `name` (written with `text`), checks exit 0 and that validate takes the notebook. */
async function imported(name: string, text: string): Promise<{ notebook: any; text: string; stdout: string; file: string }> {
  const dir = tempDir('api-notebook-proto-');
  const source = join(dir, name);
  writeFileSync(source, text);
  const file = join(dir, 'imported.yaml');
  const res = await runCli(['import', source, '--out', file]);
  assert.equal(res.code, 0, res.stderr + res.stdout);
  assert.doesNotMatch(res.stderr, /internal error|unknown key `polluted`/);
  const validated = await runCli(['validate', file]);
  assert.equal(validated.code, 0, validated.stderr);
  const out = readFileSync(file, 'utf8');
  return { notebook: parse(out), text: out, stdout: res.stdout, file };
}

describe('import: prototype keys in the imported file', () => {
  it('a Postman test reading json.__proto__.x or json.constructor.prototype is kept untranslated, with a warning; nothing is polluted', async () => {
    const collection = {
      info: { name: 'Hostile', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      variable: [{ key: '__proto__', value: 'v' }],
      item: [{
        name: 'Create',
        request: {
          method: 'POST',
          url: `${server.url}/things?__proto__=1&constructor=2`,
          header: [{ key: '__proto__', value: 'h' }],
          body: { mode: 'raw', raw: '{"__proto__": {"polluted": 1}, "name": "{{__proto__}}"}' },
        },
        event: [{ listen: 'test', script: { exec: [
          'var json = pm.response.json();',
          'pm.expect(json.__proto__.polluted).to.eql(1);',
          'pm.expect(json.constructor.prototype.y).to.eql(2);',
          "pm.environment.set('constructor', json.id);",
          'pm.expect(json.ok).to.eql(true);',
        ] } }],
      }],
    };
    const { notebook, stdout } = await imported('hostile.postman_collection.json', JSON.stringify(collection));
    assert.match(stdout, /warning: Create: the property `__proto__` cannot be read in a notebook expression/);
    assert.match(stdout, /warning: Create: the property `constructor` cannot be read in a notebook expression/);
    const step = notebook.steps[0];
    // The data keys are kept as written: the API may well be tested with them.
    assert.deepEqual(Object.keys(step.request.query), ['__proto__', 'constructor']);
    assert.equal(step.request.headers.__proto__, 'h');
    assert.deepEqual(JSON.parse(JSON.stringify(step.request.json)), JSON.parse('{"__proto__": {"polluted": 1}, "name": "${protoValue}"}'));
    assert.deepEqual(notebook.vars, { protoValue: 'v' });
    assert.deepEqual(step.capture, { constructorValue: 'body.id' });
    assert.deepEqual(step.expect.body, { ok: true });
  });

  it('a MuleSoft form key __proto__[x] (or toString[x]) stays flat, validates and is sent as written', async () => {
    const md = [
      '---', 'site: https://anypoint.mulesoft.com/x', 'apiNotebookVersion: 1.1.66', 'title: Hostile', '---', '',
      '```javascript', "API.createClient('client', 'https://api.example.test/raml');", '```', '',
      '```javascript', 'r = client.tokens.post({', '  "__proto__[polluted]": 8,', '  "toString[x]": 1,', '  "card[number]": 4242', '})', '```', '',
    ].join('\n');
    const { notebook, file } = await imported('hostile.md', md);
    const form = notebook.steps[0].request.form;
    assert.deepEqual(JSON.parse(JSON.stringify(form)), { '__proto__[polluted]': 8, toString: { x: 1 }, card: { number: 4242 } });
    const run = await runCli(['run', file, '--base-url', server.url, '--out', tempDir(), '--reporter', 'json']);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const sent = server.requests.filter((r) => r.url === '/tokens').at(-1)!;
    assert.match(decodeURIComponent(sent.body), /__proto__\[polluted\]=8/);
  });

  it('an OpenAPI required property named __proto__ is part of the sample body', async () => {
    const spec = `openapi: 3.0.3
info: { title: Proto, version: "1" }
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [__proto__, name]
              properties: { __proto__: { type: string }, name: { type: string } }
      responses: { "200": { description: ok } }
`;
    const { notebook } = await imported('proto.yaml', spec);
    assert.deepEqual(Object.keys(notebook.steps[0].request.json), ['__proto__', 'name']);
  });
});

describe('a notebook\'s own prototype keys', () => {
  it('are sent as written, in a JSON body, a query and a form', async () => {
    const dir = tempDir('api-notebook-proto-');
    const file = join(dir, 'nb.yaml');
    writeFileSync(file, `title: own keys
baseUrl: ${server.url}
steps:
  - name: json and query
    request:
      method: POST
      path: /things
      query: { __proto__: "1", constructor: "2" }
      json: { __proto__: { polluted: 1 }, constructor: c }
    assert:
      - body.polluted == null
  - name: form
    request:
      method: POST
      path: /tokens
      form: { __proto__: p, "c[__proto__][q]": 2 }
`);
    const out = tempDir();
    const res = await runCli(['run', file, '--out', out, '--reporter', 'json']);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.equal(readJson(join(out, 'report.json')).summary.passed, 2);
    const [first, second] = server.requests.slice(-2);
    assert.equal(first!.url, '/things?__proto__=1&constructor=2');
    assert.equal(first!.body, '{"__proto__":{"polluted":1},"constructor":"c"}');
    assert.equal(decodeURIComponent(second!.body), '__proto__=p&c[__proto__][q]=2');
  });
});

describe('the Stripe mock', () => {
  it('expand[] of a prototype key is a 400 naming the path, not a 500', async () => {
    const dir = tempDir('api-notebook-proto-');
    const file = join(dir, 'nb.yaml');
    writeFileSync(file, `title: expand
mock: stripe
inputs:
  key: { default: sk_test_proto }
auth: { bearer: "\${key}" }
steps:
  - name: constructor.prototype
    request: { method: GET, path: /v1/customers, query: { "expand[]": data.constructor.prototype } }
    expect: { status: 400, body: { error: { param: expand } } }
  - name: a charge's constructor
    request: { method: GET, path: /v1/charges, query: { "expand[]": data.__proto__ } }
    expect: { status: 400, body: { error: { param: expand } } }
  - name: toString
    request: { method: GET, path: /v1/customers, query: { "expand[]": data.toString } }
    expect: { status: 400 }
`);
    const out = tempDir();
    const res = await runCli(['run', file, '--out', out, '--reporter', 'json']);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.equal(readJson(join(out, 'report.json')).summary.passed, 3);
  });
});
