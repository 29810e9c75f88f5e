/**
 * The CLI as users run it (dist/, a child process) against a test server on port 0:
 * each checker fails on a wrong response and the run exits 1; faults become errors; teardown
 * always runs; report.json is whole; captures, loops, paging, auth and inputs work.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interruptAfter, readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const FIX = 'test/fixtures/runner';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/thing', (_req, res) => json(res, 200, { id: 'th_1', amount: 2000, tags: ['a', 'b'] }, { 'x-version': '1.0' }));
});
after(() => server.close());

async function run(file: string, extra: string[] = [], env: Record<string, string> = {}) {
  const out = tempDir();
  const result = await runCli(['run', join(FIX, file), '--base-url', server.url, '--out', out, ...extra], { env });
  return { ...result, out, report: readJson(join(out, 'report.json')) };
}

describe('each checker fails on a wrong response', () => {
  const cases: Array<[string, RegExp]> = [
    ['status', /200 is not 201/],
    ['header', /header x-version is "1.0", expected to match \/\^2\\.\//],
    ['body', /body\.amount is 2000, expected 777/],
    ['schema', /schema inline: body must have required property 'currency' \(and 1 more\)/],
    ['assert', /body\.amount == 777 is false \(left: 2000, right: 777\)/],
  ];
  for (const [which, message] of cases) {
    it(`${which}: the step fails and the run exits 1`, async () => {
      const { code, stdout, report } = await run('checks.yaml', ['--var', `which=${which}`]);
      assert.equal(code, 1, stdout);
      const failed = report.notebooks[0].steps.filter((s: any) => s.status === 'failed');
      assert.equal(failed.length, 1);
      const check = failed[0].checks.find((c: any) => !c.passed);
      assert.equal(check.kind, which);
      assert.match(stdout, message);
      assert.ok(check.span.line > 0 && check.span.col > 0, 'the check knows where it was written');
      assert.notEqual(check.expected, undefined);
      assert.notEqual(check.actual, undefined);
    });
  }

  it('the same checkers pass on a right response (exit 0)', async () => {
    const { code, report, stdout } = await run('checks.yaml', ['--var', 'which=none']);
    assert.equal(code, 0, stdout);
    const ran = report.notebooks[0].steps.filter((s: any) => s.status !== 'skipped');
    assert.equal(ran.length, 1);
    assert.deepEqual(ran[0].checks.map((c: any) => [c.kind, c.passed]), [['status', true], ['header', true], ['body', true], ['schema', true], ['assert', true]]);
  });

  it('keeps ajv\'s whole error list and every body mismatch', async () => {
    const schema = (await run('checks.yaml', ['--var', 'which=schema'])).report.notebooks[0].steps.find((s: any) => s.status === 'failed');
    const errors = schema.checks.find((c: any) => c.kind === 'schema').details.errors;
    assert.deepEqual(errors.map((e: any) => [e.instancePath, e.keyword]), [['', 'required'], ['/amount', 'type']]);
    const body = (await run('checks.yaml', ['--var', 'which=body'])).report.notebooks[0].steps.find((s: any) => s.status === 'failed');
    const paths = body.checks[1].details.mismatches.map((m: any) => m.path);
    assert.deepEqual(paths, ['body.amount', 'body.tags[1]']);
  });
});

describe('faults give a failed or errored step, teardown still runs, report.json is whole', () => {
  async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as { port: number };
    await new Promise((r) => srv.close(r));
    return port;
  }

  const faults: Array<[string, string, string, string[]]> = [
    ['500', '/boom', 'failed', []],
    ['reset mid-response', '/reset', 'error', []],
    ['timeout', '/hang', 'error', ['--timeout', '300']],
    ['invalid JSON', '/bad-json', 'error', []],
  ];
  for (const [label, path, status, extra] of faults) {
    it(label, async () => {
      const { code, report } = await run('faults.yaml', ['--var', `fault=${path}`, ...extra]);
      assert.equal(code, 1);
      const [first, second, teardown] = report.notebooks[0].steps;
      assert.equal(first.status, status);
      assert.equal(first.request.method, 'GET');
      assert.equal(second.status, 'skipped');
      assert.match(second.skipReason, /earlier step failed/);
      assert.equal(teardown.phase, 'teardown');
      assert.equal(teardown.status, 'passed');
      if (status === 'error') assert.ok(first.error.message.length > 0);
      if (label === 'invalid JSON') {
        assert.equal(first.error.kind, 'invalid-json');
        assert.equal(first.response.body, '{"truncated": ', 'the raw text is kept');
      }
      if (label === 'timeout') assert.equal(first.error.kind, 'timeout');
      if (label === 'reset mid-response') assert.equal(first.error.kind, 'connection-reset');
      if (label === '500') assert.equal(first.response.status, 500);
    });
  }

  it('connection refused', async () => {
    const out = tempDir();
    const port = await closedPort();
    const { code } = await runCli(['run', join(FIX, 'faults.yaml'), '--base-url', `http://127.0.0.1:${port}`, '--out', out]);
    assert.equal(code, 1);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.equal(steps[0].status, 'error');
    assert.equal(steps[0].error.kind, 'connection-refused');
    assert.equal(steps[2].phase, 'teardown');
    assert.equal(steps[2].status, 'error', 'teardown ran, and its own failure is reported');
  });
});

describe('captures, loops, paging and conditions', () => {
  before(() => {
    const pages = [['a', 'b'], ['c', 'd'], ['e']];
    server.route('POST', '/people', (req, res) => {
      const body = JSON.parse(req.body);
      json(res, 201, { id: `p_${body.name}`, name: body.name, greeting: body.greeting });
    });
    server.route('GET', '/people/bob', (_req, res) => json(res, 200, { id: 'p_bob' }));
    server.route('GET', '/people/ada', (_req, res) => json(res, 200, { id: 'p_ada' }));
    server.route('GET', '/pages', (req, res) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after');
      const index = after ? pages.findIndex((p) => p.at(-1) === after) + 1 : 0;
      json(res, 200, { data: pages[index], has_more: index < pages.length - 1 });
    });
  });

  it('runs each iteration, pages until done, and continues past continueOnFailure', async () => {
    const { code, report } = await run('flow.yaml', [], { FLOW_GREETING: 'hi' });
    assert.equal(code, 1, 'one step failed (continueOnFailure) so the run still fails');
    const steps = report.notebooks[0].steps;
    const byName = (n: string) => steps.filter((s: any) => s.name === n);
    assert.deepEqual(byName('Create each').map((s: any) => [s.iteration.index, s.iteration.item, s.status]), [[0, 'ada', 'passed'], [1, 'bob', 'passed'], [2, 'cy', 'passed']]);
    assert.deepEqual(byName('Only for bob').map((s: any) => s.status), ['skipped', 'passed', 'skipped']);
    assert.match(byName('Only for bob')[0].skipReason, /`if` is false/);
    assert.equal(byName('Page through').length, 3, 'one entry per page');
    assert.equal(byName('Page through')[0].request.url.includes('after='), false, 'a null query value is left out');
    assert.equal(byName('Check what was gathered')[0].status, 'passed');
    assert.equal(byName('A failure that does not stop the run')[0].status, 'failed');
    assert.equal(byName('Runs after it')[0].status, 'passed');
    const sent = server.requests.filter((r) => r.method === 'POST' && r.url === '/people').slice(-3).map((r) => JSON.parse(r.body));
    assert.deepEqual(sent.map((b) => b.greeting), ['hi', 'hi', 'hi'], 'input from the environment');
    const s = report.summary;
    assert.equal(s.steps, s.passed + s.failed + s.errors + s.skipped);
    assert.equal(s.steps, steps.length);
  });
});

describe('auth', () => {
  let tokens = 0;
  let current = '';
  before(() => {
    server.route('POST', '/token', (req, res) => {
      const basic = Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString();
      if (basic !== 'notebook-client:s3cret-value' || !req.body.includes('grant_type=client_credentials')) return json(res, 401, { error: 'invalid_client' });
      tokens++;
      current = `tok-${tokens}-abcdef`;
      json(res, 200, { access_token: current, token_type: 'bearer', expires_in: 3600 });
    });
    let calls = 0;
    server.route('GET', '/private', (req, res) => {
      calls++;
      if (calls === 3) current = 'revoked';
      if (req.headers.authorization !== `Bearer ${current}`) return json(res, 401, { error: 'bad token' });
      json(res, 200, { ok: true });
    });
    server.route('GET', '/echo-auth', (req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
  });

  it('fetches an OAuth2 token once, reuses it, fetches again after a 401; basic and none per step', async () => {
    const { code, report, stdout } = await run('auth.yaml', ['--var', `tokenUrl=${server.url}/token`], { FLOW_CLIENT_SECRET: 's3cret-value' });
    assert.equal(code, 0, stdout);
    assert.equal(tokens, 2, 'one token, then one more after the 401');
    const basic = server.requests.filter((r) => r.url === '/echo-auth')[0];
    assert.equal(basic.headers.authorization, `Basic ${Buffer.from('alice:s3cret-value').toString('base64')}`);
    const text = JSON.stringify(report);
    assert.doesNotMatch(text, /s3cret-value|tok-1-abcdef|tok-2-abcdef/, 'secrets and tokens are redacted');
  });

  it('a missing input is a clear error before any request (exit 2)', async () => {
    const before = server.requests.length;
    const { code, stderr } = await runCli(['run', join(FIX, 'auth.yaml'), '--base-url', server.url, '--out', tempDir()], { env: { FLOW_CLIENT_SECRET: '' } });
    assert.equal(code, 2);
    assert.match(stderr, /input `clientSecret` has no value; set FLOW_CLIENT_SECRET, or pass --var clientSecret=…/);
    assert.equal(server.requests.length, before, 'nothing was sent');
  });
});

describe('interrupt', () => {
  it('Ctrl-C mid-step: the request stops, teardown runs, report.json is whole, exit 130', async () => {
    const out = tempDir();
    const result = await runCli(['run', join(FIX, 'interrupt.yaml'), '--base-url', server.url, '--out', out], { onSpawn: interruptAfter('Quick', 'SIGINT') });
    assert.equal(result.code, 130, result.stderr);
    const report = readJson(join(out, 'report.json'));
    assert.equal(report.interrupted, true);
    const steps = report.notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => [s.name, s.status]), [['Quick', 'passed'], ['Slow', 'error'], ['Never', 'skipped'], ['Clean up', 'passed']]);
    assert.equal(steps[1].error.kind, 'interrupted');
  });
});
