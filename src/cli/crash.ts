/**
 * What an internal error (exit 70) prints: the stack, for the bug report, with every secret the
 * run knew hidden, since a message may quote a header, a URL or a captured value (control
 * characters shown, for the same reason).
 */
import { redactWithEvery } from '../run/redact.js';
import { terminalLines } from '../report/escape/terminal.js';

export function crashReport(err: unknown): string {
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return terminalLines(redactWithEvery(`internal error: ${detail}\nThis is a bug in api-notebook; please report it with the notebook that caused it.\n`));
}
