/**
 * Issue 18, L2: `merge` and `--baseline` read report.json files that anyone may have written (a CI
 * artefact, a fork's pull request). A crafted file is refused when read (exit 2, the file, the line
 * and what is wrong, no stack trace); a valid file full of hostile text is rebuilt into reports
 * where that text is inert (report.html, report.md, the console).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { readJson, ROOT, runCli, tempDir } from './helpers/cli.js';
import { json, startTestServer, type TestServer } from './helpers/server.js';

// eslint-disable-next-line no-control-regex
const ACTS_ON_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const XSS = '<img src=x onerror=alert(1)>';

let server: TestServer;
let source: string;
let nbFile: string;
before(async () => {
  server = await startTestServer();
  server.route('GET', '/ok', (_req, res) => json(res, 200, { ok: true }));
  const dir = tempDir();
  nbFile = join(dir, 'nb.yaml');
  writeFileSync(nbFile, `title: Read back\nsteps:\n  - name: First\n    request: GET /ok\n  - name: Second\n    request: GET /boom\n    continueOnFailure: true\n  - name: Third\n    request: GET /ok\n`);
  const out = tempDir();
  const r = await runCli(['run', nbFile, '--base-url', server.url, '--out', out, '-q']);
  assert.equal(r.code, 1, r.stderr);
  source = readFileSync(join(out, 'report.json'), 'utf8');
});
after(() => server.close());

/** report.json as written, with one line changed: the n-th step's line (0-based), or the head. */
function crafted(change: (lines: string[]) => void): string {
  const lines = source.split('\n');
  change(lines);
  const dir = tempDir();
  writeFileSync(join(dir, 'report.json'), lines.join('\n'));
  return join(dir, 'report.json');
}
const stepLine = (lines: string[], n: number) => lines.findIndex((l) => l.startsWith('      {"name"')) + n;
function editStep(n: number, edit: (step: any) => void): string {
  return crafted((lines) => {
    const i = stepLine(lines, n);
    const comma = lines[i].endsWith(',');
    const step = JSON.parse(comma ? lines[i].slice(0, -1) : lines[i]);
    edit(step);
    lines[i] = `      ${JSON.stringify(step)}${comma ? ',' : ''}`;
  });
}

describe('a crafted report.json is refused when read', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a step status that is HTML', () => editStep(0, (s) => (s.status = XSS)), /report\.json:\d+: not a valid report\.json: notebooks\[0\]\.steps\[0\]\.status must be equal to one of the allowed values \(passed, failed, error, skipped\), found "<img/],
    ['a response status that is a string', () => editStep(1, (s) => (s.response.status = '<script>alert(1)</script>')), /notebooks\[0\]\.steps\[1\]\.response\.status must be integer/],
    ['a duration that is not a number', () => editStep(2, (s) => (s.durationMs = '1; background:url(x)')), /notebooks\[0\]\.steps\[2\]\.durationMs must be number/],
    ['summary counts that are HTML', () => crafted((l) => (l[l.findIndex((x) => x.includes('"passed":'))] = l[l.findIndex((x) => x.includes('"passed":'))].replace(/"passed": \d+/, `"passed": "${XSS.replace(/"/g, '')}"`))), /:\d+: not a valid report\.json: summary\.passed must be integer/],
    ['a notebook status that is HTML', () => crafted((l) => { const i = l.findIndex((x) => x.startsWith('    {"file"')); l[i] = l[i].replace(/"status":"[a-z]+"/, `"status":"${XSS.replace(/"/g, '')}"`); }), /notebooks\[0\]\.status must be equal to one of the allowed values/],
  ];

  for (const [what, make, message] of cases) {
    it(`${what}: merge and --baseline say which file, where and what (exit 2)`, async () => {
      const file = make();
      const merged = await runCli(['merge', file, '--out', tempDir()]);
      assert.equal(merged.code, 2, merged.stderr + merged.stdout);
      assert.ok(merged.stderr.includes(file), merged.stderr);
      assert.match(merged.stderr, message);
      assert.doesNotMatch(merged.stderr, /\n\s+at /, 'no stack trace');
      const run = await runCli(['run', nbFile, '--base-url', server.url, '--out', tempDir(), '--baseline', file]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: --baseline: /);
      assert.match(run.stderr, message);
      assert.equal(server.requests.filter((q) => q.url === '/boom').length, 1, 'refused before anything was sent');
    });
  }

  it('says it as docs/security.md shows', async () => {
    const file = editStep(0, (s) => (s.status = XSS));
    const r = await runCli(['merge', file, '--out', tempDir()]);
    const documented = /^error: shard-2\/report\.json:.*$/m.exec(readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8'))?.[0];
    assert.ok(documented, 'the example is in docs/security.md');
    const line = (text: string) => text.replace(/:\d+: /, ':N: ');
    assert.equal(line(r.stderr.replace(file, 'shard-2/report.json')), `${line(documented)}\n`);
  });

  it('a report re-indented by another tool is checked too (read whole)', async () => {
    const data = JSON.parse(source);
    data.notebooks[0].steps[1].status = XSS;
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(data, null, 4));
    const r = await runCli(['merge', dir, '--out', tempDir()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /report\.json: not a valid report\.json: notebooks\[0\]\.steps\[1\]\.status must be equal to one of the allowed values/);
  });

  it('the report this version writes passes the check (merge rebuilds it)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), source);
    const out = tempDir();
    const r = await runCli(['merge', dir, '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(readJson(join(out, 'report.json')).summary.steps, 3);
  });
});

