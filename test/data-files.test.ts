/**
 * Issue 23 §3: `data('cases.csv')` in expressions (CSV typed by column, JSON, YAML; relative to
 * the notebook; under the file rule), `forEach` over its rows, `run --data FILE` (one notebook
 * entry per row, with --jobs, --shard and merge), `--var-json`. Through the real bin against a
 * server on 127.0.0.1; broken data files are located inside the data file.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, runCli, tempDir, writeInto } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let repo: string;

const write = (rel: string, text: string): string => writeInto(repo, rel, text);

before(async () => {
  server = await startTestServer();
  server.routePrefix('GET', '/items/', (req, res) => json(res, req.url?.includes('fail') ? 500 : 200, { url: req.url }));
  repo = tempDir('api-notebook-data-');
  mkdirSync(join(repo, '.git'));
  // zip 007 stays text (a leading zero is not "written as a number"); qty is a number column.
  write('cases.csv', 'sku,qty,zip\nA-1,2,007\n"B,2",10,12345\nC-3,,99\n');
  write('cases.json', '[{"sku": "J-1", "qty": 1, "zip": 7}]');
  write('cases.yaml', '- { sku: Y-1, qty: 5, zip: "08" }\n');
  write('rows.csv', 'sku,qty\nA-1,2\n"B,2",10\nC-3,0\n');
  write('bad.csv', 'sku,qty\nA-1,2\nB-2,3,4\n');
  write('bad.json', '[{"sku": "J-1",\n  "qty": }]');
  for (const [name, file] of [['csv', 'cases.csv'], ['json', 'cases.json'], ['yaml', 'cases.yaml'], ['badcsv', 'bad.csv'], ['badjson', 'bad.json']]) {
    write(`suite/${name}.yaml`, `title: ${name}
steps:
  - name: Item
    forEach: \${data('../${file}')}
    as: row
    request: "GET /items/\${row.sku}?next=\${row.qty == null ? 0 : row.qty + 1}&zip=\${row.zip}"
    expect: { status: 200 }
`);
  }
  write('suite/outside.yaml', `title: outside
steps:
  - name: Item
    forEach: \${data('/etc/passwd.csv')}
    request: GET /items/x
`);
  write('rows/orders.yaml', `title: Orders
inputs:
  limit: { default: 1 }
steps:
  - name: Get
    request: GET /items/\${sku}?qty=\${qty * 2}&limit=\${limit + 1}
    expect: { status: 200 }
`);
  write('rows/refunds.yaml', `title: Refunds
steps:
  - name: Get
    request: GET /items/refund-\${sku}
    expect: { status: 200 }
`);
});
after(() => server.close());

const urls = (n: number) => server.requests.slice(-n).map((r) => r.url);

describe("data('…') in expressions", () => {
  it('forEach over a CSV: one iteration per row, numbers only in a column written as numbers, each iteration its own report entry', async () => {
    const out = join(repo, 'out-csv');
    const r = await runCli(['run', join(repo, 'suite/csv.yaml'), '--base-url', server.url, '--out', out], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(urls(3), ['/items/A-1?next=3&zip=007', '/items/B,2?next=11&zip=12345', '/items/C-3?next=0&zip=99']);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.equal(steps.length, 3);
    assert.deepEqual(steps.map((s: any) => s.iteration.index), [0, 1, 2]);
    assert.deepEqual(steps.map((s: any) => s.iteration.item), [{ sku: 'A-1', qty: 2, zip: '007' }, { sku: 'B,2', qty: 10, zip: '12345' }, { sku: 'C-3', qty: null, zip: '99' }], 'qty is a number column (its empty cell null); zip stays text: 007 is not written as a number');
  });

  it('JSON and YAML data files', async () => {
    const r = await runCli(['run', join(repo, 'suite/json.yaml'), join(repo, 'suite/yaml.yaml'), '--base-url', server.url, '--reporter', 'json', '--out', join(repo, 'out-jy')], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(urls(2), ['/items/J-1?next=2&zip=7', '/items/Y-1?next=6&zip=08']);
  });

  it('a CSV row with an extra field is located in the data file at line:col, from validate too', async () => {
    const r = await runCli(['validate', join(repo, 'suite/badcsv.yaml')], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error: this row has a different number of fields than the header row \(2\)\n --> bad\.csv:3:7\n  \|\n3 \| B-2,3,4\n  \|       \^/);
    assert.match(r.stderr, /read by data\('\.\.\/bad\.csv'\) at suite\/badcsv\.yaml:4:14/);
  });

  it('broken JSON is located where it breaks', async () => {
    const r = await runCli(['validate', join(repo, 'suite/badjson.yaml')], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the data file is not valid JSON here\n --> bad\.json:2:10/);
  });

  it('a data file outside the repository is refused by the file rule, at the expression', async () => {
    const r = await runCli(['validate', join(repo, 'suite/outside.yaml')], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the data file `\/etc\/passwd\.csv` is outside the notebook's repository[\s\S]*--> suite\/outside\.yaml:4:14/);
  });
});

describe('run --data FILE', () => {
  it('runs each notebook once per row, the row\'s fields as vars, each a notebook entry `Title [row i/n]`; --var-json gives a typed value', async () => {
    const out = join(repo, 'out-rows');
    const r = await runCli(['run', join(repo, 'rows'), '--data', join(repo, 'rows.csv'), '--var-json', 'limit=41', '--base-url', server.url, '--jobs', '2', '--out', out], { cwd: repo });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = readJson(join(out, 'report.json'));
    assert.deepEqual(report.notebooks.map((n: any) => n.title), ['Orders [row 1/3]', 'Orders [row 2/3]', 'Orders [row 3/3]', 'Refunds [row 1/3]', 'Refunds [row 2/3]', 'Refunds [row 3/3]']);
    const sent = server.requests.slice(-6).map((q) => q.url).sort();
    assert.deepEqual(sent, ['/items/A-1?qty=4&limit=42', '/items/B,2?qty=20&limit=42', '/items/C-3?qty=0&limit=42', '/items/refund-A-1', '/items/refund-B,2', '/items/refund-C-3'].sort());
  });

  it('with --shard, merge rebuilds the unsharded report', async () => {
    const args = (i: number) => ['run', join(repo, 'rows'), '--data', join(repo, 'rows.csv'), '--base-url', server.url, '--shard', `${i}/2`, '--reporter', 'json', '--out', join(repo, `out-shard-${i}`)];
    for (const i of [1, 2]) assert.equal((await runCli(args(i), { cwd: repo })).code, 0);
    const m = await runCli(['merge', join(repo, 'out-shard-1'), join(repo, 'out-shard-2'), '--out', join(repo, 'out-merged'), '--reporter', 'json'], { cwd: repo });
    assert.equal(m.code, 0, m.stderr);
    const merged = readJson(join(repo, 'out-merged', 'report.json'));
    assert.deepEqual(merged.notebooks.map((n: any) => n.title), ['Orders [row 1/3]', 'Orders [row 2/3]', 'Orders [row 3/3]', 'Refunds [row 1/3]', 'Refunds [row 2/3]', 'Refunds [row 3/3]']);
    assert.equal(merged.summary.passed, 6);
  });

  it('a bad --data file is located (exit 2, nothing sent); bad --var-json is a clear error', async () => {
    const before = server.requests.length;
    const r = await runCli(['run', join(repo, 'rows'), '--data', join(repo, 'bad.csv'), '--base-url', server.url], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--> bad\.csv:3:7/);
    const j = await runCli(['run', join(repo, 'rows'), '--var-json', 'limit={', '--base-url', server.url], { cwd: repo });
    assert.equal(j.code, 2);
    assert.match(j.stderr, /^error: --var-json limit=…: not JSON \(/m);
    assert.equal(server.requests.length, before);
  });
});
