/** OpenAPI → skeleton notebook: RealWorld's own description, run against the local Conduit server with contract checks on. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readJson, runCli } from '../helpers/cli.js';
import { startConduit } from './conduit-server.js';
import { importAndValidate, warningCount } from './helpers.js';

test('RealWorld\'s OpenAPI 3.1 description gives one step per operation, in order, with openapi: set', async () => {
  const { text, stdout } = await importAndValidate('realworld-openapi.yml');
  const nb = parse(text);
  assert.equal(warningCount(stdout), 0);
  assert.equal(nb.steps.length, 19);
  assert.match(nb.openapi, /test\/fixtures\/import\/realworld-openapi\.yml$/);
  assert.deepEqual(nb.steps.slice(0, 3).map((s: any) => `${s.request.method} ${s.request.path} ${s.expect.status}`), ['POST /users/login 200', 'POST /users 201', 'GET /user 200']);
  assert.equal(nb.steps[1].name, 'CreateUser'.replace('CreateUser', 'Create user'));
  assert.deepEqual(nb.steps[0].request.json, { user: { email: 'string', password: 'string' } });
  assert.equal(nb.steps[2].request.headers.Authorization, '${Token}');
  assert.deepEqual(nb.inputs.Token, { env: 'TOKEN', secret: true });
  const del = nb.steps.find((s: any) => s.name === 'Delete an article');
  assert.deepEqual([del.request.path, del.expect.status], ['/articles/${slug}', 204]);
});

test('the skeleton runs against the local Conduit server with every response checked against the description', async () => {
  const { file, dir } = await importAndValidate('realworld-openapi.yml');
  const server = await startConduit();
  try {
    const post = async (path: string, body: unknown, token?: string) =>
      (await (await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as any;
    // The skeleton's example values (email "string"…) name a user and an article that exist.
    const { user } = await post('/users', { user: { email: 'string', password: 'string', username: 'string' } });
    const { article } = await post('/articles', { article: { title: 'T', description: 'd', body: 'b', tagList: [] } }, user.token);
    const { comment } = await post(`/articles/${article.slug}/comments`, { comment: { body: 'c' } }, user.token);
    const out = join(dir, 'reports');
    const run = await runCli(['run', file, '--base-url', server.url, '--var', `Token=Token ${user.token}`, '--var', `slug=${article.slug}`, '--var', `id=${comment.id}`, '--out', out, '--reporter', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = readJson(join(out, 'report.json'));
    const steps = report.notebooks[0].steps;
    assert.equal(steps.length, 19, 'continueOnFailure: the whole description is tried');
    assert.ok(steps.every((s: any) => s.checks.some((c: any) => c.kind === 'openapi')), 'every response is checked against its operation');
    // 13 pass. The 6 that fail do so as the description's order makes them: "Create user" repeats the
    // login example's user (422), and the article is deleted before its comments and favorites.
    assert.equal(report.summary.passed, 13);
    assert.deepEqual(steps.filter((s: any) => s.status === 'failed').map((s: any) => s.response?.status), [422, 404, 404, 404, 404, 404]);
  } finally {
    await server.close();
  }
});

test('an OpenAPI 3.0 description split over files: examples, $refs, security, security: [] as auth: none', async () => {
  const { text } = await importAndValidate('split-openapi/api.yaml');
  const nb = parse(text);
  assert.equal(nb.baseUrl, 'https://notes.example.test/v2');
  assert.deepEqual(nb.auth, { bearer: '${bearerAuth}' });
  assert.deepEqual(nb.vars, { noteId: 'n_1' });
  assert.deepEqual(nb.steps.map((s: any) => s.name), ['List notes', 'Create note', 'Get a note']);
  assert.deepEqual(nb.steps[0].request.query, { limit: 5 }, 'required query parameters with their example; optional ones left out');
  assert.deepEqual(nb.steps[1].request.json, { text: 'Buy milk', pinned: true });
  assert.equal(nb.steps[1].expect.status, 201, 'the first 2xx, not the first listed');
  assert.equal(nb.steps[2].auth, 'none');
});
