/**
 * Retries for flaky steps (`retries:`, `--retries`, `retryDelayMs`, `attempts`, `flaky`) and polling
 * waits (`repeat.intervalMs`, `backoff`, Ctrl-C during the wait).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pollDelay } from '../src/run/wait.js';
import { interruptAfter, readJson, ROOT, runCli, tempDir, writeNotebook } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

const XSD = join(ROOT, 'test', 'fixtures', 'junit', 'JUnit.xsd');
let server: TestServer;
const hits = new Map<string, number[]>();

/** A route that fails (500) its first `failures` calls per key, then answers 200. */
function flakyRoute(method: string, path: string) {
  server.route(method, path, (req, res) => {
    const u = new URL(req.url, 'http://x');
    const key = `${method} ${path} ${u.searchParams.get('key')}`;
    const times = hits.get(key) ?? [];
    times.push(performance.now());
    hits.set(key, times);
    const failures = Number(u.searchParams.get('fail') ?? 1);
    if (times.length <= failures) json(res, 500, { error: 'not yet' });
    else json(res, 200, { ok: true, paid: true });
  });
}

before(async () => {
  server = await startTestServer();
  flakyRoute('GET', '/flaky');
  flakyRoute('POST', '/flaky');
  flakyRoute('GET', '/invoice');
});
after(() => server.close());

const count = (key: string) => hits.get(key)?.length ?? 0;

describe('retries', () => {
  let run: { code: number | null; stdout: string; report: any; out: string };
  const k = `r${Date.now()}`;
  before(async () => {
    const file = writeNotebook(`title: Flaky things
steps:
  - name: Flaky read
    retries: 2
    retryDelayMs: 150
    request: GET /flaky?key=${k}a&fail=2
    expect: { status: 200 }
  - name: A POST is not retried by --retries
    continueOnFailure: true
    request: POST /flaky?key=${k}b&fail=1
    expect: { status: 200 }
  - name: A POST the notebook asked to retry
    retries: 1
    request: POST /flaky?key=${k}c&fail=1
    expect: { status: 200 }
  - name: A read that never recovers
    continueOnFailure: true
    request: GET /flaky?key=${k}d&fail=99
    expect: { status: 200 }
  - name: A read that passes first time
    request: GET /flaky?key=${k}e&fail=0
`);
    const out = tempDir();
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out, '--retries', '3']);
    run = { code: r.code, stdout: r.stdout, out, report: readJson(join(out, 'report.json')) };
  });

  it('retries failures up to the step\'s retries (or --retries for a GET), and marks attempts and flaky', () => {
    const steps = run.report.notebooks[0].steps;
    const by = (name: string) => steps.find((s: any) => s.name === name);
    assert.deepEqual([by('Flaky read').status, by('Flaky read').attempts, by('Flaky read').flaky], ['passed', 3, true]);
    assert.equal(count(`GET /flaky ${k}a`), 3);
    assert.match(by('Flaky read').retried[0].message, /status/);
    const post = by('A POST is not retried by --retries');
    assert.deepEqual([post.status, post.attempts, post.flaky], ['failed', 1, false]);
    assert.equal(count(`POST /flaky ${k}b`), 1, 'a request that may change state was sent once');
    assert.deepEqual([by('A POST the notebook asked to retry').status, by('A POST the notebook asked to retry').attempts], ['passed', 2]);
    assert.equal(count(`POST /flaky ${k}c`), 2);
    const never = by('A read that never recovers');
    assert.deepEqual([never.status, never.attempts, never.flaky], ['failed', 4, false], '--retries 3: four tries in all');
    assert.deepEqual([by('A read that passes first time').attempts, by('A read that passes first time').flaky], [1, false]);
    assert.equal(run.report.summary.flaky, 2);
    assert.equal(run.code, 1);
  });

  it('waits retryDelayMs between tries', () => {
    const t = hits.get(`GET /flaky ${k}a`)!;
    assert.ok(t[1] - t[0] >= 140 && t[2] - t[1] >= 140, `gaps ${t[1] - t[0]} ms, ${t[2] - t[1]} ms`);
  });

  it('the console, JUnit (Ant schema) and HTML show flaky steps', () => {
    assert.match(run.stdout, /✔ Flaky read GET \/flaky\?key=\w+&fail=2 → 200 \d+ ms flaky: passed on attempt 3/);
    assert.match(run.stdout, /✘ A read that never recovers .*\(4 attempts\)/);
    assert.match(run.stdout, /3 passed, 2 failed, 0 errors, 0 skipped, 2 flaky in/);
    const junit = join(run.out, 'junit.xml');
    execFileSync('xmllint', ['--noout', '--schema', XSD, junit], { stdio: 'pipe' });
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<property name="flaky" value="2"\/>/);
    assert.match(xml, /flaky: Flaky read passed on attempt 3/);
    const html = readFileSync(join(run.out, 'report.html'), 'utf8');
    assert.match(html, /data-summary="flaky">2</);
    assert.equal((html.match(/<span class="badge flaky">flaky<\/span>Flaky read/g) ?? []).length, 1);
    assert.match(html, /Flaky: passed on attempt 3/);
  });

  it('rejects retries that are not a count (file:line:col, exit 2)', async () => {
    const file = writeNotebook('title: Bad\nbaseUrl: http://127.0.0.1:9\nsteps:\n  - name: x\n    retries: many\n    request: GET /x\n');
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nb\.yaml:5:/);
  });
});

