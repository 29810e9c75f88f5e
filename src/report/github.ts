/**
 * GitHub Actions annotations (on when GITHUB_ACTIONS=true): each failed or errored step prints
 * `::error file=<notebook>,line=<line>,col=<col>::<message>`, so the failure shows on the pull
 * request's diff at the check (or the step) that failed. Results are already redacted. Control
 * characters are shown (escape/terminal.ts) and line breaks encoded as GitHub asks (%0A), so no
 * text of a step can end the annotation's line and start a workflow command of its own.
 */
import type { StepResult } from '../run/results.js';
import { terminalLines, terminalText } from './escape/terminal.js';
import { stepTitle } from './format.js';
import type { Reporter } from './reporter.js';

/** GitHub's workflow-command escaping: data and property values differ. */
const escapeData = (s: string) => terminalLines(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(terminalText(s)).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(r: StepResult): string | undefined {
  if (r.status !== 'failed' && r.status !== 'error') return undefined;
  const check = r.error ? undefined : r.checks.find((c) => !c.passed);
  const span = check?.span ?? r.span;
  const what = r.error ? `error (${r.error.kind}): ${r.error.message}` : `${check?.label ?? 'check'}: ${check?.message ?? 'failed'}`;
  const tries = r.attempts > 1 ? ` (after ${r.attempts} attempts)` : '';
  return `::error file=${escapeProperty(span.file)},line=${span.line},col=${span.col}::${escapeData(`${terminalText(stepTitle(r))}: ${what}${tries}`)}`;
}

export function githubReporter(out: NodeJS.WritableStream): Reporter {
  return {
    name: 'github',
    onNotebookStart() {
      return {
        onStepEnd(r) {
          const line = annotation(r);
          if (line) out.write(line + '\n');
        },
      };
    },
  };
}
