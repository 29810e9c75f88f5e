/**
 * --shard i/n and `api-notebook merge`: three shards run as separate processes of the real bin,
 * split the suite deterministically, and merge into the same steps and summary as an unsharded
 * run; merge rebuilds every report from report.json data only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const STRIPE = 'stripe-2015-07-28.openapi.json';
const XSD = join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd');
let server: TestServer;
let suite: string;
let whole: { out: string; report: any; code: number | null };

function notebook(k: number): string {
  const failing = k % 3 === 0;
  return `title: Suite notebook ${k}
steps:
  - name: Read ${k}
    request: GET /item
    expect: { status: 200, body: { n: ${failing ? 99 : 1} } }
    continueOnFailure: true
  - name: Each of ${k}
    forEach: [a, b]
    request: GET /item?x=\${item}
  - name: Broken JSON ${k}
    if: ${k === 4}
    request: GET /bad-json
`;
}

const shape = (report: any) => ({
  summary: { ...report.summary, durationMs: 0 },
  notebooks: report.notebooks.map((n: any) => ({ file: n.file, status: n.status, steps: n.steps.map((s: any) => [s.name, s.phase, s.status, s.iteration?.index ?? null, s.attempts, s.flaky]) })),
});

before(async () => {
  server = await startTestServer();
  server.route('GET', '/item', (_req, res) => json(res, 200, { n: 1 }));
  suite = tempDir();
  for (let k = 1; k <= 7; k++) writeFileSync(join(suite, `nb-${String(k).padStart(2, '0')}.yaml`), notebook(k));
  const out = tempDir();
  const r = await runCli(['run', suite, '--base-url', server.url, '--out', out, '-q']);
  whole = { out, report: readJson(join(out, 'report.json')), code: r.code };
});
after(() => server.close());

describe('--shard and merge', () => {
  let shards: Array<{ out: string; report: any }>;
  before(async () => {
    const outs = [tempDir(), tempDir(), tempDir()];
    // Separate processes of the real bin, at the same time, as CI machines would.
    const runs = await Promise.all(outs.map((out, i) => runCli(['run', suite, '--base-url', server.url, '--out', out, '--shard', `${i + 1}/3`, '-q'])));
    assert.deepEqual(runs.map((r) => r.code), [1, 0, 1], runs.map((r) => r.stdout + r.stderr).join('\n'));
    shards = outs.map((out) => ({ out, report: readJson(join(out, 'report.json')) }));
  });

  it('splits the suite deterministically and records the shard', async () => {
    const files = shards.map((s) => s.report.notebooks.map((n: any) => n.file.split('/').pop()));
    assert.deepEqual(files, [['nb-01.yaml', 'nb-04.yaml', 'nb-07.yaml'], ['nb-02.yaml', 'nb-05.yaml'], ['nb-03.yaml', 'nb-06.yaml']]);
    shards.forEach((s, i) => assert.deepEqual(s.report.shard, { index: i + 1, total: 3, suiteNotebooks: 7 }));
    // The same split from another working directory and another order of the paths.
    const again = tempDir();
    const r = await runCli(['run', join(suite, 'nb-07.yaml'), join(suite, 'nb-01.yaml'), join(suite, 'nb-04.yaml'), '--base-url', server.url, '--out', again, '--shard', '1/2', '-q'], { cwd: suite });
    assert.deepEqual(readJson(join(again, 'report.json')).notebooks.map((n: any) => n.file), ['nb-01.yaml', 'nb-07.yaml']);
    assert.ok(r.code === 0 || r.code === 1);
  });

  it('merging the three shards gives the steps and summary of the unsharded run, in every report', async () => {
    const out = tempDir();
    // Garbage in the shards' other reports: merge must rebuild from report.json data alone.
    for (const s of shards) for (const f of ['junit.xml', 'report.html', 'report.md']) writeFileSync(join(s.out, f), 'not a report');
    const r = await runCli(['merge', shards[2].out, join(shards[0].out, 'report.json'), shards[1].out, '--out', out]);
    assert.equal(r.code, 1, 'a failing step still fails the merged run');
    const merged = readJson(join(out, 'report.json'));
    assert.deepEqual(shape(merged), shape(whole.report));
    assert.equal(merged.merged.reports, 3);
    assert.match(r.stdout, new RegExp(`Failed\\. \\(merged from 3 reports\\) 7 notebooks, ${whole.report.summary.steps} steps: ${whole.report.summary.passed} passed, ${whole.report.summary.failed} failed, 1 error`));
    assert.match(r.stdout, /✘ Read 3 GET \/item → 200/, 'the console shows the failures');

    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const wholeJunit = readFileSync(join(whole.out, 'junit.xml'), 'utf8');
    const cases = (x: string) => [...x.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(cases(junit), cases(wholeJunit));
    execFileSync('xmllint', ['--noout', '--schema', XSD, join(out, 'junit.xml')], { stdio: 'pipe' });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, new RegExp(`data-summary="steps">${whole.report.summary.steps}<`));
    assert.equal((html.match(/<section class="step /g) ?? []).length, whole.report.summary.steps);
    assert.ok(readFileSync(join(out, 'report.md'), 'utf8').includes(`| 7 | ${whole.report.summary.steps} | ${whole.report.summary.passed} |`));
    assert.deepEqual(readdirSync(out).sort(), ['junit.xml', 'report.html', 'report.json', 'report.md'], 'no temp files left');
  });

  it('says which shard is missing, and refuses what is not a report (exit 2, no stack trace)', async () => {
    const out = tempDir();
    const r = await runCli(['merge', shards[0].out, shards[1].out, '--out', out, '-q']);
    assert.match(r.stderr, /warning: shard 3\/3 missing; the merged report covers 2 of 3 shards/);
    assert.equal(readJson(join(out, 'report.json')).summary.notebooks, 5);

    const bad = tempDir();
    writeFileSync(join(bad, 'report.json'), '{"hello": 1}');
    const r2 = await runCli(['merge', bad, '--out', tempDir()]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /not an api-notebook report\.json/);
    assert.doesNotMatch(r2.stderr, /\n\s+at /);
    const r3 = await runCli(['merge', join(bad, 'nope'), '--out', tempDir()]);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /no such report folder or file/);
    const r4 = await runCli(['run', suite, '--shard', '4/3']);
    assert.equal(r4.code, 2);
    assert.match(r4.stderr, /--shard takes i\/n with 1 ≤ i ≤ n/);
  });

  it('reads a report.json laid out by another tool (re-indented) the same way', async () => {
    const copy = tempDir();
    writeFileSync(join(copy, 'report.json'), JSON.stringify(shards[0].report, null, 4));
    const out = tempDir();
    await runCli(['merge', copy, '--out', out, '-q']);
    assert.deepEqual(shape(readJson(join(out, 'report.json'))).notebooks, shape(shards[0].report).notebooks);
  });
});

describe('merge and OpenAPI coverage', () => {
  it('the merged coverage of the shipped notebooks is the unsharded run\'s (union of operations, statuses counted across shards)', async () => {
    const [whole, one, two] = [tempDir(), tempDir(), tempDir()];
    const runs = await Promise.all([
      runCli(['run', 'notebooks', '--out', whole, '-q']),
      runCli(['run', 'notebooks', '--out', one, '-q', '--shard', '1/2']),
      runCli(['run', 'notebooks', '--out', two, '-q', '--shard', '2/2']),
    ]);
    assert.deepEqual(runs.map((r) => r.code), [0, 0, 0], runs.map((r) => r.stderr).join('\n'));
    const out = tempDir();
    const m = await runCli(['merge', one, two, '--out', out]);
    assert.equal(m.code, 0, m.stderr);
    const expected = readJson(join(whole, 'report.json')).coverage;
    const merged = readJson(join(out, 'report.json')).coverage;
    const parts = [readJson(join(one, 'report.json')).coverage, readJson(join(two, 'report.json')).coverage];
    assert.ok(parts.every((p) => p.percent < expected.percent), 'each shard alone covers less');
    const ops = (c: any) => c.operations.map((o: any) => [o.method, o.path, o.exercised, o.seen]).sort();
    assert.equal(merged.percent, expected.percent);
    assert.deepEqual(ops(merged), ops(expected));
    assert.match(m.stdout, new RegExp(`OpenAPI coverage of .*: \\d+ of \\d+ operations \\(${expected.percent}%\\)`));
    // Response coverage too: the same documented responses seen, though each shard alone sees fewer.
    assert.ok(expected.responses.seen > 0);
    assert.deepEqual(merged.responses, expected.responses);
    assert.ok(parts.every((p) => p.responses.seen < expected.responses.seen), 'each shard alone sees fewer responses');

    // `api-notebook coverage` over the two shards prints the unsharded run's line, and its table.
    const c = await runCli(['coverage', `schemas/${STRIPE}`, one, join(two, 'report.json')]);
    assert.equal(c.code, 0, c.stderr);
    const line = `OpenAPI coverage of schemas/${STRIPE}: ${expected.operations.filter((o: any) => o.exercised).length} of ${expected.operations.length} operations (${expected.percent}%), ` +
      `${expected.responses.seen} of ${expected.responses.documented} documented responses (${expected.responses.percent}%)`;
    assert.ok(c.stdout.includes(line), c.stdout.slice(-400));
    const whole_ = await runCli(['coverage', `schemas/${STRIPE}`, whole]);
    assert.equal(whole_.stdout, c.stdout, 'the table of the shards is the table of the whole run');
    assert.match(c.stdout, /^✔ +POST \/v1\/customers +200, 400, 401, 402, 404, 413 +200 ×\d+.* +\d of 6$/m);
    assert.match(c.stdout, /^✘ +GET \/v1\/tokens\/\{token\} +200, 400, 401, 404 +— +0 of 4$/m);
    // Below a minimum: exit 1, said plainly.
    const gate = await runCli(['coverage', `schemas/${STRIPE}`, one, two, '--coverage-min-responses', '99']);
    assert.equal(gate.code, 1);
    assert.match(gate.stderr, /Failed: response coverage of schemas\/stripe-2015-07-28\.openapi\.json is [\d.]+%, below --coverage-min-responses 99%/);
  });

  it('`coverage` refuses what it cannot read: exit 2, one clear line, no stack trace', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), '{"tool": 5}\n');
    const cases: Array<[string[], RegExp]> = [
      [['coverage', `schemas/${STRIPE}`], /`coverage` takes a description and at least one report/],
      [['coverage', `schemas/${STRIPE}`, join(dir, 'nothing')], /no such report folder or file: .*nothing/],
      [['coverage', `schemas/${STRIPE}`, dir], /report\.json/],
      [['coverage', join(dir, 'missing.yaml'), dir], /missing\.yaml/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const help = await runCli(['help']);
    assert.match(help.stdout, /api-notebook coverage <description> <report dirs or report\.json files…>/);
    const own = await runCli(['coverage', '--help']);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /--coverage-min-responses N/);
  });
});
