/**
 * The format's JSON Schema and the loader agree: the schema accepts every notebook in the repo,
 * and it names every key the loader accepts (test/fixtures/every-key.yaml uses each one, loads
 * cleanly, and each key shows in the typed model).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { SchemaRegistry } from '../src/checks/schemas.js';
import { loadNotebook } from '../src/notebook/load.js';
import { ROOT } from './helpers/cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'notebook.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function notebooksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    // diagnostics/ and broken/ hold broken notebooks on purpose; import/ holds the importers' sources (OpenAPI, Postman), not notebooks.
    if (e.isDirectory()) return e.name === 'diagnostics' || e.name === 'broken' || e.name === 'import' ? [] : notebooksIn(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** Property names of each object definition in the schema, by a readable name. */
function schemaKeys(): Record<string, string[]> {
  const d = schema.$defs;
  const request = d.request.oneOf.find((b: { type: string }) => b.type === 'object');
  const [basic, bearer, oauth2] = d.auth.oneOf;
  return {
    top: Object.keys(schema.properties),
    input: Object.keys(d.input.properties),
    defaults: Object.keys(d.defaults.properties),
    step: Object.keys(d.step.properties),
    repeat: Object.keys(d.step.properties.repeat.properties),
    request: Object.keys(request.properties),
    expect: Object.keys(d.expect.properties),
    basic: Object.keys(basic.properties.basic.properties),
    bearer: Object.keys(bearer.properties),
    oauth2: Object.keys(oauth2.properties.oauth2.properties),
  };
}

/** The keys the fixture actually uses, by the same names. */
function fixtureKeys(doc: any): Record<string, string[]> {
  const steps = [...doc.steps, ...doc.teardown];
  const union = (objs: any[]) => [...new Set(objs.filter((o) => o && typeof o === 'object').flatMap((o) => Object.keys(o)))];
  const auths = [doc.auth, ...steps.map((s: any) => s.auth)];
  return {
    top: Object.keys(doc),
    input: union(Object.values(doc.inputs)),
    defaults: Object.keys(doc.defaults),
    step: union(steps),
    repeat: union(steps.map((s: any) => s.repeat)),
    request: union(steps.map((s: any) => s.request)),
    expect: union(steps.map((s: any) => s.expect)),
    basic: union(auths.map((a: any) => a?.basic)),
    bearer: union(auths.filter((a: any) => a?.bearer)).filter((k) => k === 'bearer'),
    oauth2: union(auths.map((a: any) => a?.oauth2)),
  };
}

describe('notebook.schema.json', () => {
  it('accepts every notebook in the repo', () => {
    const files = [...notebooksIn(join(ROOT, 'notebooks')), ...notebooksIn(join(ROOT, 'test', 'fixtures'))];
    assert.ok(files.length >= 3);
    for (const f of files) {
      const ok = validate(parse(readFileSync(f, 'utf8')));
      assert.ok(ok, `${relative(ROOT, f)}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('names every key the loader accepts, and the loader takes each of them', async () => {
    const file = join(ROOT, 'test', 'fixtures', 'every-key.yaml');
    const expected = schemaKeys();
    const used = fixtureKeys(parse(readFileSync(file, 'utf8')));
    for (const kind of Object.keys(expected)) {
      assert.deepEqual([...used[kind]].sort(), [...expected[kind]].sort(), `keys of ${kind}`);
    }
    const { notebook, diagnostics } = await loadNotebook(file, { registry: new SchemaRegistry() });
    assert.deepEqual(diagnostics, []);
    assert.ok(notebook);
    const [first, second, third] = notebook.steps;
    assert.equal(notebook.auth?.kind, 'oauth2');
    assert.equal(notebook.defaults.timeoutMs, 5000);
    assert.equal(notebook.defaults.followRedirects, 3);
    assert.equal(notebook.defaults.cookies, true);
    assert.deepEqual(notebook.secretCookies, ['session']);
    assert.equal(notebook.inputs[0].secret, true);
    assert.equal(first.kind, 'http');
    assert.equal(first.as, 'id');
    assert.equal(first.repeat?.max, 3);
    assert.equal(first.continueOnFailure, true);
    assert.equal(first.kind === 'http' && first.openapi, false);
    assert.deepEqual(first.expect.status?.value, [200, 201]);
    assert.equal(first.expect.schema?.value.label, 'inline');
    assert.equal(first.expect.cookies?.[0].name, 'session');
    assert.ok(first.kind === 'http' && first.request.cookies === false && first.request.followRedirects === true);
    assert.equal(first.captures[0].name, 'lastId');
    assert.equal(first.asserts.length, 1);
    assert.ok(first.kind === 'http' && first.request.body.kind === 'json' && first.request.timeoutMs === 1000);
    assert.ok(first.kind === 'http' && first.request.http2 === true && first.request.tls?.cert?.written === 'certs/client.pem' && first.request.tls.passphrase);
    assert.ok(notebook.defaults.tls?.ca?.[0].value.endsWith(join('certs', 'ca.pem')) && notebook.defaults.http2 === false);
    assert.ok(second.kind === 'http' && second.request.target.kind === 'url' && second.request.body.kind === 'form');
    assert.ok(third.kind === 'http' && third.auth === 'none' && third.request.body.kind === 'raw');
    assert.equal(notebook.teardown[0].kind === 'http' && notebook.teardown[0].request.method, 'DELETE');
    const [upload, graphql] = notebook.steps.slice(3);
    assert.ok(upload.kind === 'http' && upload.request.body.kind === 'multipart' && upload.request.responseType === 'text' && upload.request.arrayFormat === 'repeat');
    assert.ok(graphql.kind === 'http' && graphql.request.body.kind === 'graphql' && graphql.expect.graphqlErrors?.value === true);
    assert.equal(notebook.defaults.responseType, 'json');
  });
});
