/**
 * A notebook that was checked but cannot be run when its turn comes (its file changed after the
 * check, src/notebook/released.ts): one errored step says why, in every report, and the run goes
 * on with the other notebooks, as a failing server's notebook would.
 */
import { relative } from 'node:path';
import type { Notebook } from '../notebook/types.js';
import type { Redactor } from './redact.js';
import { countStep, emptyCounts, type NotebookRecord, type RunHooks, type StepResult } from './results.js';

export async function reportUnrunnable(notebook: Notebook, baseUrl: string, hooks: RunHooks, redactor: Redactor, kind: string, message: string, runId?: string): Promise<NotebookRecord> {
  const startedAt = new Date().toISOString();
  const shown = { title: redactor.text(notebook.title), baseUrl: redactor.text(baseUrl), ...(notebook.description === undefined ? {} : { description: redactor.text(notebook.description) }) };
  await hooks.onNotebookStart?.({ file: notebook.file, ...shown });
  const step: StepResult = {
    name: 'Read the notebook',
    phase: 'steps',
    index: 0,
    status: 'error',
    durationMs: 0,
    startedAt,
    span: { file: relative(process.cwd(), notebook.file) || notebook.file, line: 1, col: 1, length: 1 },
    checks: [],
    captures: {},
    error: { kind, message: redactor.text(message) },
    attempts: 0,
    flaky: false,
  };
  await hooks.onStepStart?.({ name: step.name, phase: step.phase, index: 0 });
  const counts = emptyCounts();
  countStep(counts, step);
  await hooks.onStepEnd?.(step);
  const record: NotebookRecord = { file: notebook.file, ...shown, status: 'error', startedAt, durationMs: 0, runId, counts };
  await hooks.onNotebookEnd?.(record);
  return record;
}
