/**
 * Secrets on the command line (issue 18, L6): `--var` puts a value in argv, readable by every
 * local user, so setting a `secret: true` input with it warns once (naming the input, never the
 * value); `--var-file FILE` (dotenv lines) and the environment keep it out of argv. Through the
 * real bin, against a server on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const KEY = 'vf-secret-Q7XZ';
let server: TestServer;
let dir: string;
let first: string;
let second: string;

before(async () => {
  server = await startTestServer();
  server.route('GET', '/whoami', (req, res) => json(res, 200, { auth: req.headers.authorization, url: req.url }));
  dir = tempDir('api-notebook-varfile-');
  const nb = (title: string) => `title: ${title}
inputs:
  apiKey: { env: VF_API_KEY, secret: true }
  region: { default: nowhere }
vars:
  plan: basic
auth: { bearer: "\${apiKey}" }
steps:
  - name: Who am I
    request: GET /whoami?region=\${region}&plan=\${plan}
    expect: { status: 200 }
`;
  first = join(dir, 'first.yaml');
  second = join(dir, 'second.yaml');
  writeFileSync(first, nb('First'));
  writeFileSync(second, nb('Second'));
});
after(() => server.close());

const lastCalls = (n: number) => server.requests.slice(-n).map((r) => ({ auth: r.headers.authorization, url: r.url }));

describe('--var and secret inputs', () => {
  it('a secret input set with --var works, and warns once on stderr, naming the input and the safer ways, never the value', async () => {
    const out = join(dir, 'out-var');
    const r = await runCli(['run', first, second, '--base-url', server.url, '--out', out, '--var', `apiKey=${KEY}`, '--var', 'region=eu']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: --var'));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /--var apiKey=… sets secret input `apiKey` on the command line, where other users of this machine can read it .*--var-file FILE, or the environment variable VF_API_KEY/);
    assert.ok(!r.stderr.includes(KEY) && !r.stdout.includes(KEY), 'the value is not printed');
    assert.doesNotMatch(r.stderr, /region/, 'no warning for an input that is not secret');
    assert.deepEqual(lastCalls(2), [{ auth: `Bearer ${KEY}`, url: '/whoami?region=eu&plan=basic' }, { auth: `Bearer ${KEY}`, url: '/whoami?region=eu&plan=basic' }]);
  });

  it('validate warns the same way', async () => {
    const r = await runCli(['validate', first, '--var', `apiKey=${KEY}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: --var apiKey=… sets secret input `apiKey`/);
    assert.ok(!r.stderr.includes(KEY));
  });

  it('the environment variable: no warning', async () => {
    const r = await runCli(['run', first, '--base-url', server.url, '--out', join(dir, 'out-env')], { env: { VF_API_KEY: KEY } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.equal(lastCalls(1)[0].auth, `Bearer ${KEY}`);
  });
});

describe('--var-file FILE', () => {
  it('sets inputs and vars from dotenv lines (comments, export, quotes), without a warning; --var wins over it, it wins over the environment', async () => {
    const file = join(dir, 'secrets.env');
    writeFileSync(file, `# local secrets, chmod 600\nexport apiKey="${KEY}"\nregion='eu west'\nplan=pro # the paid one\nunused=ignored\n`);
    const out = join(dir, 'out-file');
    const r = await runCli(['run', first, '--base-url', server.url, '--out', out, '--var-file', file, '--var', 'plan=gold'], { env: { VF_API_KEY: 'from-the-environment' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    assert.deepEqual(lastCalls(1), [{ auth: `Bearer ${KEY}`, url: '/whoami?region=eu%20west&plan=gold' }]);
    const report = readJson(join(out, 'report.json'));
    assert.ok(!JSON.stringify(report).includes(KEY), 'a secret from the file is redacted like any other');
  });

  it('a later file wins over an earlier one; validate takes it too', async () => {
    const a = join(dir, 'a.env');
    const b = join(dir, 'b.env');
    writeFileSync(a, `apiKey=${KEY}\nregion=first\n`);
    writeFileSync(b, 'region=second\n');
    const r = await runCli(['run', first, '--base-url', server.url, '--out', join(dir, 'out-two'), '--var-file', a, '--var-file', b]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(lastCalls(1)[0].url, '/whoami?region=second&plan=basic');
    assert.equal((await runCli(['validate', first, '--var-file', a])).code, 0);
  });

  it('a line that is not name=value, an unclosed quote, a missing file: exit 2 with the file and line, nothing sent, no stack trace', async () => {
    const cases: Array<[string, string | undefined, RegExp]> = [
      ['bad-line.env', `apiKey=${KEY}\n\nthis is not a pair\n`, /--var-file .*bad-line\.env:3: not a name=value line/],
      ['colon.env', 'apiKey: x\n', /colon\.env:1: not a name=value line \(use = between the name and the value, not :\)/],
      ['unclosed.env', 'region="eu\nplan=x\n', /unclosed\.env:1: the value's " is never closed/],
      ['missing.env', undefined, /--var-file .*missing\.env: cannot read it \(no such file\)/],
    ];
    for (const [name, text, message] of cases) {
      const file = join(dir, name);
      if (text !== undefined) writeFileSync(file, text);
      const before = server.requests.length;
      for (const command of ['run', 'validate']) {
        const r = await runCli([command, first, '--base-url', server.url, '--out', join(dir, 'out-bad'), '--var-file', file]);
        assert.equal(r.code, 2, `${command} ${name}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.ok(!r.stderr.includes(KEY), 'the file\'s values are not quoted');
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
      assert.equal(server.requests.length, before, 'nothing was sent');
    }
  });

  it('open takes --var-file too (a bad one stops it before it serves anything)', async () => {
    const file = join(dir, 'open-bad.env');
    writeFileSync(file, 'nope\n');
    const r = await runCli(['open', first, '--no-browser', '--var-file', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /open-bad\.env:1: not a name=value line/);
    assert.match((await runCli(['help', 'open'])).stdout, /--var-file FILE/);
  });
});
