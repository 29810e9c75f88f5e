/**
 * The console reporter's terminal behaviour, driven through its hooks with a stand-in for the
 * terminal stream (the edge we do not own): a progress line while a slow request is in flight,
 * erased when the step ends; none when the output is not a terminal.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleReporter } from '../src/report/console.js';
import type { StepResult } from '../src/run/results.js';

function terminal(isTTY: boolean) {
  let text = '';
  const out = Object.assign(new Writable({ write(chunk, _enc, done) { text += chunk; done(); } }), { isTTY });
  return { out, text: () => text };
}

const result: StepResult = {
  name: 'Slow one', phase: 'steps', index: 0, status: 'passed', durationMs: 700, startedAt: new Date().toISOString(),
  span: { file: 'x.yaml', line: 3, col: 5, length: 1 }, checks: [], captures: {}, attempts: 1, flaky: false,
  request: { method: 'GET', url: 'http://127.0.0.1:1/slow', headers: {} }, response: { status: 200, headers: {}, body: null, durationMs: 700 },
};

describe('console progress', () => {
  it('shows what it waits for on a terminal, then replaces it with the result', async () => {
    const t = terminal(true);
    const reporter = consoleReporter({ out: t.out, color: false, quiet: false, files: () => [] });
    const r = reporter.onNotebookStart!({ slot: 0, file: 'x.yaml', title: 'X', baseUrl: 'http://127.0.0.1:1' })!;
    await r.onStepStart!({ name: 'Slow one', phase: 'steps', index: 0, method: 'GET' });
    await sleep(600);
    assert.match(t.text(), /… Slow one \(waiting for the response\)/);
    await r.onStepEnd!(result);
    assert.match(t.text(), /\r\x1b\[2K {2}✔ Slow one GET \/slow → 200 700 ms/, 'the progress line is erased first');
  });

  it('prints no progress when the output is not a terminal', async () => {
    const t = terminal(false);
    const reporter = consoleReporter({ out: t.out, color: false, quiet: false, files: () => [] });
    const r = reporter.onNotebookStart!({ slot: 0, file: 'x.yaml', title: 'X', baseUrl: 'http://127.0.0.1:1' })!;
    await r.onStepStart!({ name: 'Slow one', phase: 'steps', index: 0, method: 'GET' });
    await sleep(600);
    await r.onStepEnd!(result);
    assert.doesNotMatch(t.text(), /waiting|\x1b/);
  });
});
