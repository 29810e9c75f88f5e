/**
 * Retries for flaky steps (`retries:`, `--retries`, `retryDelayMs`, `attempts`, `flaky`), polling
 * waits (`repeat.intervalMs`, `backoff`, Ctrl-C during the wait), GitHub annotations, and --baseline.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { annotation } from '../src/report/github.js';
import type { StepResult } from '../src/run/results.js';
import { interruptAfter, readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
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

function write(text: string): string {
  const dir = tempDir();
  const file = join(dir, 'nb.yaml');
  writeFileSync(file, text);
  return file;
}

const count = (key: string) => hits.get(key)?.length ?? 0;

describe('retries', () => {
  let run: { code: number | null; stdout: string; report: any; out: string };
  const k = `r${Date.now()}`;
  before(async () => {
    const file = write(`title: Flaky things
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
    const file = write('title: Bad\nbaseUrl: http://127.0.0.1:9\nsteps:\n  - name: x\n    retries: many\n    request: GET /x\n');
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nb\.yaml:5:/);
  });
});

describe('polling', () => {
  it('waits intervalMs between runs, growing by backoff', async () => {
    const k = `p${Date.now()}`;
    const file = write(`title: Poll
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
    const file = write(`title: Long poll
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

describe('GitHub Actions annotations', () => {
  const nb = `title: Annotated
steps:
  - name: Wrong status
    continueOnFailure: true
    request: GET /flaky?key=gh&fail=99
    expect:
      status: 200
  - name: Refused
    request: GET http://127.0.0.1:9/nothing
`;
  it('with GITHUB_ACTIONS=true, each failed or errored step prints ::error file=,line=,col=', async () => {
    const file = write(nb);
    const r = await runCli(['run', file, '--base-url', server.url, '--out', tempDir(), '-q'], { env: { GITHUB_ACTIONS: 'true' } });
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(lines.length, 2, r.stdout);
    const rel = file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : undefined;
    assert.match(lines[0], /^::error file=[^,]*nb\.yaml,line=7,col=15::Wrong status: status: /);
    if (rel) assert.ok(lines[0].includes(`file=${rel}`));
    assert.match(lines[1], /^::error file=[^,]*nb\.yaml,line=8,col=\d+::Refused: error \(connection-refused\)/);
  });

  it('escapes what GitHub would read as syntax: % and newlines in the message, also , and : in the file', () => {
    const r = {
      name: 'Odd, step', phase: 'steps', index: 0, status: 'failed', durationMs: 1, startedAt: '', attempts: 2, flaky: false, captures: {},
      span: { file: 'dir,x/a:b.yaml', line: 3, col: 5, length: 1 },
      checks: [{ kind: 'assert', label: 'assert 100%', passed: false, message: 'line one\nline two', expected: true, actual: false, span: { file: 'dir,x/a:b.yaml', line: 9, col: 7, length: 1 } }],
    } as unknown as StepResult;
    assert.equal(annotation(r), '::error file=dir%2Cx/a%3Ab.yaml,line=9,col=7::Odd, step: assert 100%25: line one%0Aline two (after 2 attempts)');
    assert.equal(annotation({ ...r, status: 'passed' }), undefined);
  });

  it('prints none otherwise', async () => {
    const r = await runCli(['run', write(nb), '--base-url', server.url, '--out', tempDir(), '-q'], { env: { GITHUB_ACTIONS: undefined } });
    assert.doesNotMatch(r.stdout, /::error/);
  });
});

describe('--baseline', () => {
  it('reports the steps newly failing, fixed, and slower than the threshold, in the console, report.json and HTML', async () => {
    let phase = 'before';
    server.route('GET', '/state', (req, res) => {
      const name = new URL(req.url, 'http://x').searchParams.get('s')!;
      const fail = (name === 'breaks' && phase === 'after') || (name === 'heals' && phase === 'before');
      const delay = name === 'slows' && phase === 'after' ? 250 : 0;
      setTimeout(() => json(res, fail ? 500 : 200, { name }), delay);
    });
    const file = write(`title: Nightly
steps:
  - { name: Breaks, continueOnFailure: true, request: GET /state?s=breaks, expect: { status: 200 } }
  - { name: Heals, continueOnFailure: true, request: GET /state?s=heals, expect: { status: 200 } }
  - { name: Slows, request: GET /state?s=slows, expect: { status: 200 } }
  - { name: Steady, request: GET /state?s=steady, expect: { status: 200 } }
`);
    const last = tempDir();
    await runCli(['run', file, '--base-url', server.url, '--out', last, '-q']);
    phase = 'after';
    const out = tempDir();
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out, '-q', '--baseline', join(last, 'report.json'), '--baseline-threshold', '400']);
    assert.equal(r.code, 1);
    // Under load another step may come out slower too; Slows (0 → 250 ms) always does.
    assert.match(r.stdout, /Compared with .*report\.json: 1 newly failing, 1 fixed, \d+ slower by more than 400%/);
    assert.match(r.stdout, /newly failing Nightly — Breaks: passed → failed/);
    assert.match(r.stdout, /fixed Nightly — Heals: failed → passed/);
    assert.match(r.stdout, /slower Nightly — Slows: [\d.]+ ms → [\d.]+ ms/);
    const b = readJson(join(out, 'report.json')).baseline;
    assert.deepEqual([b.counts.newlyFailing, b.counts.fixed], [1, 1]);
    assert.deepEqual([b.newlyFailing[0].step, b.fixed[0].step], ['Breaks', 'Heals']);
    const slows = b.slower.find((x: any) => x.step === 'Slows');
    assert.ok(slows && slows.durationMs >= 240 && slows.baselineMs < 200, JSON.stringify(b.slower));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /Compared with the baseline/);
    assert.match(html, /data-baseline="newlyFailing">1</);

    const same = await runCli(['run', file, '--base-url', server.url, '--out', tempDir(), '-q', '--baseline', join(out, 'report.json')]);
    assert.match(same.stdout, /0 newly failing, 0 fixed/);
    const missing = await runCli(['run', file, '--base-url', server.url, '--baseline', join(last, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--baseline: .*nope\.json: no such report/);
  });
});
