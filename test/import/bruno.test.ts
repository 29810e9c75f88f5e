/**
 * `import --from bruno` on Bruno's own test collection (vendored, MIT) and on a collection of
 * every assert operator: imported with the real bin, validated, and RUN against a port of
 * Bruno's test server over real sockets. The verdicts are the collection's: every check passes
 * on the real server, and the checks fail on a server that answers wrong.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseBru } from '../../src/import/bruno/parse.js';
import { readJson, runCli, tempDir } from '../helpers/cli.js';
import { startBrunoServer, type BrunoServer } from './bruno-server.js';
import { FIXTURES, warningCount } from './helpers.js';

const TESTBENCH = join(FIXTURES, 'bruno', 'testbench');
let good: BrunoServer;
let broken: BrunoServer;
before(async () => {
  [good, broken] = await Promise.all([startBrunoServer(), startBrunoServer({ broken: true })]);
});
after(async () => {
  await Promise.all([good?.close(), broken?.close()]);
});

async function imported(source: string, extra: string[] = []) {
  const dir = tempDir('api-notebook-bruno-');
  const out = join(dir, 'notebook.yaml');
  const res = await runCli(['import', source, '--out', out, ...extra]);
  assert.equal(res.code, 0, res.stderr + res.stdout);
  const validated = await runCli(['validate', out]);
  assert.equal(validated.code, 0, validated.stderr);
  return { dir, out, stdout: res.stdout, text: readFileSync(out, 'utf8') };
}

async function run(notebook: string, server: BrunoServer, dir: string, hosts = true) {
  const reports = join(dir, `report-${server === good ? 'good' : 'broken'}`);
  const where = hosts ? ['--var', `host=${server.url}`, '--var', `httpfaker=${server.url}`, '--var', `echoHost=${server.url}/echo-host`] : ['--base-url', server.url];
  // The collection's `request_pre_var_token` is set nowhere: a secret input, given here.
  const res = await runCli(['run', notebook, ...where, '--out', reports], { env: { REQUEST_PRE_VAR_TOKEN: 'token-1' } });
  return { ...res, report: readJson(join(reports, 'report.json')) };
}

function bruFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'environments' ? [] : bruFiles(p);
    return f.endsWith('.bru') && f !== 'collection.bru' && f !== 'folder.bru' ? [p] : [];
  });
}

test("Bruno's test collection imports, validates and passes against its server; the share without a warning is stated", async (t) => {
  const { dir, out, stdout, text } = await imported(TESTBENCH);
  const requests = bruFiles(TESTBENCH);
  assert.match(stdout, new RegExp(`Imported ${requests.length} steps from .*\\(bruno\\)`));
  // Requests in Bruno's order: folders by name, each folder's requests by meta seq.
  assert.ok(text.indexOf('redirects / Disable Redirect') < text.indexOf('redirects / Test Redirect'), 'seq 1 before seq 2');
  assert.match(text, /auth:\n {2}bearer: \$\{bearer_auth_token\}|bearer: \$\{bearer_auth_token\}/);
  assert.match(text, /followRedirects: false/, 'req.setMaxRedirects(0) became followRedirects: false');

  // Warnings name the .bru file and line they come from.
  assert.match(stdout, /echo json\.bru:\d+: warning: echo \/ echo json: a pre-request script/);
  const warnings = warningCount(stdout);
  const warnedRequests = new Set([...stdout.matchAll(/^(.*\.bru):\d+: warning/gm)].map((m) => m[1]!).filter((f) => !f.endsWith('collection.bru')));
  const checks = requests.flatMap((f) => parseBru(readFileSync(f, 'utf8'), f)).reduce((n, b) => n + (b.name === 'assert' ? b.pairs.filter((p) => p.enabled).length : /^(tests|script:post-response)$/.test(b.name) ? (b.text.match(/\bexpect\(/g) ?? []).length : 0), 0);
  const untranslatedChecks = [...stdout.matchAll(/warning: .*(assertion|expression|expectation)/g)].length;
  const share = (n: number, of: number) => `${n}/${of} (${Math.round((100 * n) / of)}%)`;
  t.diagnostic(`Bruno testbench: requests without a warning ${share(requests.length - warnedRequests.size, requests.length)}; checks imported ${share(checks - untranslatedChecks, checks)}; ${warnings} warnings`);
  assert.ok(requests.length - warnedRequests.size >= requests.length * 0.8);

  // Environments: one YAML each, the secret names never with a value.
  const local = readFileSync(join(dir, 'environments', 'Local.yaml'), 'utf8');
  assert.match(local, /bearer_auth_token: your_secret_token/);
  assert.ok(existsSync(join(dir, 'environments', 'Prod.yaml')));
  assert.match(readFileSync(join(dir, 'environments', 'Prod.yaml'), 'utf8'), /host: https:\/\/testbench-sanity\.usebruno\.com/);

  const passed = await run(out, good, dir);
  assert.equal(passed.code, 0, passed.stdout + passed.stderr);
  const steps = passed.report.notebooks[0].steps as Array<{ status: string; checks: unknown[] }>;
  assert.equal(steps.length, requests.length);
  assert.ok(steps.every((s) => s.status === 'passed'));
  t.diagnostic(`ran ${steps.length} steps, ${steps.reduce((n, s) => n + s.checks.length, 0)} checks, all passed against the port of Bruno's test server`);
});

test('the same notebook fails on a server that answers wrong, at the checks the collection wrote', async () => {
  const { dir, out } = await imported(TESTBENCH);
  const failed = await run(out, broken, dir);
  assert.equal(failed.code, 1, failed.stdout);
  const steps = failed.report.notebooks[0].steps as Array<{ name: string; status: string }>;
  assert.equal(steps.find((s) => s.name.startsWith('asserts /'))?.status, 'failed', 'res.body.number: eq 123 against 124');
  assert.match(failed.stdout, /body\.number == 123/);
});

test('every assert operator: each holds on the right answer and each fails on a wrong one', async () => {
  const dir = join(FIXTURES, 'bruno', 'operators');
  const { dir: tmp, out, text } = await imported(dir);
  assert.doesNotMatch(text, /999/, 'a disabled (~) assertion is not imported');
  assert.match(text, /doc: Each of Bruno's assertion operators/);
  const res = await run(out, good, tmp, false);
  const [pass, fail] = res.report.notebooks[0].steps as Array<{ name: string; status: string; checks: Array<{ passed: boolean; label: string }> }>;
  assert.equal(pass!.status, 'passed', JSON.stringify(pass!.checks.filter((c) => !c.passed)));
  const asserts = fail!.checks.filter((c) => c.label !== 'status (default: 2xx or 3xx)');
  assert.equal(asserts.length, 27);
  assert.deepEqual(asserts.filter((c) => c.passed).map((c) => c.label), [], 'every wrong assertion fails');
});

test('a .bru file that is not .bru: a located error, exit 2, no stack trace', async () => {
  const dir = tempDir();
  const file = join(dir, 'broken.bru');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, 'meta {\n  name: x\n}\n\nget {\n  url: http://x\n');
  const res = await runCli(['import', file]);
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /broken\.bru:5:1: the block `get` is never closed/);
  assert.match(res.stderr, /hint:/);
  assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+/);
  const missing = await runCli(['import', join(dir, 'nope'), '--from', 'bruno']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope: file not found/);
});
