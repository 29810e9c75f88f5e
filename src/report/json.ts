/**
 * reports/report.json: the canonical record of the run; every other report renders the same data
 * (`api-notebook merge` rebuilds them all from it). Written as a stream: one step per line,
 * each notebook's steps in its own segment, so memory stays flat in the number of steps.
 * The layout (documented in docs/ci.md) is plain JSON; readers must not depend on it, but
 * src/report/read.ts uses it to read a large report without holding it whole.
 */
import type { NotebookRecord, RunRecord } from '../run/results.js';
import { streamedReporter, type Reporter, type StreamedNotebook } from './reporter.js';

export const NOTEBOOK_STEPS_OPEN = ',"steps":[';

/** A notebook's record when it never reported its end (an internal error mid-notebook). */
export function recordOf(nb: StreamedNotebook<unknown>): NotebookRecord {
  return nb.record ?? {
    file: nb.info.file, title: nb.info.title, description: nb.info.description, baseUrl: nb.info.baseUrl, status: 'error',
    startedAt: new Date().toISOString(), durationMs: 0, counts: { steps: 0, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0 },
  };
}

/** The head of report.json: every key of the run record but `notebooks`, which follows as a stream. */
export function jsonHead(run: RunRecord): string {
  const { notebooks: _omit, ...rest } = run;
  const text = JSON.stringify(rest, null, 2);
  return `${text.slice(0, text.lastIndexOf('\n}'))},\n  "notebooks": [`;
}

export function jsonReporter(outDir: string): Reporter {
  return streamedReporter<null>('json', outDir, 'report.json', {
    start: () => null,
    step: (r, _nb, index) => `${index ? ',\n' : ''}      ${JSON.stringify(r)}`,
    assemble(out, run, notebooks, segment) {
      out.write(jsonHead(run));
      notebooks.forEach((nb, i) => {
        const meta = JSON.stringify(recordOf(nb));
        out.write(`${i ? ',' : ''}\n    ${meta.slice(0, -1)}${NOTEBOOK_STEPS_OPEN}\n`);
        segment(nb);
        out.write('\n    ]}');
      });
      out.write('\n  ]\n}\n');
    },
  });
}
