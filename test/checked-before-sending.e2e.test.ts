/**
 * What can be known before sending is checked before sending (issue 8, item 6), through the real
 * bin against a real server that counts requests: an invalid regex, a base URL without a scheme,
 * an `--out` that cannot hold reports and a misspelt `--var` all end in exit 2 with a located
 * message and no request sent. And a function given a missing field fails that assert, at its
 * line, while the step's other checks and the next step still run.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const FIX = 'test/fixtures/checked';
let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/thing', (_req, res) => json(res, 200, { id: 'th_1' }, { 'x-version': '1.0' }));
});
after(() => server.close());

function notebook(body: string): string {
  const file = join(tempDir('checked-'), 'nb.yaml');
  writeFileSync(file, `title: Checked\n${body}`);
  return file;
}

async function refusedBeforeSending(args: string[], message: RegExp, where?: RegExp): Promise<string> {
  const sent = server.requests.length;
  const { code, stderr } = await runCli(args);
  assert.equal(code, 2, stderr);
  assert.match(stderr, message);
  if (where) assert.match(stderr, where);
  assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  assert.equal(server.requests.length, sent, 'no request was sent');
  return stderr;
}

describe('checked before sending (exit 2, nothing sent)', () => {
  it('an invalid regex in expect.headers, in validate and in run', async () => {
    const file = notebook('steps:\n  - name: One\n    request: GET /thing\n    expect:\n      headers:\n        x-version: /^1\\.(/\n');
    const message = /invalid regular expression \/\^1\\\.\(\/: Unterminated group/;
    await refusedBeforeSending(['validate', file], message, /nb\.yaml:7:20/);
    await refusedBeforeSending(['run', file, '--base-url', server.url, '--out', tempDir()], message, /nb\.yaml:7:20/);
  });

  it('an invalid regex given to matches()', async () => {
    const file = notebook('steps:\n  - name: One\n    request: GET /thing\n    assert:\n      - matches(body.id, "th_[0-9")\n');
    await refusedBeforeSending(['run', file, '--base-url', server.url, '--out', tempDir()], /invalid regular expression "th_\[0-9": Unterminated character class/, /nb\.yaml:6:9/);
  });

  it('a baseUrl that is not an absolute http(s) URL', async () => {
    const file = notebook(`baseUrl: ${server.url.replace('http://', '')}\nsteps:\n  - name: One\n    request: GET /thing\n`);
    const stderr = await refusedBeforeSending(['run', file, '--out', tempDir()], /`baseUrl` must be an absolute http:\/\/ or https:\/\/ URL/, /nb\.yaml:2:10/);
    assert.match(stderr, /hint: add the scheme: `http:\/\/127\.0\.0\.1:\d+`/);
    await refusedBeforeSending(['validate', file], /`baseUrl` must be an absolute/);
  });

  it('--out naming an existing file', async () => {
    const file = join(tempDir(), 'report.txt');
    writeFileSync(file, 'not a folder');
    await refusedBeforeSending(['run', join(FIX, 'valid.yaml'), '--base-url', server.url, '--out', file], /--out .*report\.txt: this is a file, not a folder/);
  });

  it('--out in a place where no folder can be made fails fast', async () => {
    const started = Date.now();
    await refusedBeforeSending(['run', join(FIX, 'valid.yaml'), '--base-url', server.url, '--out', '/proc/api-notebook-x'], /--out \/proc\/api-notebook-x: cannot create the folder/);
    assert.ok(Date.now() - started < 15_000, 'no spinning');
  });

  it('--out is created when missing, several levels deep', async () => {
    const out = join(tempDir(), 'a', 'b');
    const { code } = await runCli(['run', join(FIX, 'valid.yaml'), '--base-url', server.url, '--out', out]);
    assert.equal(code, 0);
    assert.equal(readJson(join(out, 'report.json')).summary.passed, 1);
  });

  it('a --var that names no input or var, with "did you mean"', async () => {
    for (const command of ['validate', 'run']) {
      const stderr = await refusedBeforeSending([command, join(FIX, 'valid.yaml'), '--var', 'bookTitel=X', ...(command === 'run' ? ['--base-url', server.url, '--out', tempDir()] : [])], /`--var bookTitel=…` sets nothing/, /valid\.yaml:3:3/);
      assert.match(stderr, /did you mean `bookTitle`/);
    }
    const { code } = await runCli(['validate', join(FIX, 'valid.yaml'), '--var', 'bookTitle=X', '--var', 'limit=5']);
    assert.equal(code, 0, 'declared inputs and vars are accepted');
  });
});

describe('a function given null fails its check, not the step', () => {
  it('length(body.missing) == 0 is a failed assert at its line; the step\'s other checks and the next step run', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli(['run', join(FIX, 'missing-field.yaml'), '--base-url', server.url, '--out', out]);
    assert.equal(code, 1, stdout);
    const [first, second] = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.equal(first.status, 'failed', 'failed, not error');
    assert.equal(first.error, undefined);
    const checks = first.checks.filter((c: any) => c.kind === 'assert');
    assert.deepEqual(checks.map((c: any) => c.passed), [true, false, true], 'the missing field reads as null; only the length check fails');
    assert.match(checks[1].message, /length\(body\.missing\) == 0 cannot be evaluated: length\(\) expects a string, list or object, got null/);
    assert.equal(checks[1].span.line, 8);
    assert.equal(second.status, 'passed');
    assert.match(stdout, /missing-field\.yaml:8/);
  });
});
