/**
 * The bundled CLI (dist/cli/main.js) and the unbundled sources (node --import tsx src/cli/main.ts)
 * give the same verdicts and the same reports on the repository's notebooks, run as `npm start`
 * runs them (each notebook against the embedded Stripe mock), and the same diagnostics for a broken
 * notebook. What differs from run to run anyway is normalised away: timings, the mock's port,
 * its random ids and its clock.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BUNDLED = [join(ROOT, 'dist', 'cli', 'main.js')];
const SOURCES = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];

function cli(entry: string[], args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=4', ...entry, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** What legitimately differs between two runs of the same build. */
function normalise(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/\b[a-z]{2,6}_[A-Za-z0-9]{8,}\b/g, 'ID')
    .replace(/\b1[6-9]\d{8}\b/g, 'UNIX_TIME')
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, 'N ms')
    .replace(/ (time|timestamp)="[^"]*"/g, ' $1=""')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, 'DATE');
}

function reportJson(dir: string): string {
  const drop = new Set(['durationMs', 'startedAt', 'date', 'runId']);
  return normalise(JSON.stringify(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')), (k, v: unknown) => (drop.has(k) ? undefined : v), 1));
}

test('bundled and unbundled: same verdicts, report.json and JUnit on notebooks/', async () => {
  const outA = mkdtempSync(join(tmpdir(), 'parity-bundled-'));
  const outB = mkdtempSync(join(tmpdir(), 'parity-sources-'));
  // One after the other: each run starts its mocks, and the machine is shared.
  const a = await cli(BUNDLED, ['run', 'notebooks', '--out', outA]);
  const b = await cli(SOURCES, ['run', 'notebooks', '--out', outB]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, a.code);
  // The reports' folder is named in the output (relative to the working directory).
  const named = (text: string, out: string) => normalise(text.replaceAll(basename(out), 'OUT'));
  assert.equal(named(b.stdout, outB), named(a.stdout, outA));
  assert.equal(named(b.stderr, outB), named(a.stderr, outA));
  const summary = JSON.parse(readFileSync(join(outA, 'report.json'), 'utf8')) as { summary: { passed: number } };
  assert.ok(summary.summary.passed > 50, 'the notebooks ran');
  assert.equal(reportJson(outB), reportJson(outA));
  assert.equal(normalise(readFileSync(join(outB, 'junit.xml'), 'utf8')), normalise(readFileSync(join(outA, 'junit.xml'), 'utf8')));
});

test('bundled and unbundled: same validate verdicts, same diagnostic for a broken notebook', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-broken-'));
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'title: Broken\nsteps:\n  - name: One\n    request: GET /x\n    expect: { statuz: 200 }\n');
  for (const args of [['validate', 'notebooks'], ['validate', broken]]) {
    const a = await cli(BUNDLED, args);
    const b = await cli(SOURCES, args);
    assert.equal(a.code, args[1] === broken ? 2 : 0, a.stderr);
    assert.deepEqual(b, a);
  }
});
