/**
 * NotebookSession, the runner one cell at a time (what `open` drives), against the embedded mock
 * over real sockets: the order rules, retries of failed cells, Reset, reloads and the exit teardown.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry } from '../../src/checks/schemas.js';
import { createHttpClient } from '../../src/http/client.js';
import { startStripeMock, type StripeMock } from '../../src/mock/stripe/index.js';
import { loadNotebookText } from '../../src/notebook/load.js';
import type { Notebook } from '../../src/notebook/types.js';
import { Redactor } from '../../src/run/redact.js';
import type { StepResult } from '../../src/run/results.js';
import { NotebookSession, MissingInputsError } from '../../src/run/session.js';
import { ROOT } from '../helpers/cli.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function load(text: string): Notebook {
  const r = loadNotebookText(text, 'session.yaml', { registry: new SchemaRegistry() });
  assert.deepEqual(r.diagnostics, []);
  return r.notebook!;
}

const NOTEBOOK = `
title: Session
mock: stripe
inputs:
  apiKey: { secret: true }
auth:
  basic: { username: "\${apiKey}", password: "" }
defaults: { encoding: form }
vars:
  planId: SESSION_PLAN
steps:
  - name: Create a plan
    request: { method: POST, path: /v1/plans, form: { id: "\${planId}", amount: 1, currency: usd, interval: week, name: T } }
    expect: { status: 200 }
    capture: { createdPlanId: body.id }
  - name: Read it
    request: GET /v1/plans/\${planId}
    expect: { status: 200, body: { id: "\${planId}" } }
  - name: Count
    request: GET /v1/plans
    expect: { status: 200 }
    assert: [ "length(body.data) == 1" ]
teardown:
  - name: Delete the plan
    if: createdPlanId != null
    request: DELETE /v1/plans/\${planId}
    expect: { status: 200 }
`;

describe('NotebookSession', () => {
  let mocks: StripeMock[] = [];
  const http = createHttpClient();
  before(async () => {
    mocks.push(await startStripeMock());
  });
  after(async () => {
    for (const m of mocks) await m.close();
    await http.close();
  });

  function session(notebook: Notebook, results: StepResult[], cells: string[] = []) {
    const redactor = new Redactor();
    const target = {
      url: mocks[0].url,
      fresh: async () => {
        const m = await startStripeMock();
        mocks.push(m);
        return m.url;
      },
    };
    const s = new NotebookSession({
      notebook, inputs: {}, overrides: {}, target, http, redactor, log: quiet, timeoutMs: 5000,
      hooks: { onStepEnd: (r) => void results.push(r), onCellStart: (c) => void cells.push(`${c.phase}:${c.index}`) },
    });
    return { s, redactor, target };
  }

  it('waits for inputs, runs the unrun cells before a cell, redacts, retries what failed, resets to a fresh account', async () => {
    const results: StepResult[] = [];
    const cells: string[] = [];
    const { s, target } = session(load(NOTEBOOK), results, cells);
    await assert.rejects(s.run({ phase: 'steps', index: 1 }), MissingInputsError);
    assert.deepEqual(s.missingInputs().map((i) => i.name), ['apiKey']);
    assert.equal(s.values.size, 0, 'no values before every input has one');
    s.setInput('apiKey', 'sk_test_session_secret_123');
    assert.equal(s.values.get('planId'), 'SESSION_PLAN');
    await s.run({ phase: 'steps', index: 1 });
    assert.deepEqual(cells, ['steps:0', 'steps:1']);
    assert.deepEqual(results.map((r) => r.status), ['passed', 'passed']);
    assert.equal(results[0].request!.headers.authorization, '[REDACTED]');
    assert.equal(s.values.get('createdPlanId'), 'SESSION_PLAN');
    // Run again: only the cell itself.
    await s.run({ phase: 'steps', index: 1 });
    assert.deepEqual(cells.slice(2), ['steps:1']);
    // A failing cell is retried by the next run that passes it.
    const before = cells.length;
    await s.run({ phase: 'steps', index: 0 }); // the plan exists now: 400
    assert.equal(results.at(-1)!.status, 'failed');
    assert.equal(s.hasRun({ phase: 'steps', index: 0 }), false);
    await s.run({ phase: 'steps', index: 2 });
    assert.deepEqual(cells.slice(before + 1), ['steps:0', 'steps:2'], 'the failed cell runs again, the passed one does not');
    assert.equal(results.at(-1)!.status, 'skipped', 'it failed again, so the rest of the chain is skipped');
    assert.match(results.at(-1)!.skipReason!, /an earlier step failed/);
    // Reset: fresh mock, nothing captured; the plan can be created again.
    const firstUrl = target.url;
    await s.reset();
    assert.notEqual(target.url, firstUrl);
    assert.equal(s.values.has('createdPlanId'), false, 'captures are forgotten');
    assert.equal(s.values.get('planId'), 'SESSION_PLAN', 'vars are computed again at once, for the page to show');
    await s.runAll();
    assert.deepEqual(results.slice(-4).map((r) => `${r.phase}:${r.name}:${r.status}`), [
      'steps:Create a plan:passed', 'steps:Read it:passed', 'steps:Count:passed', 'teardown:Delete the plan:passed',
    ]);
  });

  it('at exit runs only the teardown cells not run since the last step, and none when no step ran', async () => {
    const results: StepResult[] = [];
    const { s } = session(load(NOTEBOOK.replace('SESSION_PLAN', 'EXIT_PLAN')), results);
    s.setInput('apiKey', 'sk_test_exit');
    assert.deepEqual(await s.teardownPending(AbortSignal.timeout(5000)), [], 'nothing ran: nothing to tear down');
    await s.run({ phase: 'steps', index: 0 });
    assert.deepEqual((await s.teardownPending(AbortSignal.timeout(5000))).map((t) => t.name), ['Delete the plan']);
    assert.equal(results.at(-1)!.name, 'Delete the plan');
    assert.equal(results.at(-1)!.status, 'passed');
    assert.deepEqual(await s.teardownPending(AbortSignal.timeout(5000)), [], 'already torn down');
  });

  it('a new version of the file keeps the values, recomputes changed vars, and keeps what ran by name', async () => {
    const results: StepResult[] = [];
    const text = NOTEBOOK.replace('SESSION_PLAN', 'RELOAD_PLAN');
    const { s } = session(load(text), results);
    s.setInput('apiKey', 'sk_test_reload');
    await s.run({ phase: 'steps', index: 0 });
    const next = load(text.replace('  - name: Read it', '  - name: Look first\n    request: GET /v1/account\n  - name: Read it').replace('planId: RELOAD_PLAN', 'planId: RELOAD_PLAN\n  extra: added'));
    await s.replace(next, []);
    assert.equal(s.values.get('createdPlanId'), 'RELOAD_PLAN');
    assert.equal(s.values.get('extra'), 'added');
    assert.equal(s.hasRun({ phase: 'steps', index: 0 }), true);
    assert.equal(s.hasRun({ phase: 'steps', index: 1 }), false, 'the new cell has not run');
  });

  it('plays the flagship through the session as `run` would: every cell passed or skipped', async () => {
    const results: StepResult[] = [];
    const text = readFileSync(join(ROOT, 'notebooks/stripe/accounts-customers-plans-coupons.yaml'), 'utf8');
    const nb = loadNotebookText(text, join(ROOT, 'notebooks/stripe/x.yaml'), { registry: new SchemaRegistry() }).notebook!;
    const { s } = session(nb, results);
    s.setInput('apiKey', 'sk_test_flagship_session');
    await s.runAll();
    assert.deepEqual(results.filter((r) => r.status !== 'passed' && r.status !== 'skipped'), []);
    assert.equal(results.filter((r) => r.status === 'passed').length, 28);
  });
});
