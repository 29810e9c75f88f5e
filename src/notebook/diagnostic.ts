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
import { CONTROLS } from '../report/escape/controls.js';
import { terminalText } from '../report/escape/terminal.js';
import type { Span } from './types.js';

export interface Diagnostic {
  message: string;
  span: Span;
  hint?: string;
  /** The text of the file the span is in, when it is not the file being loaded (a data file). */
  sourceText?: string;
}

export function renderDiagnostic(d: Diagnostic, sourceText: string | undefined, color = false): string {
  const red = (s: string) => (color ? `\x1b[1;31m${s}\x1b[0m` : s);
  const blue = (s: string) => (color ? `\x1b[34m${s}\x1b[0m` : s);
  // Messages quote what was written (a key, a value): a 100 KB value must not flood the terminal.
  const lines = [`${red('error')}: ${terminalText(clip(d.message))}`];
  const gutter = String(d.span.line).length;
  const pad = ' '.repeat(gutter);
  lines.push(`${pad}${blue('-->')} ${terminalText(d.span.file)}:${d.span.line}:${d.span.col}`);
  const full = lineOf(d.sourceText ?? sourceText, d.span.line);
  if (full !== undefined) {
    const { text, col } = excerpt(full, d.span.col);
    lines.push(`${pad} ${blue('|')}`);
    lines.push(`${blue(String(d.span.line))} ${blue('|')} ${text}`);
    const width = Math.max(1, Math.min(d.span.length, text.length - col + 1));
    lines.push(`${pad} ${blue('|')} ${' '.repeat(Math.max(0, col - 1))}${red('^'.repeat(width))}`);
  }
  if (d.hint) lines.push(`${pad} ${blue('=')} hint: ${terminalText(clip(d.hint))}`);
  return lines.join('\n');
}

/** Line `n` (1-based) without splitting the whole text (a notebook can be large). */
function lineOf(text: string | undefined, n: number): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

const WINDOW = 100;
const MAX_TEXT = 400;

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 20)}… (${(text.length - MAX_TEXT + 20).toLocaleString('en')} more characters)`;
}

/**
 * The part of a long line around the column (a 100 KB one-line expression must not flood the
 * terminal), with control characters (C0, C1, bidi: escape/controls.ts) shown as U+FFFD, one
 * character each so the caret stays under the column, so they cannot garble it.
 */
function excerpt(line: string, col: number): { text: string; col: number } {
  const visible = (s: string) => s.replace(CONTROLS, (ch) => (ch === '\t' ? ch : '\ufffd'));
  // A column past the end of a short line (a parser's offset into a line it saw differently) is
  // shown at the line's end, not after thousands of spaces.
  if (line.length <= WINDOW + 20) return { text: visible(line), col: Math.min(col, line.length + 1) };
  const from = Math.max(0, Math.min(col - 1 - WINDOW / 2, line.length - WINDOW));
  const to = Math.min(line.length, from + WINDOW);
  const head = from > 0 ? '…' : '';
  return { text: head + visible(line.slice(from, to)) + (to < line.length ? '…' : ''), col: col - from + head.length };
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
