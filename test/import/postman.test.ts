/**
 * Postman → notebook: the real RealWorld "Conduit" collection imported, validated and run
 * against a local Conduit server; our idioms collections (v2.1 with an environment, v2.0) for
 * the idioms and auth forms Conduit lacks; --split.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readJson, runCli } from '../helpers/cli.js';
import { startConduit } from './conduit-server.js';
import { FIXTURES, importAndValidate, warningCount } from './helpers.js';
import { startWidgets, WIDGET_SECRETS } from './widget-server.js';

const CONDUIT = 'Conduit.postman_collection.json';
const CONDUIT_VARS = ['--var', 'USERNAME=jake', '--var', 'EMAIL=jake@example.com', '--var', 'PASSWORD=jakejake'];

async function runConduit(file: string, dir: string, broken = false) {
  const server = await startConduit({ broken });
  try {
    const out = join(dir, broken ? 'broken' : 'reports');
    const run = await runCli(['run', file, '--base-url', server.url, ...CONDUIT_VARS, '--out', out, '--reporter', 'json']);
    return { run, report: readJson(join(out, 'report.json')) };
  } finally {
    await server.close();
  }
}

test('the RealWorld Conduit collection imports with its checks and captures', async () => {
  const { text, stdout } = await importAndValidate(CONDUIT);
  const nb = parse(text);
  assert.equal(warningCount(stdout), 0);
  assert.equal(nb.steps.length, 32);
  assert.equal(nb.baseUrl, undefined, '{{APIURL}} has no value in the file: it is given with --base-url');
  assert.deepEqual(nb.defaults.headers, { 'X-Requested-With': 'XMLHttpRequest' }, 'the header every request sends, said once');
  assert.deepEqual(nb.inputs.PASSWORD, { env: 'PASSWORD', secret: true });
  assert.deepEqual(nb.inputs.USERNAME, { env: 'API_USERNAME' }, 'not the USERNAME most machines already have');
  const byName = new Map(nb.steps.map((s: any) => [s.name, s]));
  const login = byName.get('Auth / Login and Remember Token') as any;
  assert.deepEqual(login.request, { method: 'POST', path: '/users/login', json: { user: { email: '${EMAIL}', password: '${PASSWORD}' } } });
  assert.equal(login.capture.token, "(contains(body.user, 'token')) ? body.user.token : token");
  assert.ok(login.assert.includes('token == body.user.token'));
  assert.match(text, /- contains\(body\.user, 'email'\) # User has "email" property/);
  const create = byName.get('Articles, Favorite, Comments / Create Article') as any;
  assert.deepEqual(create.capture, { slug: 'body.article.slug' });
  assert.equal(create.request.headers.Authorization, 'Token ${token}');
  const all = byName.get('Articles / All Articles') as any;
  assert.equal(all.expect.status, 200);
  assert.ok(all.assert.includes('!body.articles.length || matches(body.articles[0].createdAt, "^\\\\d{4,}-[01]\\\\d-[0-3]\\\\dT[0-2]\\\\d:[0-5]\\\\d:[0-5]\\\\d.\\\\d+(?:[+-][0-2]\\\\d:[0-5]\\\\d|Z)$")'), all.assert.join('\n'));
  assert.ok(all.assert.includes('body.articles.length || body.articlesCount == 0'), 'the else branch of the script');
});

test('the imported Conduit notebook runs against a local Conduit server: every step passes, and a wrong response fails', async () => {
  const { file, dir } = await importAndValidate(CONDUIT);
  const good = await runConduit(file, dir);
  assert.equal(good.run.code, 0, good.run.stdout + good.run.stderr);
  assert.deepEqual([good.report.summary.steps, good.report.summary.passed], [32, 32]);
  // A server that leaves out favoritesCount: the translated `Number.isInteger(article.favoritesCount)`
  // and `hasOwnProperty('favoritesCount')` tests fail.
  const bad = await runConduit(file, dir, true);
  assert.equal(bad.run.code, 1);
  const failed = bad.report.notebooks[0].steps.find((s: any) => s.status === 'failed');
  assert.equal(failed.name, 'Articles, Favorite, Comments / Create Article');
  assert.ok(failed.checks.some((c: any) => !c.passed && /favoritesCount/.test(c.label ?? c.expected ?? '')), JSON.stringify(failed.checks));
});

test('the idioms collection: auth forms, bodies, test idioms, environment file, secrets stay secret', async () => {
  const { file, text, stdout, dir } = await importAndValidate('idioms.postman_collection.json', ['--env', join(FIXTURES, 'idioms.postman_environment.json')]);
  const nb = parse(text);
  assert.equal(warningCount(stdout), 3);
  assert.match(stdout, /idioms\.postman_collection\.json:142: warning: Widgets \/ Get widget: setTimeout/);
  assert.match(text, /# not translated \(source line 142\)[^\n]*\n\s+#\s+setTimeout\(function \(\) \{\}, 10\);\n(\s+#.*\n)*\s+- name: Widgets \/ Get widget/);
  assert.doesNotMatch(text, /s3cr3t-from-collection|tok-from-env-file/, 'secret values are never copied into the notebook');
  assert.deepEqual(nb.inputs, { apiSecret: { env: 'API_SECRET', secret: true }, apiToken: { env: 'API_TOKEN', secret: true } });
  assert.deepEqual([nb.vars.planName, nb.vars.user, nb.vars.count], ['gold', 'alice', 3]);
  const [create, get, rename, upload] = nb.steps;
  assert.deepEqual(create.auth, { basic: { username: '${user}', password: '${apiSecret}' } });
  assert.deepEqual(create.request.json, { name: '${planName}', count: '${count}', id: '${uuid()}' });
  assert.deepEqual(create.expect, { status: 201, body: { kind: 'widget' } });
  assert.deepEqual(create.capture, { widgetId: 'body.id', widgetName: 'body.name' });
  assert.deepEqual(create.assert, ["contains(body, 'id')", "contains(body.tags, 'new')"]);
  assert.deepEqual(get.auth, { bearer: '${apiToken}' });
  assert.deepEqual(get.request.query, { verbose: 'true' });
  assert.deepEqual(get.assert, ["contains(body, 'id')", 'body.name == widgetName']);
  assert.deepEqual(rename.request.headers, { 'X-Api-Key': '${apiSecret}' });
  assert.deepEqual(rename.request.form, { name: 'platinum' });
  assert.deepEqual(rename.expect, { status: 200, body: { name: 'platinum' } });
  assert.deepEqual(upload.auth.oauth2, { tokenUrl: '${baseUrl}/oauth/token', clientId: 'widgets-client', clientSecret: '${apiSecret}', scopes: ['read', 'write'] });

  const server = await startWidgets();
  try {
    const out = join(dir, 'reports');
    const env = { API_SECRET: WIDGET_SECRETS.apiSecret, API_TOKEN: WIDGET_SECRETS.apiToken };
    const run = await runCli(['run', file, '--base-url', server.url, '--var', `baseUrl=${server.url}`, '--out', out, '--reporter', 'json,console'], { env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readJson(join(out, 'report.json')).summary.passed, 4);
    assert.doesNotMatch(run.stdout + readFileSync(join(out, 'report.json'), 'utf8'), /s3cr3t|tok-1/, 'secret inputs are redacted');
    const wrong = await runCli(['run', file, '--base-url', server.url, '--var', `baseUrl=${server.url}`, '--var', 'planName=', '--out', out, '--reporter', 'json'], { env: { ...env, API_TOKEN: 'wrong' } });
    assert.equal(wrong.code, 1, 'a wrong bearer token: the translated status check fails');
  } finally {
    await server.close();
  }
});

test('a v2.0 collection: url strings, object-form auth, legacy tests', async () => {
  const { text } = await importAndValidate('idioms-v2.0.postman_collection.json');
  const nb = parse(text);
  assert.equal(nb.baseUrl, 'https://api.example.test');
  assert.deepEqual(nb.steps[0].request, { method: 'GET', path: '/v1/ping', query: { echo: '${word}' } });
  assert.deepEqual(nb.steps[0].auth, { basic: { username: '${user}', password: '${password}' } });
  assert.deepEqual(nb.steps[0].expect, { status: 200, body: { echo: 'hi' } });
  assert.deepEqual(nb.inputs.password, { env: 'PASSWORD', secret: true });
});

test('--split writes one notebook per top-level folder, each valid', async () => {
  const { tempDir } = await import('../helpers/cli.js');
  const dir = tempDir();
  const res = await runCli(['import', join(FIXTURES, CONDUIT), '--split', '--out', dir]);
  assert.equal(res.code, 0, res.stderr);
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['articles-favorite-comments.yaml', 'articles.yaml', 'auth.yaml', 'profiles.yaml', 'tags.yaml']);
  const validated = await runCli(['validate', dir]);
  assert.equal(validated.code, 0, validated.stderr);
  const auth = parse(readFileSync(join(dir, 'auth.yaml'), 'utf8'));
  assert.equal(auth.title, 'Conduit: Auth');
  assert.equal(auth.steps[0].name, 'Register', 'no folder prefix inside its own notebook');
  assert.equal(parse(readFileSync(join(dir, 'tags.yaml'), 'utf8')).inputs, undefined, 'a notebook declares only the names it uses');
});

test('Conduit with an environment file: its URL becomes baseUrl, its values vars, its secret a secret input', async () => {
  const { text } = await importAndValidate(CONDUIT, ['--env', join(FIXTURES, 'conduit.postman_environment.json')]);
  const nb = parse(text);
  assert.equal(nb.baseUrl, 'http://localhost:3000/api');
  assert.deepEqual([nb.vars.USERNAME, nb.vars.EMAIL], ['jake', 'jake@example.com']);
  assert.equal(nb.vars.APIURL, undefined, 'used only as the prefix of every URL');
  assert.deepEqual(nb.inputs, { PASSWORD: { env: 'PASSWORD', secret: true } });
  assert.doesNotMatch(text, /jakejake/, 'the secret value is not copied');
  assert.match(text, /^# PASSWORD: set it to the value of "PASSWORD" in .*conduit\.postman_environment\.json/m);
});
