/**
 * The console: one line per step as it finishes, the evidence under each failure (expected,
 * actual, ajv's errors, the body mismatches, file:line), and a closing summary. Colour only on a
 * terminal and never with NO_COLOR; a progress line while a slow request is in flight.
 */
import { relative } from 'node:path';
import type { CheckResult } from '../checks/result.js';
import type { RunResult, StepResult } from '../run/results.js';
import { coverageLine } from '../openapi/coverage.js';
import { openApiErrorLines, short, stepTitle } from './format.js';
import type { Reporter } from './reporter.js';

export interface ConsoleOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  color: boolean;
  quiet: boolean;
  /** Report files to list in the summary. */
  files: () => string[];
}

const MARK = { passed: '✔', failed: '✘', error: '!', skipped: '-' } as const;

export function consoleReporter(opts: ConsoleOptions): Reporter {
  const paint = (code: string) => (s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = paint('32');
  const red = paint('31');
  const yellow = paint('33');
  const dim = paint('2');
  const bold = paint('1');
  const tone = { passed: green, failed: red, error: yellow, skipped: dim };
  const write = (s: string) => opts.out.write(s + '\n');
  let progress: NodeJS.Timeout | undefined;
  let progressShown = false;

  const clearProgress = () => {
    if (progress) clearTimeout(progress);
    progress = undefined;
    if (progressShown) opts.out.write('\r\x1b[2K');
    progressShown = false;
  };

  return {
    name: 'console',
    onNotebookStart(info) {
      if (!opts.quiet) write(`\n${bold(info.title)} ${dim(`(${info.file} → ${info.baseUrl})`)}`);
    },
    onStepStart(info) {
      // Only on a terminal: a line that says what we are waiting for, if it takes a while.
      if (!opts.out.isTTY || opts.quiet) return;
      clearProgress();
      progress = setTimeout(() => {
        progressShown = true;
        opts.out.write(dim(`  … ${info.name} (waiting for the response)`));
      }, 400);
      progress.unref();
    },
    onStepEnd(r) {
      clearProgress();
      const bad = r.status === 'failed' || r.status === 'error';
      if (opts.quiet && !bad) return;
      write(stepLine(r, tone[r.status], dim));
      if (bad) for (const line of evidence(r, red, dim)) write(`      ${line}`);
      for (const w of r.warnings ?? []) write(`      ${yellow(`warning: ${w}`)}`);
    },
    onRunEnd(result) {
      clearProgress();
      write('');
      write(summaryLine(result, { green, red, yellow, dim, bold }));
      for (const c of result.coverageBySpec ?? (result.coverage ? [result.coverage] : [])) write(coverageLine(c));
      const files = opts.files();
      if (files.length) write(dim(`Reports: ${files.map((f) => relative(process.cwd(), f) || f).join(', ')}`));
    },
  };
}

function stepLine(r: StepResult, color: (s: string) => string, dim: (s: string) => string): string {
  const parts = [`  ${color(MARK[r.status])} ${stepTitle(r)}`];
  if (r.request) parts.push(dim(`${r.request.method} ${pathOf(r.request.url)}`));
  if (r.response) parts.push(dim(`→ ${r.response.status}`));
  if (r.status !== 'skipped') parts.push(dim(`${Math.round(r.durationMs)} ms`));
  else if (r.skipReason) parts.push(dim(`(skipped: ${r.skipReason})`));
  return parts.join(' ');
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** The lines under a failed or errored step. */
export function evidence(r: StepResult, red: (s: string) => string, dim: (s: string) => string): string[] {
  const lines: string[] = [];
  if (r.error) {
    lines.push(red(`error (${r.error.kind}): ${r.error.message}`));
    lines.push(dim(`at ${r.span.file}:${r.span.line}`));
  }
  for (const c of r.checks.filter((x) => !x.passed)) lines.push(...checkEvidence(c, red, dim));
  return lines;
}

function checkEvidence(c: CheckResult, red: (s: string) => string, dim: (s: string) => string): string[] {
  const lines = [red(`${c.label}: ${c.message ?? 'failed'}`), dim(`  at ${c.span.file}:${c.span.line}:${c.span.col}`)];
  if (c.kind === 'schema') {
    const errors = (c.details as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> })?.errors ?? [];
    for (const e of errors.slice(0, 10)) lines.push(`  - body${e.instancePath.replace(/\//g, '.')}: ${e.message} ${dim(JSON.stringify(e.params))}`);
    if (errors.length > 10) lines.push(dim(`  … ${errors.length - 10} more in report.json`));
  } else if (c.kind === 'body') {
    const mismatches = (c.details as { mismatches?: Array<{ path: string; expected: unknown; actual: unknown }> })?.mismatches ?? [];
    for (const m of mismatches.slice(0, 10)) {
      lines.push(`  ${m.path}`);
      lines.push(`    - expected ${short(m.expected)}`);
      lines.push(`    + actual   ${short(m.actual)}`);
    }
  } else {
    lines.push(`  expected: ${short(c.expected)}`);
    lines.push(`  actual:   ${short(c.actual)}`);
    if (c.kind === 'openapi') for (const l of openApiErrorLines(c).slice(0, 10)) lines.push(`  - ${l}`);
  }
  return lines;
}

function summaryLine(result: RunResult, c: Record<'green' | 'red' | 'yellow' | 'dim' | 'bold', (s: string) => string>): string {
  const s = result.summary;
  const parts = [
    c.green(`${s.passed} passed`),
    (s.failed ? c.red : c.dim)(`${s.failed} failed`),
    (s.errors ? c.yellow : c.dim)(`${s.errors} error${s.errors === 1 ? '' : 's'}`),
    c.dim(`${s.skipped} skipped`),
  ];
  const head = result.interrupted ? c.yellow('Interrupted.') : s.failed || s.errors ? c.red('Failed.') : c.green('Passed.');
  return `${head} ${s.notebooks} notebook${s.notebooks === 1 ? '' : 's'}, ${s.steps} step${s.steps === 1 ? '' : 's'}: ${parts.join(', ')} in ${(s.durationMs / 1000).toFixed(2)} s`;
}
