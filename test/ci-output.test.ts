/**
 * What a nightly CI run tells beyond pass/fail: GitHub Actions annotations on the failing lines,
 * and --baseline (newly failing, fixed, slower than last night).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { annotation } from '../src/report/github.js';
import type { StepResult } from '../src/run/results.js';
import { readJson, ROOT, runCli, tempDir, writeNotebook } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/always-500', (_req, res) => json(res, 500, { error: 'no' }));
});
after(() => server.close());

describe('GitHub Actions annotations', () => {
  const nb = `title: Annotated
steps:
  - name: Wrong status
    continueOnFailure: true
    request: GET /always-500
    expect:
      status: 200
  - name: Refused
    request: GET http://127.0.0.1:9/nothing
`;
  it('with GITHUB_ACTIONS=true, each failed or errored step prints ::error file=,line=,col=', async () => {
    const file = writeNotebook(nb);
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
    const r = await runCli(['run', writeNotebook(nb), '--base-url', server.url, '--out', tempDir(), '-q'], { env: { GITHUB_ACTIONS: undefined } });
    assert.doesNotMatch(r.stdout, /::error/);
  });
});

describe('--baseline', () => {
  it('reports the steps newly failing, fixed, and slower than the threshold, in the console, report.json and HTML', async () => {
    let phase = 'before';
    server.route('GET', '/state', (req, res) => {
      const name = new URL(req.url, 'http://x').searchParams.get('s')!;
      const fail = (name === 'breaks' && phase === 'after') || (name === 'heals' && phase === 'before');
      const delay = name === 'slows' && phase === 'after' ? 600 : 0;
      setTimeout(() => json(res, fail ? 500 : 200, { name }), delay);
    });
    const file = writeNotebook(`title: Nightly
steps:
  - { name: Warm up, request: GET /state?s=warm, expect: { status: 200 } }
  - { name: Breaks, continueOnFailure: true, request: GET /state?s=breaks, expect: { status: 200 } }
  - { name: Heals, continueOnFailure: true, request: GET /state?s=heals, expect: { status: 200 } }
  - { name: Slows, request: GET /state?s=slows, expect: { status: 200 } }
  - { name: Steady, request: GET /state?s=steady, expect: { status: 200 } }
`);
    const last = tempDir();
    await runCli(['run', file, '--base-url', server.url, '--out', last, '-q']);
    phase = 'after';
    const out = tempDir();
    const r = await runCli(['run', file, '--base-url', server.url, '--out', out, '-q', '--baseline', join(last, 'report.json'), '--baseline-threshold', '100']);
    assert.equal(r.code, 1);
    // Under load another step may come out slower too; Slows (0 → 600 ms) always does.
    assert.match(r.stdout, /Compared with .*report\.json: 1 newly failing, 1 fixed, \d+ slower by more than 100%/);
    assert.match(r.stdout, /newly failing Nightly — Breaks: passed → failed/);
    assert.match(r.stdout, /fixed Nightly — Heals: failed → passed/);
    assert.match(r.stdout, /slower Nightly — Slows: [\d.]+ ms → [\d.]+ ms/);
    const b = readJson(join(out, 'report.json')).baseline;
    assert.deepEqual([b.counts.newlyFailing, b.counts.fixed], [1, 1]);
    assert.deepEqual([b.newlyFailing[0].step, b.fixed[0].step], ['Breaks', 'Heals']);
    const slows = b.slower.find((x: any) => x.step === 'Slows');
    assert.ok(slows && slows.durationMs >= 590 && slows.baselineMs < 300, JSON.stringify(b.slower));
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
