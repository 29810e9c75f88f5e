/**
 * Issue 23's acceptance suite, as a team keeps one: 30 notebooks using one shared login notebook
 * (`use: ../common/login.yaml`), two environments (environments/local.yaml and staging.yaml, picked
 * with --env), and a 50-row CSV every notebook loops over (`forEach: ${data('cases.csv')}`), against
 * a server that issues and checks tokens. Through the real bin: green under --jobs 4, green in two
 * shards, and `merge` of the shards rebuilds the unsharded report; the login runs once per notebook
 * and its teardown once per use, in either environment.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir, writeInto } from './helpers/cli.js';
import { LOGIN, startTokenServer, type TokenServer } from './helpers/token-server.js';

const NOTEBOOKS = 30;
const ROWS = 50;
const ids = Array.from({ length: NOTEBOOKS }, (_, i) => String(i + 1).padStart(2, '0'));

const notebook = (id: string) => `title: Orders ${id}
steps:
  - use: ../common/login.yaml
    with: { user: "u${id}" }
  - name: Order
    forEach: \${data('cases.csv')}
    as: row
    request:
      method: GET
      path: /orders/\${row.sku}?qty=\${row.qty}
      headers: { Authorization: "Bearer \${token}" }
    expect: { status: 200, body: { path: "/orders/\${row.sku}" } }
`;

const CSV = ['sku,qty', ...Array.from({ length: ROWS }, (_, i) => `SKU-${i + 1},${i % 7}`)].join('\n') + '\n';

/** report.json without what differs between two runs of the same suite: timings, dates, run ids (a run id is unique per run), the shard and merge records, token serials. */
function comparable(report: any): unknown {
  const strip = (v: any): any => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== 'object') return typeof v === 'string' ? v.replace(/tok-(u\d+)-\d+/g, 'tok-$1') : v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => !/(ms|At|date|time|duration|shard|merged|runId)$/i.test(k)).map(([k, x]) => [k, strip(x)]));
  };
  return strip(report);
}

describe('a suite of 30 notebooks with a shared login, 2 environments and a 50-row CSV', () => {
  let srv: TokenServer;
  let repo: string;
  let whole: { out: string; report: any };
  const run = (args: string[]) => runCli(['run', 'suite', '-q', ...args], { cwd: repo });

  before(async () => {
    srv = await startTokenServer();
    repo = tempDir('api-notebook-suite-');
    mkdirSync(join(repo, '.git'));
    writeInto(repo, 'common/login.yaml', LOGIN);
    writeInto(repo, 'suite/cases.csv', CSV);
    for (const id of ids) writeInto(repo, `suite/orders-${id}.yaml`, notebook(id));
    writeInto(repo, 'environments/local.yaml', `baseUrl: ${srv.url}/local\n`);
    // staging's base URL is an expression over its vars, as the docs show.
    writeInto(repo, 'environments/staging.yaml', `baseUrl: "\${origin}/staging"\nvars:\n  origin: ${srv.url}\n`);
  });
  after(() => srv.close());

  /** Each notebook logged in once as its own user, and that token was revoked once, under `prefix`. */
  function assertOneLoginPerNotebook(events: string[], prefix: string) {
    const logins = events.filter((e) => e.startsWith('login '));
    const logouts = events.filter((e) => e.startsWith('logout '));
    assert.equal(logins.length, NOTEBOOKS, events.join('\n'));
    assert.deepEqual(logins.map((e) => e.split(' ')[1].replace(/-\d+$/, '')).sort(), ids.map((id) => `tok-u${id}`));
    assert.deepEqual(logouts.map((e) => e.replace('logout ', 'login ')).sort(), [...logins].sort(), 'every token revoked once, none twice');
    assert.ok(events.every((e) => e.endsWith(` ${prefix}`)), `every login under ${prefix}`);
  }

  it('runs green under --jobs 4 with --env local: the login once per notebook, its teardown once per use', async () => {
    srv.events.length = 0;
    const out = join(repo, 'out-whole');
    const started = Date.now();
    const r = await run(['--env', 'local', '--jobs', '4', '--out', out]);
    console.log(`# whole suite, --jobs 4: ${Date.now() - started} ms`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertOneLoginPerNotebook(srv.events, '/local');
    const report = readJson(join(out, 'report.json'));
    whole = { out, report };
    assert.equal(report.environment, 'local');
    assert.equal(report.notebooks.length, NOTEBOOKS);
    assert.equal(report.summary.failed + report.summary.errors, 0);
    for (const nb of report.notebooks) {
      const names = nb.steps.map((s: any) => s.name);
      assert.equal(names.filter((n: string) => n === 'Login › Request a token').length, 1);
      assert.equal(names.filter((n: string) => n === 'Login › Revoke the token').length, 1);
      assert.equal(names.filter((n: string) => n === 'Order').length, ROWS, 'one entry per CSV row');
      assert.equal(nb.steps.at(-1).name, 'Login › Revoke the token');
      assert.equal(nb.steps.at(-1).span.file, 'common/login.yaml');
    }
    assert.equal(srv.events.length, 2 * NOTEBOOKS);
  });

  it('runs green in two shards, and merge rebuilds the unsharded report', async () => {
    assert.ok(whole, 'the unsharded run ran');
    srv.events.length = 0;
    const outs = [join(repo, 'out-shard-1'), join(repo, 'out-shard-2')];
    // Separate processes of the real bin at the same time, as two CI machines would.
    const runs = await Promise.all(outs.map((out, i) => run(['--env', 'local', '--jobs', '2', '--shard', `${i + 1}/2`, '--out', out])));
    assert.deepEqual(runs.map((r) => r.code), [0, 0], runs.map((r) => r.stdout + r.stderr).join('\n'));
    assertOneLoginPerNotebook(srv.events, '/local');
    const parts = outs.map((out) => readJson(join(out, 'report.json')));
    assert.deepEqual(parts.map((p) => p.notebooks.length).reduce((a, b) => a + b), NOTEBOOKS);
    assert.ok(parts.every((p) => p.notebooks.length > 0), 'both shards have notebooks');

    const merged = join(repo, 'out-merged');
    const m = await runCli(['merge', ...outs, '--out', merged, '-q'], { cwd: repo });
    assert.equal(m.code, 0, m.stdout + m.stderr);
    const report = readJson(join(merged, 'report.json'));
    assert.equal(report.merged.reports, 2);
    assert.deepEqual(comparable(report), comparable(whole.report));
    const cases = (dir: string) => [...readFileSync(join(dir, 'junit.xml'), 'utf8').matchAll(/<testcase name="([^"]*)"/g)].map((x) => x[1]);
    assert.deepEqual(cases(merged), cases(whole.out));
  });

  it('runs green with --env staging: every request under staging\'s base URL', async () => {
    srv.events.length = 0;
    const before = srv.requests;
    const out = join(repo, 'out-staging');
    const r = await run(['--env', 'staging', '--jobs', '4', '--out', out]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertOneLoginPerNotebook(srv.events, '/staging');
    assert.equal(srv.requests - before, NOTEBOOKS * (ROWS + 2));
    assert.equal(readJson(join(out, 'report.json')).environment, 'staging');
  });
});
