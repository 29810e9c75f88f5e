/**
 * Issue 23 §2: `--env NAME` (environments/NAME.yaml found beside or above the notebook, up to the
 * repository root), `--env-file FILE`, `baseUrl` as an expression, `validate --env`, and every
 * report naming the environment. Through the real bin, against a server on 127.0.0.1, in a
 * temporary repository (a folder with .git) so the search stops where it would in a checkout.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir, writeInto } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const KEY = 'sk_env_Q7XZ-never-printed';
let server: TestServer;
let repo: string;

const write = (rel: string, text: string): string => writeInto(repo, rel, text);

before(async () => {
  server = await startTestServer();
  server.routePrefix('GET', '/v1/', (req, res) => json(res, req.headers.authorization === `Bearer ${KEY}` ? 200 : 401, { url: req.url }));
  repo = tempDir('api-notebook-env-');
  mkdirSync(join(repo, '.git'));
  const port = new URL(server.url).port;
  write('environments/staging.yaml', `# the suite's staging
baseUrl: "http://127.0.0.1:\${port}/v1"
vars:
  port: ${port}
  region: eu
inputs:
  apiKey: { env: STAGING_KEY }
  user: alice
`);
  write('environments/relative.yaml', `baseUrl: "\${region}/v1"
vars: { region: eu }
inputs:
  apiKey: { env: STAGING_KEY }
`);
  write('environments/leaky.yaml', `baseUrl: http://127.0.0.1:1/v1
inputs:
  apiKey: ${KEY}
`);
  write('environments/typo.yaml', `baseUrl: http://127.0.0.1:1/v1
varz: { region: eu }
`);
  write('suite/orders/orders.yaml', `title: Orders
inputs:
  apiKey: { env: LOCAL_KEY, secret: true }
  user: { default: bob }
vars:
  region: us
baseUrl: http://127.0.0.1:1/never
auth: { bearer: "\${apiKey}" }
steps:
  - name: List
    request: GET /orders?region=\${region}&user=\${user}
    expect: { status: 200 }
`);
  write('suite/expr.yaml', `title: Expression base
inputs:
  apiBase: { env: API_BASE }
  apiKey: { env: LOCAL_KEY, secret: true }
baseUrl: "\${apiBase}/v1"
auth: { bearer: "\${apiKey}" }
steps:
  - name: Ping
    request: GET /ping
    expect: { status: 200 }
`);
});
after(() => server.close());

const orders = () => join(repo, 'suite/orders/orders.yaml');

describe('--env NAME', () => {
  it('reads environments/NAME.yaml two folders up: its baseUrl (an expression over its vars) beats the notebook\'s, its vars and inputs beat the notebook\'s; every report names it', async () => {
    const out = join(repo, 'out-staging');
    const r = await runCli(['run', orders(), '--env', 'staging', '--out', out], { cwd: repo, env: { STAGING_KEY: KEY } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(server.requests.at(-1)?.url, '/v1/orders?region=eu&user=alice');
    assert.match(r.stdout, /^Environment: staging$/m);
    assert.match(r.stdout, /Passed\. \[environment staging\]/);
    assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY));
    const report = readJson(join(out, 'report.json'));
    assert.equal(report.environment, 'staging');
    assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<property name="environment" value="staging"\/>/);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Environment: `staging`/);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /environment staging/);
  });

  it('--var wins over the environment file; --env-file gives STAGING_KEY, the process environment winning over it', async () => {
    const dotenv = write('staging.env', `STAGING_KEY=${KEY}\n`);
    const r = await runCli(['run', orders(), '--env', 'staging', '--env-file', dotenv, '--var', 'region=ap', '--reporter', 'json', '--out', join(repo, 'out-envfile')], { cwd: repo, env: { STAGING_KEY: undefined } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(server.requests.at(-1)?.url, '/v1/orders?region=ap&user=alice');
    const wrong = write('wrong.env', 'STAGING_KEY=wrong-key-1234\n');
    const won = await runCli(['run', orders(), '--env', 'staging', '--env-file', wrong, '--reporter', 'json', '--out', join(repo, 'out-envfile2')], { cwd: repo, env: { STAGING_KEY: KEY } });
    assert.equal(won.code, 0, 'the process environment\'s STAGING_KEY was used, not the file\'s: ' + won.stdout + won.stderr);
  });

  it('a missing input names its source, at the environment file\'s line (exit 2, nothing sent)', async () => {
    const before = server.requests.length;
    const r = await runCli(['run', orders(), '--env', 'staging', '--out', join(repo, 'out-missing')], { cwd: repo, env: { STAGING_KEY: undefined, LOCAL_KEY: KEY } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /environments\/staging\.yaml:7:3: input `apiKey` has no value; set STAGING_KEY/);
    assert.equal(server.requests.length, before);
  });

  it('a secret written in the environment file is refused at its line, and its value is never printed', async () => {
    const r = await runCli(['run', orders(), '--env', 'leaky', '--out', join(repo, 'out-leaky')], { cwd: repo });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /error: secret input `apiKey` is written in the environment file; a secret may only come from the process environment or a prompt\n --> environments\/leaky\.yaml:3:3/);
    assert.match(r.stderr, /hint: write `apiKey: \{ env: LEAKY_API_KEY \}`/);
  });

  it('an unknown key is located with a hint', async () => {
    const r = await runCli(['validate', orders(), '--env', 'typo'], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown key `varz` in an environment file\n --> environments\/typo\.yaml:2:1[\s\S]*hint: did you mean `vars`\?/);
  });

  it('an unknown environment lists the ones there are', async () => {
    const r = await runCli(['run', orders(), '--env', 'stagin'], { cwd: repo });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--env stagin: no environments\/stagin\.yaml for suite\/orders\/orders\.yaml .*did you mean `staging`\?/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('an environment baseUrl that resolves to a relative URL is an error at its line', async () => {
    const r = await runCli(['run', orders(), '--env', 'relative', '--out', join(repo, 'out-rel')], { cwd: repo, env: { STAGING_KEY: KEY } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /`baseUrl` resolves to "eu\/v1", which is not an absolute http:\/\/ or https:\/\/ URL\n --> environments\/relative\.yaml:1:10/);
  });
});

describe('baseUrl as an expression in the notebook', () => {
  it('is rendered over the inputs once they are known', async () => {
    const r = await runCli(['run', join(repo, 'suite/expr.yaml'), '--reporter', 'json', '--out', join(repo, 'out-expr')], { cwd: repo, env: { API_BASE: server.url, LOCAL_KEY: KEY } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(server.requests.at(-1)?.url, '/v1/ping');
  });

  it('resolving to a relative URL is an error at the notebook\'s baseUrl line', async () => {
    const r = await runCli(['run', join(repo, 'suite/expr.yaml'), '--var', 'apiBase=/api', '--out', join(repo, 'out-expr2')], { cwd: repo, env: { LOCAL_KEY: KEY } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /`baseUrl` resolves to "\/api\/v1", which is not an absolute http:\/\/ or https:\/\/ URL\n --> suite\/expr\.yaml:5:10/);
  });
});

describe('validate --env NAME', () => {
  it('names every input without a value or a source (exit 2), and passes once they have one', async () => {
    const r = await runCli(['validate', orders(), join(repo, 'suite/expr.yaml'), '--env', 'staging'], { cwd: repo, env: { STAGING_KEY: undefined, API_BASE: undefined } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /environments\/staging\.yaml:7:3: input `apiKey` has no value in environment staging; set STAGING_KEY/);
    assert.match(r.stderr, /suite\/expr\.yaml:3:3: input `apiBase` has no value in environment staging; set API_BASE/);
    assert.match(r.stderr, /2 inputs without a value in environment staging/);
    const ok = await runCli(['validate', orders(), join(repo, 'suite/expr.yaml'), '--env', 'staging'], { cwd: repo, env: { STAGING_KEY: KEY, API_BASE: server.url } });
    assert.equal(ok.code, 0, ok.stderr);
  });
});