describe('a valid report.json full of hostile text is rebuilt inert', () => {
  const hostile = `${XSS}\u001b]0;pwned\u0007\n::set-output name=x::y\nx\n\n# ✅ Passed\n\n<!--`;
  let out: string;
  let merged: Awaited<ReturnType<typeof runCli>>;
  let baselined: Awaited<ReturnType<typeof runCli>>;
  let baselineOut: string;
  before(async () => {
    const data = JSON.parse(source);
    data.notebooks[0].title = hostile;
    data.notebooks[0].file = nbFile;
    for (const s of data.notebooks[0].steps) {
      s.name = hostile;
      s.span.file = hostile;
    }
    data.notebooks[0].steps[0].status = 'failed';
    data.notebooks[0].steps[0].error = { kind: hostile, message: hostile };
    data.notebooks[0].steps[0].response.headers['x-evil'] = hostile;
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), JSON.stringify(data, null, 2));
    out = tempDir();
    merged = await runCli(['merge', dir, '--out', out], { env: { GITHUB_ACTIONS: 'true' } });
    // As a baseline: the steps keep their real names, so give the notebook's steps hostile history.
    const base = JSON.parse(source);
    base.notebooks[0].file = nbFile;
    base.notebooks[0].title = hostile;
    const baseDir = tempDir();
    writeFileSync(join(baseDir, 'report.json'), JSON.stringify(base, null, 2));
    baselineOut = tempDir();
    baselined = await runCli(['run', nbFile, '--base-url', server.url, '--out', baselineOut, '--baseline', join(baseDir, 'report.json')], { env: { GITHUB_ACTIONS: 'true' } });
  });

  it('merge: report.html has no markup of the file’s', () => {
    assert.equal(merged.code, 1, merged.stderr);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<img|<!--|onerror=alert\(1\)>/);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('merge: report.md keeps its structure (markdown-it)', () => {
    const md = new MarkdownIt({ html: true });
    const tokens = md.parse(readFileSync(join(out, 'report.md'), 'utf8'), {});
    assert.deepEqual(tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag), ['h1', 'h2', 'h3', 'h3', 'h3']);
    assert.doesNotMatch(md.render(readFileSync(join(out, 'report.md'), 'utf8')), /<img|<!--/);
  });

  it('merge and --baseline: nothing acts on the terminal or the Actions runner', () => {
    assert.equal(baselined.code, 1, baselined.stderr);
    assert.match(baselined.stdout, /Compared with /);
    for (const text of [merged.stdout, merged.stderr, baselined.stdout, baselined.stderr]) {
      assert.equal(ACTS_ON_TERMINAL.test(text), false, JSON.stringify(text));
      for (const line of text.split('\n')) if (/^\s*(::|##\[)/.test(line)) assert.match(line, /^::error file=[^:,]+,line=\d+,col=\d+::/);
    }
  });
});
