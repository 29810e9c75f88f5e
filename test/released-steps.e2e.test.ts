/**
 * A suite bigger than the loader keeps whole (src/cli/load-all.ts KEEP_STEPS_BYTES): the steps of
 * the later notebooks are let go once checked and read again when each runs. Through the real bin:
 * the suite runs green with every step reported, and a notebook whose file changes after the check
 * is not run as the new text: it is one errored step, in every report, and the run goes on.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flowNotebook, NAMED_SCHEMAS } from './helpers/big-notebooks.js';
import { readJson, runCli, tempDir, writeInto } from './helpers/cli.js';
import { json, type TestServer } from './helpers/server.js';
import { itemServer } from './helpers/item-server.js';
import { KEEP_STEPS_BYTES } from '../src/cli/load-all.js';

const STEPS = 9_000;

function suite(touch: boolean): string {
  const dir = tempDir('released-');
  for (const [file, schema] of Object.entries(NAMED_SCHEMAS)) writeInto(dir, join('schemas', file), JSON.stringify(schema));
  writeInto(dir, 'a-first.yaml', `title: First\nsteps:\n  - name: Touch\n    request: GET /touch${touch ? `?file=${encodeURIComponent(join(dir, 'c-third.yaml'))}` : ''}\n    expect: { status: 200 }\n`);
  const big = flowNotebook(STEPS);
  writeInto(dir, 'b-second.yaml', big.replace(/^title: .*/, 'title: Second'));
  writeInto(dir, 'c-third.yaml', big.replace(/^title: .*/, 'title: Third'));
  assert.ok(big.length * 2 > KEEP_STEPS_BYTES && big.length < KEEP_STEPS_BYTES, `${big.length} bytes: the third notebook must be past the budget`);
  return dir;
}

describe('steps let go after the check, read again to run (real bin)', () => {
  let server: TestServer;
  before(async () => {
    server = await itemServer();
    // The first notebook's step changes a later notebook's file, between the check and its run.
    server.route('GET', '/touch', (req, res) => {
      const file = new URL(req.url, 'http://x').searchParams.get('file');
      if (file) appendFileSync(file, '# edited during the run\n');
      json(res, 200, { ok: true });
    });
  });
  after(() => server.close());

  it('runs every step of every notebook', async () => {
    const dir = suite(false);
    const out = await runCli(['run', dir, '--base-url', server.url, '--out', join(dir, 'reports'), '--reporter', 'json,junit', '--quiet']);
    assert.equal(out.code, 0, out.stderr.slice(0, 500));
    const report = readJson(join(dir, 'reports', 'report.json'));
    assert.deepEqual(report.notebooks.map((n: any) => [n.title, n.steps.length, n.status]), [['First', 1, 'passed'], ['Second', STEPS, 'passed'], ['Third', STEPS, 'passed']]);
    assert.equal(report.notebooks[2].steps[STEPS - 1].name, `Delete ${STEPS / 3 - 1}`);
  });

  it('a notebook changed after the check is one errored step, and the run goes on', async () => {
    const dir = suite(true);
    const out = await runCli(['run', dir, '--base-url', server.url, '--out', join(dir, 'reports'), '--reporter', 'console,json,junit']);
    assert.equal(out.code, 1, out.stderr.slice(0, 500));
    const report = readJson(join(dir, 'reports', 'report.json'));
    assert.deepEqual(report.notebooks.map((n: any) => [n.title, n.status]), [['First', 'passed'], ['Second', 'passed'], ['Third', 'error']]);
    const [step] = report.notebooks[2].steps;
    assert.equal(report.notebooks[2].steps.length, 1);
    assert.equal(step.error.kind, 'notebook-changed');
    assert.match(step.error.message, /c-third\.yaml changed after it was checked/);
    assert.match(out.stdout, /changed after it was checked/);
    assert.match(readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8'), /<error[^>]*changed after it was checked/);
  });
});
