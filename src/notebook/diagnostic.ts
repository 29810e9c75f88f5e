/**
 * One shape for every problem found in a notebook, and one renderer for it (the Hurl style):
 *
 *   error: unknown key `expekt` in a step
 *     --> notebooks/demo.yaml:12:5
 *      |
 *   12 |     expekt:
 *      |     ^^^^^^
 *      = hint: did you mean `expect`?
 */
import type { Span } from './types.js';

export interface Diagnostic {
  message: string;
  span: Span;
  hint?: string;
}

export function renderDiagnostic(d: Diagnostic, sourceText: string | undefined, color = false): string {
  const red = (s: string) => (color ? `\x1b[1;31m${s}\x1b[0m` : s);
  const blue = (s: string) => (color ? `\x1b[34m${s}\x1b[0m` : s);
  const lines = [`${red('error')}: ${d.message}`];
  const gutter = String(d.span.line).length;
  const pad = ' '.repeat(gutter);
  lines.push(`${pad}${blue('-->')} ${d.span.file}:${d.span.line}:${d.span.col}`);
  const text = sourceText?.split(/\r?\n/)[d.span.line - 1];
  if (text !== undefined) {
    lines.push(`${pad} ${blue('|')}`);
    lines.push(`${blue(String(d.span.line))} ${blue('|')} ${text}`);
    const width = Math.max(1, Math.min(d.span.length, text.length - d.span.col + 1));
    lines.push(`${pad} ${blue('|')} ${' '.repeat(Math.max(0, d.span.col - 1))}${red('^'.repeat(width))}`);
  }
  if (d.hint) lines.push(`${pad} ${blue('=')} hint: ${d.hint}`);
  return lines.join('\n');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = editDistance(word.toLowerCase(), c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