describe('polling', () => {
  it('backoff: a factor, exponential, linear or constant; an hour at most', () => {
    const waits = (b: Parameters<typeof pollDelay>[1]) => [1, 2, 3, 4].map((n) => pollDelay(500, b, n));
    assert.deepEqual(waits(undefined), [500, 500, 500, 500]);
    assert.deepEqual(waits(3), [500, 1500, 4500, 13500]);
    assert.deepEqual(waits('exponential'), [500, 1000, 2000, 4000]);
    assert.deepEqual(waits('linear'), [500, 1000, 1500, 2000]);
    assert.equal(pollDelay(600_000, 10, 5), 3_600_000);
  });

  it('waits intervalMs between runs, growing by backoff', async () => {
    const k = `p${Date.now()}`;
    const file = writeNotebook(`title: Poll
steps:
  - name: Wait until the invoice is paid
    request: GET /invoice?key=${k}&fail=99
    expect: { status: [200, 500] }
    repeat: { until: "status == 200", max: 3, intervalMs: 100, backoff: 3 }
`);
    const r = await runCli(['run', file, '--base-url', server.url, '--out', tempDir()]);
    assert.equal(r.code, 1, 'still unpaid after repeat.max runs');
    const t = hits.get(`GET /invoice ${k}`)!;
    assert.equal(t.length, 3);
    const gaps = [t[1] - t[0], t[2] - t[1]];
    assert.ok(gaps[0] >= 90, `first wait ${gaps[0]} ms (intervalMs 100)`);
    assert.ok(gaps[1] >= 280, `second wait ${gaps[1]} ms (100 × backoff 3)`);
  });

  it('Ctrl-C ends the wait at once: teardown runs, reports are written, exit 130', async () => {
    const k = `c${Date.now()}`;
    const file = writeNotebook(`title: Long poll
steps:
  - name: Poll slowly
    request: GET /invoice?key=${k}&fail=99
    expect: { status: [200, 500] }
    repeat: { until: "status == 200", max: 5, intervalMs: 60000 }
teardown:
  - name: Clean up
    request: GET /invoice?key=${k}t&fail=0
`);
    const out = tempDir();
    const t0 = performance.now();
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out], { onSpawn: interruptAfter('Poll slowly', 'SIGINT', 300) });
    const took = performance.now() - t0;
    assert.equal(r.code, 130);
    assert.ok(took < 20_000, `exited ${Math.round(took)} ms after start, not after the 60 s wait`);
    const steps = readJson(join(out, 'report.json')).notebooks[0].steps;
    assert.deepEqual(steps.map((s: any) => s.status), ['passed', 'skipped', 'passed']);
    assert.match(steps[1].skipReason, /interrupted while waiting to poll again/);
    assert.equal(count(`GET /invoice ${k}`), 1);
  });
});

