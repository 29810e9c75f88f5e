/**
 * --jobs N: notebooks really run at once (the server sees overlapping requests), each notebook on
 * the embedded mock has its own state, the console prints a notebook's lines together, the
 * reports keep the given notebook order whatever the finish order, the summary equals a serial
 * run's, and `runId` differs per notebook.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, readJson, runCli, tempDir } from './helpers/cli.js';

/** Runs a command under a real pseudo-terminal (Python's pty module) and returns all it printed. */
const PTY_RUN = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
`;
import { json, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let inFlight = 0;
let maxInFlight = 0;
const runIds: string[] = [];

before(async () => {
  server = await startTestServer();
  // Answers after ?ms=…, counting how many requests it holds at once.
  server.route('GET', '/slow', (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 100);
    setTimeout(() => {
      inFlight--;
      json(res, 200, { ok: true });
    }, ms);
  });
  server.route('POST', '/named', (req, res) => {
    runIds.push(JSON.parse(req.body).runId);
    json(res, 200, { ok: true });
  });
});
after(() => server.close());

/** A notebook whose steps are all named after it, so its lines can be told apart. */
function slowNotebook(name: string, ms: number, steps = 3): string {
  const lines = [`title: Notebook ${name}`, 'steps:'];
  for (let i = 1; i <= steps; i++) lines.push(`  - name: ${name} step ${i}`, `    request: GET /slow?ms=${ms}`, '    expect: { status: 200 }');
  lines.push(`  - name: ${name} names its object`, '    request: { method: POST, path: /named, json: { runId: "${runId}" } }');
  return lines.join('\n') + '\n';
}

describe('--jobs', () => {
  it('runs notebooks at once, prints each notebook together, keeps report order, and gives each its own runId', async () => {
    const dir = tempDir();
    // a is slow, b c d fast: with --jobs 4, a finishes last but stays first in the reports.
    writeFileSync(join(dir, 'a.yaml'), slowNotebook('a', 400));
    for (const n of ['b', 'c', 'd']) writeFileSync(join(dir, `${n}.yaml`), slowNotebook(n, 60));
    maxInFlight = 0;
    runIds.length = 0;
    const out = tempDir();
    const r = await runCli(['run', dir, '--base-url', server.url, '--out', out, '--jobs', '4']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(maxInFlight >= 3, `the server saw ${maxInFlight} requests at once`);

    // Console: each notebook's lines together (title, then only its own steps).
    const blocks = r.stdout.split('\n\n').filter((b) => b.includes('Notebook '));
    assert.equal(blocks.length, 4);
    for (const b of blocks) {
      const name = /Notebook (\w)/.exec(b)![1];
      const steps = b.split('\n').filter((l) => /^\s+✔/.test(l));
      assert.equal(steps.length, 4, b);
      for (const l of steps) assert.match(l, new RegExp(`✔ ${name} `), `a line of another notebook inside ${name}'s block:\n${b}`);
    }
    assert.match(blocks.at(-1)!, /Notebook a/, 'the slow notebook printed when it finished, last');

    const report = readJson(join(out, 'report.json'));
    assert.deepEqual(report.notebooks.map((n: any) => n.title), ['Notebook a', 'Notebook b', 'Notebook c', 'Notebook d'], 'reports keep the given order');
    assert.equal(report.summary.steps, 16);
    const ids = report.notebooks.map((n: any) => n.runId);
    assert.equal(new Set(ids).size, 4, 'runId differs per notebook');
    assert.deepEqual([...runIds].sort(), [...ids].sort(), 'the notebooks sent their own runId');
  });

  it('the summary and the steps are those of a serial run', async () => {
    const dir = tempDir();
    for (const n of ['p', 'q', 'r']) writeFileSync(join(dir, `${n}.yaml`), slowNotebook(n, 10, 2));
    const serial = tempDir();
    const parallel = tempDir();
    const [a, b] = await Promise.all([
      runCli(['run', dir, '--base-url', server.url, '--out', serial, '-q']),
      runCli(['run', dir, '--base-url', server.url, '--out', parallel, '-q', '--jobs', '3']),
    ]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    const strip = (rep: any) => ({ summary: { ...rep.summary, durationMs: 0 }, steps: rep.notebooks.map((n: any) => n.steps.map((s: any) => `${s.name}:${s.status}`)) });
    assert.deepEqual(strip(readJson(join(parallel, 'report.json'))), strip(readJson(join(serial, 'report.json'))));
    assert.equal(b.stdout.replace(/in [\d.]+ s/, ''), a.stdout.replace(/in [\d.]+ s/, '')
      // The console names report files relative to the working directory: compare by folder name.
      .replaceAll(basename(serial), basename(parallel)));
  });

  it('parallel notebooks on the embedded mock never see each other\'s objects', async () => {
    const dir = tempDir();
    const nb = (k: number) => `title: Mock ${k}
mock: stripe
auth: { basic: { username: sk_test_same_key, password: "" } }
defaults: { encoding: form }
steps:
  - name: Create a plan with the same id in every notebook
    request: { method: POST, path: /v1/plans, form: { id: SHARED_PLAN, amount: ${k}00, currency: usd, interval: month, name: "Plan ${k}" } }
    expect: { status: 200 }
  - name: Only this notebook's plan is there
    request: GET /v1/plans?limit=100
    expect: { status: 200 }
    assert:
      - length(body.data) == 1
      - body.data[0].amount == ${k}00
`;
    for (let k = 1; k <= 4; k++) writeFileSync(join(dir, `m${k}.yaml`), nb(k));
    const out = tempDir();
    const r = await runCli(['run', dir, '--out', out, '--jobs', '4', '-q']);
    assert.equal(r.code, 0, r.stdout);
    const report = readJson(join(out, 'report.json'));
    assert.equal(report.summary.passed, 8);
    assert.equal(new Set(report.notebooks.map((n: any) => n.baseUrl)).size, 4, 'a mock per notebook');
  });

  it('Ctrl-C stops every running notebook: each runs its teardown, every report is whole, exit 130', async () => {
    const dir = tempDir();
    const nb = (n: string) => `title: Hanging ${n}
steps:
  - name: ${n} starts
    request: GET /slow?ms=1
  - name: ${n} waits
    request: GET /slow?ms=20000
teardown:
  - name: ${n} cleans up
    request: GET /slow?ms=1
`;
    writeFileSync(join(dir, 'h1.yaml'), nb('h1'));
    writeFileSync(join(dir, 'h2.yaml'), nb('h2'));
    writeFileSync(join(dir, 'h3.yaml'), nb('h3'));
    const out = tempDir();
    let sent = false;
    const r = await runCli(['run', dir, '--base-url', server.url, '--out', out, '--jobs', '2'], {
      onSpawn(child) {
        // Both running notebooks are waiting once the server holds two slow requests.
        const timer = setInterval(() => {
          if (!sent && inFlight >= 2) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 100);
          }
        }, 20);
        child.on('close', () => clearInterval(timer));
      },
    });
    assert.equal(r.code, 130, r.stdout + r.stderr);
    const report = readJson(join(out, 'report.json'));
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.notebooks.map((n: any) => n.title), ['Hanging h1', 'Hanging h2'], 'the third notebook never started');
    for (const n of report.notebooks) {
      assert.deepEqual(n.steps.map((s: any) => [s.phase, s.status]), [['steps', 'passed'], ['steps', 'error'], ['teardown', 'passed']]);
    }
    assert.match(r.stdout, /✔ teardown: h1 cleans up[\s\S]*Interrupted\./);
  });

  it('on a terminal, a live line says which notebooks are running, and is cleared before each block', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), slowNotebook('a', 150, 5));
    writeFileSync(join(dir, 'b.yaml'), slowNotebook('b', 150, 3));
    const text = await new Promise<string>((done, fail) => {
      execFile('python3', ['-c', PTY_RUN, process.execPath, BIN, 'run', dir, '--base-url', server.url, '--out', tempDir(), '--jobs', '2'], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout) => (err ? fail(err) : done(stdout)));
    });
    assert.match(text, /… running 2: Notebook a \(\d+\), Notebook b \(\d+\)/);
    assert.match(text, /\r\x1b\[2K\r?\nNotebook b/, 'the status line is cleared before b\'s block');
    assert.match(text, /Passed\. 2 notebooks, 10 steps/);
  });

  it('rejects a bad --jobs with exit 2', async () => {
    const r = await runCli(['run', 'notebooks', '--jobs', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--jobs takes a whole number from 1 to 256, got `0`/);
  });
});
