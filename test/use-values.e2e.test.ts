/**
 * Which value a used notebook sees, through the real bin: `with:` > the command line (--var,
 * --var-json, --var-file) > the used notebook's own `vars:` and defaults. The token server records
 * the prefix of each login's path (`/staging/login`), so a test can tell which value a var had.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir, writeInto } from './helpers/cli.js';
import { startTokenServer, type TokenServer } from './helpers/token-server.js';

const LOGIN_WITH_VARS = `title: Login
inputs:
  user: { default: alice }
vars:
  prefix: ""
  loginPath: "\${prefix}/login"
steps:
  - name: Request a token
    request:
      method: POST
      path: \${loginPath}
      json: { user: "\${user}" }
    expect: { status: 200 }
    capture:
      token: body.token
`;

describe('use: values a used notebook sees', () => {
  let srv: TokenServer;
  let repo: string;
  before(async () => {
    srv = await startTokenServer();
    repo = tempDir('api-notebook-use-values-');
    mkdirSync(join(repo, '.git'));
    writeInto(repo, 'common/login.yaml', LOGIN_WITH_VARS);
    writeInto(repo, 'suite/pinned.yaml', 'title: Pinned\nsteps:\n  - use: ../common/login.yaml\n    with: { user: bot }\n');
    writeInto(repo, 'suite/open.yaml', 'title: Open\nsteps:\n  - use: ../common/login.yaml\n');
  });
  after(() => srv.close());

  const run = (file: string, ...args: string[]) => runCli(['run', join(repo, file), '--base-url', srv.url, '--reporter', 'json', '--out', join(repo, 'out'), ...args], { cwd: repo });

  it('--var overrides a var of the used notebook, and the vars after it see the new value', async () => {
    srv.events.length = 0;
    const r = await run('suite/pinned.yaml', '--var', 'prefix=/staging');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(srv.events.map((e) => e.replace(/-\d+/, '')), ['login tok-bot /staging']);
  });

  it('--var-json and --var-file reach a used notebook\'s vars too', async () => {
    srv.events.length = 0;
    const r = await run('suite/pinned.yaml', '--var-json', 'loginPath="/local/login"');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const file = writeInto(repo, 'vars.env', 'prefix=/staging\n');
    const r2 = await run('suite/pinned.yaml', '--var-file', file);
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.deepEqual(srv.events.map((e) => e.replace(/-\d+/, '')), ['login tok-bot /local', 'login tok-bot /staging']);
  });

  it('`with:` beats --var for the input it fills; --var fills an input `with:` leaves open', async () => {
    srv.events.length = 0;
    const pinned = await run('suite/pinned.yaml', '--var', 'user=cli');
    assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
    const open = await run('suite/open.yaml', '--var', 'user=cli');
    assert.equal(open.code, 0, open.stdout + open.stderr);
    const dflt = await run('suite/open.yaml');
    assert.equal(dflt.code, 0, dflt.stdout + dflt.stderr);
    assert.deepEqual(srv.events.map((e) => e.replace(/-\d+/, '')), ['login tok-bot', 'login tok-cli', 'login tok-alice']);
  });

  it('a misspelt --var is still refused, pointing at the used notebook\'s var it most likely meant', async () => {
    const r = await run('suite/pinned.yaml', '--var', 'prefx=/staging');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /`--var prefx=…` sets nothing/);
    assert.match(r.stderr, /--> common\/login\.yaml:5:3\n.*\n5 \|   prefix: ""/);
    assert.match(r.stderr, /did you mean `prefix`/);
  });

  it('a use with forEach is one group per item in every report, named with the item (`Login [2/3] › …`)', async () => {
    writeInto(repo, 'suite/each.yaml', 'title: Each\nsteps:\n  - use: ../common/login.yaml\n    forEach: ["a", "b", "c"]\n    as: who\n    with: { user: "${who}" }\n');
    const out = join(repo, 'out-each');
    const r = await runCli(['run', join(repo, 'suite/each.yaml'), '--base-url', srv.url, '--out', out], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const k of [1, 2, 3]) assert.match(r.stdout, new RegExp(`\\n {2}▸ use Login \\[${k}/3\\] \\(suite/each\\.yaml:3\\)\\n {4}✔ Login \\[${k}/3\\] › Request a token`));
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    const cases = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(cases, [1, 2, 3].map((k) => [`Login [${k}/3] › Request a token`, `Each › Login [${k}/3]`]));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.deepEqual([...html.matchAll(/<details class="use"[^>]*data-use="([^"]*)"/g)].map((m) => m[1]), ['Login [1/3]', 'Login [2/3]', 'Login [3/3]']);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.equal((md.match(/\*\*▸ Use: Login \\\[\d\/3\\\]\*\*/g) ?? []).length, 3, md);
  });
});
