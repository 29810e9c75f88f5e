/**
 * `import --from http`: REST Client's README examples (vendored, MIT) and httpyac's imported
 * and validated with the real bin; a file in the three dialects' idioms imported and RUN against
 * the port of Bruno's test server (real sockets): it passes there and fails on a wrong server.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseHttp } from '../../src/import/http/parse.js';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { startBrunoServer, type BrunoServer } from './bruno-server.js';
import { FIXTURES, warningCount } from './helpers.js';

const HTTP = join(FIXTURES, 'http');
let good: BrunoServer;
let broken: BrunoServer;
before(async () => {
  [good, broken] = await Promise.all([startBrunoServer(), startBrunoServer({ broken: true })]);
});
after(async () => {
  await Promise.all([good?.close(), broken?.close()]);
});

async function imported(source: string) {
  const dir = tempDir('api-notebook-http-');
  const out = join(dir, 'notebook.yaml');
  const res = await runCli(['import', source, '--out', out]);
  assert.equal(res.code, 0, res.stderr + res.stdout);
  const validated = await runCli(['validate', out]);
  assert.equal(validated.code, 0, validated.stderr + readFileSync(out, 'utf8'));
  return { dir, out, stdout: res.stdout, text: readFileSync(out, 'utf8') };
}

test("REST Client's README examples and httpyac's import and validate; the share without a warning is stated", async (t) => {
  const file = join(HTTP, 'restclient', 'readme-examples.http');
  const { stdout, text } = await imported(file);
  const requests = parseHttp(readFileSync(file, 'utf8')).requests.length;
  const warned = new Set([...stdout.matchAll(/warning: (.*?): /g)].map((m) => m[1]));
  assert.match(stdout, new RegExp(`Imported ${requests} steps .*\\(http\\)`));
  t.diagnostic(`REST Client README: ${requests - warned.size}/${requests} requests (${Math.round((100 * (requests - warned.size)) / requests)}%) without a warning; ${warningCount(stdout)} warnings`);
  // Request variables became captures; {{$processEnv}} and {{$dotenv}} became inputs.
  assert.match(text, /getRepliesXpath: xpath\(body, '\/\/reply\[1\]\/@id'\)/);
  assert.match(text, /USERNAME:\n {4}env: USERNAME/);
  assert.match(stdout, /\{\{\$datetime iso8601\}\} has no translation/);
  const yac = await imported(join(HTTP, 'httpyac', 'readme-example.http'));
  assert.match(yac.text, /basic:\n {8}username: \$\{user\}\n {8}password: \$\{password\}/);
  assert.equal(warningCount(yac.stdout), 0);
});

test('a file in the three dialects imports without a warning, runs against the server and passes; the wrong server fails it', async (t) => {
  const { dir, out, stdout, text } = await imported(join(HTTP, 'roundtrip', 'api.http'));
  assert.equal(warningCount(stdout), 0);
  assert.match(text, /capture:\n {6}loginMessage: body\.message/, 'REST Client {{login.response.body.$.message}}');
  assert.match(text, /followRedirects: false/, '# @no-redirect');
  assert.doesNotMatch(text, /della/, 'the private env file value is never copied');
  const local = readFileSync(join(dir, 'environments', 'local.yaml'), 'utf8');
  assert.match(local, /baseUrl: http:\/\/localhost:8081/);
  assert.match(local, /password:\n {4}env: PASSWORD\n {4}secret: true/);
  const run = async (server: BrunoServer, name: string) => {
    const res = await runCli(['run', out, '--base-url', server.url, '--out', join(dir, name)], { env: { PASSWORD: 'della' } });
    return { ...res, report: readJson(join(dir, name, 'report.json')) };
  };
  const passed = await run(good, 'good');
  assert.equal(passed.code, 0, passed.stdout);
  const steps = passed.report.notebooks[0].steps as Array<{ status: string; checks: unknown[] }>;
  t.diagnostic(`ran ${steps.length} steps, ${steps.reduce((n, s) => n + s.checks.length, 0)} checks, all passed`);
  const failed = await run(broken, 'broken');
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /body\.n|status: 401/);
});

test('bad .http input: a file with no request is refused with exit 2 and a hint, never a stack trace', async () => {
  const dir = tempDir();
  const file = join(dir, 'empty.http');
  writeFileSync(file, '# just a comment\n@x = 1\n');
  const res = await runCli(['import', file]);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /empty\.http holds no requests[\s\S]*hint:/);
  assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+/);
});
