/**
 * Shared steps (`use:`) through the real bin, against a server that issues tokens at POST /login,
 * checks `Authorization: Bearer` on /orders, and revokes a token at DELETE /login.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir, writeInto } from './helpers/cli.js';
import { LOGIN, startTokenServer, type TokenServer } from './helpers/token-server.js';

const orders = (n: number) => `title: Orders ${n}
steps:
  - use: ../common/login.yaml
    with: { user: "user${n}" }
  - name: List orders
    request:
      method: GET
      path: /orders
      headers: { Authorization: "Bearer \${token}" }
    expect: { status: 200 }
`;

describe('use: shared steps', () => {
  let srv: TokenServer;
  let repo: string;
  before(async () => {
    srv = await startTokenServer();
    repo = tempDir('api-notebook-use-');
    mkdirSync(join(repo, '.git'));
    writeInto(repo, 'common/login.yaml', LOGIN);
    for (const n of [1, 2, 3]) writeInto(repo, `suite/orders${n}.yaml`, orders(n));
  });
  after(() => srv.close());

  it('runs the login in three notebooks, its teardown once per use, and reports the used steps under the use', async () => {
    srv.events.length = 0;
    const out = join(repo, 'out');
    const r = await runCli(['run', ...[1, 2, 3].map((n) => join(repo, `suite/orders${n}.yaml`)), '--base-url', srv.url, '--out', out], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(srv.events.filter((e) => e.startsWith('login')).length, 3);
    assert.equal(srv.events.filter((e) => e.startsWith('logout')).length, 3);
    for (const n of [1, 2, 3]) assert.ok(srv.events.some((e) => e.startsWith(`logout tok-user${n}-`)), srv.events.join('\n'));
    assert.match(r.stdout, /Login › Request a token/);
    const report = readJson(join(out, 'report.json'));
    const steps = report.notebooks[0].steps;
    const used = steps.find((s: any) => s.name === 'Login › Request a token');
    assert.ok(used, JSON.stringify(steps.map((s: any) => s.name)));
    assert.deepEqual(used.used, { name: 'Login', file: 'suite/orders1.yaml', line: 3 });
    assert.equal(used.span.file, 'common/login.yaml');
    assert.equal(used.span.line, 5);
    assert.ok(steps.some((s: any) => s.name === 'Login › Revoke the token' && s.phase === 'teardown' && s.status === 'passed'));
    const files = readdirSync(out);
    const junit = readFileSync(join(out, files.find((f) => f.endsWith('.xml'))!), 'utf8');
    assert.match(junit, /Login › Request a token/);
  });

  it('runs the teardowns of several uses last use first, after the notebook\'s own', async () => {
    srv.events.length = 0;
    const file = writeInto(repo, 'suite/two.yaml', `title: Two logins
steps:
  - use: ../common/login.yaml
    name: First
    with: { user: first }
  - use: ../common/login.yaml
    name: Second
    with: { user: second }
teardown:
  - name: Own teardown
    request: GET /orders
    headers: {}
    expect: { status: 401 }
`.replace('    headers: {}\n', ''));
    const r = await runCli(['run', file, '--base-url', srv.url, '--reporter', 'json', '--out', join(repo, 'out-two')], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(srv.events.map((e) => e.replace(/-\d+$/, '')), ['login tok-first', 'login tok-second', 'logout tok-second', 'logout tok-first']);
    const names = readJson(join(repo, 'out-two', 'report.json')).notebooks[0].steps.map((s: any) => s.name);
    assert.deepEqual(names, ['First › Request a token', 'Second › Request a token', 'Own teardown', 'Second › Revoke the token', 'First › Revoke the token']);
  });

  it('fails a step that sends a wrong token', async () => {
    const file = writeInto(repo, 'suite/wrong.yaml', `title: Wrong token
steps:
  - use: ../common/login.yaml
  - name: List orders
    request:
      method: GET
      path: /orders
      headers: { Authorization: "Bearer \${token}x" }
    expect: { status: 200 }
`);
    const r = await runCli(['run', file, '--base-url', srv.url, '--reporter', 'json', '--out', join(repo, 'out-wrong')], { cwd: repo });
    assert.equal(r.code, 1, r.stdout + r.stderr);
  });

  it('runs a use per forEach item, with the item in `with`, and skips it when `if` is false', async () => {
    srv.events.length = 0;
    const file = writeInto(repo, 'suite/each.yaml', `title: Each
steps:
  - use: ../common/login.yaml
    forEach: [ann, bob]
    as: who
    with: { user: "\${who}" }
  - use: ../common/login.yaml
    name: Never
    if: false
`);
    const r = await runCli(['run', file, '--base-url', srv.url, '--reporter', 'json', '--out', join(repo, 'out-each')], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(srv.events.map((e) => e.replace(/-\d+$/, '')), ['login tok-ann', 'login tok-bob', 'logout tok-bob', 'logout tok-ann']);
    const steps = readJson(join(repo, 'out-each', 'report.json')).notebooks[0].steps;
    assert.ok(steps.some((s: any) => s.name === 'Never' && s.status === 'skipped'));
  });

  it('refuses a cycle at load time with the chain, exit 2', async () => {
    writeInto(repo, 'cycle/a.yaml', 'title: A\nsteps:\n  - use: b.yaml\n');
    writeInto(repo, 'cycle/b.yaml', 'title: B\nsteps:\n  - use: a.yaml\n');
    const r = await runCli(['validate', join(repo, 'cycle/a.yaml')], { cwd: repo });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cycle: cycle\/a\.yaml → cycle\/b\.yaml → cycle\/a\.yaml/);
    assert.match(r.stderr, /used from cycle\/a\.yaml:3:\d+/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  it('locates a problem inside a used file at its own line, with the chain, and a missing file at the use', async () => {
    writeInto(repo, 'broken/shared.yaml', 'title: Broken\nsteps:\n  - name: x\n    assert: ["nope == 1"]\n');
    writeInto(repo, 'broken/user.yaml', 'title: User\nsteps:\n  - name: first\n    assert: ["true"]\n  - use: shared.yaml\n  - use: missing.yaml\n');
    const r = await runCli(['validate', join(repo, 'broken/user.yaml')], { cwd: repo });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /broken\/shared\.yaml:4:\d+/);
    assert.match(r.stderr, /used from broken\/user\.yaml:5:\d+/);
    assert.match(r.stderr, /used notebook not found: missing\.yaml/);
    assert.match(r.stderr, /broken\/user\.yaml:6:\d+/);
  });

  it('a broken used file is its own problem, not one more for each later step reading its captures', async () => {
    writeInto(repo, 'cascade/login.yaml', 'title: Login\nsteps:\n  - name: Request a token\n    request: POST /login\n    capture: { token: body.tokn }\n    assert: ["nope == 1"]\n');
    const file = writeInto(repo, 'cascade/user.yaml', 'title: User\nsteps:\n  - use: login.yaml\n  - name: a\n    request: GET /orders/${token}\n  - name: b\n    request: GET /orders/${token}\n');
    const r = await runCli(['validate', file], { cwd: repo });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cascade\/login\.yaml:6:\d+/);
    assert.doesNotMatch(r.stderr, /`token` is used before anything defines it/);
    // The use says its file is broken, then the file says where: two, whatever follows.
    assert.match(r.stderr, /^2 problems found; nothing was sent\.$/m);
  });

  it('says a required input of the used notebook without a value at the use step', async () => {
    writeInto(repo, 'inputs/need.yaml', 'title: Need\ninputs:\n  apiKey: { env: USE_TEST_KEY }\nsteps:\n  - name: x\n    assert: ["apiKey != null"]\n');
    const file = writeInto(repo, 'inputs/user.yaml', 'title: User\nsteps:\n  - use: need.yaml\n');
    const r = await runCli(['run', file, '--base-url', srv.url, '--reporter', 'json', '--out', join(repo, 'out-in')], { cwd: repo, env: { USE_TEST_KEY: undefined } });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /inputs\/user\.yaml:3:\d+: input `apiKey` has no value/);
  });
});
