/**
 * The console: one line per step as it finishes, the evidence under each failure (expected,
 * actual, ajv's errors, the body mismatches, file:line), and a closing summary. Colour only on a
 * terminal and never with NO_COLOR; a progress line while a slow request is in flight.
 */
import { relative } from 'node:path';
import type { CheckResult } from '../checks/result.js';
import type { RunRecord, StepRef, StepResult } from '../run/results.js';
import { coverageLine } from '../openapi/coverage.js';
import { guardLines, terminalText as t } from './escape/terminal.js';
import { openApiErrorLines, short, stepTitle } from './format.js';
import type { NotebookSink, Reporter } from './reporter.js';
import { groupTitle, groupWhere, UseGroups, type UseGroup } from './use-groups.js';

export interface ConsoleOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  color: boolean;
  quiet: boolean;
  /** Report files to list in the summary. */
  files: () => string[];
  /** Under GitHub Actions (GITHUB_ACTIONS=true): no line may read as a workflow command. */
  actions?: boolean;
}

const MARK = { passed: '✔', failed: '✘', error: '!', skipped: '-' } as const;

export function consoleReporter(opts: ConsoleOptions): Reporter {
  const paint = (code: string) => (s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = paint('32');
  const red = paint('31');
  const yellow = paint('33');
  const dim = paint('2');
  const bold = paint('1');
  const magenta = paint('35');
  const tone = { passed: green, failed: red, error: yellow, skipped: dim };
  const out = batchedWriter(opts.out);
  // Every field from outside is escaped where it is put in a line (terminalText); every line
  // passes guardLines too, the backstop that lets only our colours through.
  const actions = opts.actions === true;
  const write = (s: string) => out.write(guardLines(s, actions) + '\n');
  let progress: NodeJS.Timeout | undefined;
  let progressShown = false;
  let concurrent = false;
  const status = liveStatus(opts.out, dim);

  const clearProgress = () => {
    if (progress) clearTimeout(progress);
    progress = undefined;
    if (progressShown) out.write('\r\x1b[2K');
    progressShown = false;
  };

  return {
    name: 'console',
    onRunStart(info) {
      concurrent = info.concurrent;
      if (info.environment) write(dim(`Environment: ${t(info.environment)}`));
    },
    onNotebookStart(info): NotebookSink {
      // With --jobs, a notebook's lines are kept and printed together when it finishes, so
      // notebooks running at once never interleave; a serial run prints each step as it ends.
      const held: string[] = [];
      const line = concurrent ? (s: string) => held.push(guardLines(s, actions)) : write;
      // A use's steps are indented under a line that names it (its verdict shows on its steps).
      const uses = new UseGroups();
      let announced: UseGroup | undefined;
      if (!opts.quiet) line(`\n${bold(t(info.title))} ${dim(`(${t(info.file)} → ${t(info.baseUrl)})`)}`);
      if (concurrent) status.start(info.slot, t(info.title));
      return {
        onStepStart(step) {
          // Only on a terminal and a serial run: a line that says what we are waiting for, if it takes a while.
          if (!opts.out.isTTY || opts.quiet || concurrent) return;
          clearProgress();
          progress = setTimeout(() => {
            progressShown = true;
            out.write(guardLines(dim(`  … ${t(step.name)} (waiting for the response)`), actions));
          }, 400);
          progress.unref();
        },
        onStepEnd(r) {
          if (!concurrent) clearProgress();
          else status.step(info.slot);
          const bad = r.status === 'failed' || r.status === 'error';
          const group = uses.next(r);
          if (opts.quiet && !bad) return;
          if (group.current && group.current !== announced) line(dim(`  ▸ use ${t(groupTitle(group.current))} (${t(groupWhere(group.current))})`));
          announced = group.current;
          const pad = group.current ? '  ' : '';
          line(pad + stepLine(r, tone[r.status], dim, magenta));
          if (bad) for (const l of evidence(r, red, dim)) line(`${pad}      ${l}`);
          for (const w of r.warnings ?? []) line(`${pad}      ${yellow(`warning: ${t(w)}`)}`);
        },
        onNotebookEnd() {
          if (!concurrent) return;
          status.end(info.slot);
          if (held.length) out.write(held.join('\n') + '\n');
        },
      };
    },
    onRunEnd(result) {
      clearProgress();
      status.stop();
      write('');
      for (const l of baselineLines(result, { red, green, yellow, dim })) write(l);
      write(summaryLine(result, { green, red, yellow, dim, bold, magenta }));
      for (const c of result.coverageBySpec ?? (result.coverage ? [result.coverage] : [])) write(t(coverageLine(c)));
      const files = opts.files();
      if (files.length) write(dim(`Reports: ${files.map((f) => t(relative(process.cwd(), f) || f)).join(', ')}`));
      out.flush();
    },
  };
}

/**
 * With --jobs on a terminal: one line, redrawn at most every 250 ms, that says which notebooks
 * are running and how far each has got; cleared before a finished notebook's lines are printed.
 * Off a terminal it does nothing (a log gets each notebook's lines when it finishes).
 */
function liveStatus(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, dim: (s: string) => string) {
  const running = new Map<number, { title: string; steps: number }>();
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const draw = () => {
    timer = undefined;
    if (!running.size) return;
    const list = [...running.values()].map((n) => `${n.title} (${n.steps})`).join(', ');
    const width = Math.max(20, (stream.columns || 80) - 1);
    const text = `  … running ${running.size}: ${list}`;
    stream.write(`\r\x1b[2K${dim(guardLines(text.length > width ? `${text.slice(0, width - 1)}…` : text, false))}`);
    shown = true;
  };
  const schedule = () => {
    if (!stream.isTTY || timer) return;
    timer = setTimeout(draw, 250);
    timer.unref();
  };
  return {
    start(slot: number, title: string) {
      running.set(slot, { title, steps: 0 });
      schedule();
    },
    step(slot: number) {
      const n = running.get(slot);
      if (n) n.steps++;
      schedule();
    },
    end(slot: number) {
      running.delete(slot);
      clear();
      schedule();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      running.clear();
      clear();
    },
  };
}

/**
 * On a terminal every line is written at once (a person is watching). Elsewhere (a CI log, a
 * pipe, a file) lines are gathered and written every FLUSH_MS or 16 KB: one write per step
 * showed in the per-step cost, and a log reader cannot tell 100 ms apart.
 */
const FLUSH_MS = 100;

function batchedWriter(stream: NodeJS.WritableStream & { isTTY?: boolean }): { write(s: string): void; flush(): void } {
  if (stream.isTTY) return { write: (s) => void stream.write(s), flush: () => {} };
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending) stream.write(pending);
    pending = '';
  };
  return {
    write(s) {
      pending += s;
      if (pending.length >= 16_384) flush();
      else if (!timer) timer = setTimeout(flush, FLUSH_MS);
    },
    flush,
  };
}

/** `--baseline`: what changed since the earlier run (the lists are capped). */
function baselineLines(result: RunRecord, c: Record<'green' | 'red' | 'yellow' | 'dim', (s: string) => string>): string[] {
  const b = result.baseline;
  if (!b) return [];
  const lines = [`Compared with ${t(b.file)}: ${(b.counts.newlyFailing ? c.red : c.dim)(`${b.counts.newlyFailing} newly failing`)}, ${(b.counts.fixed ? c.green : c.dim)(`${b.counts.fixed} fixed`)}, ${(b.counts.slower ? c.yellow : c.dim)(`${b.counts.slower} slower by more than ${b.thresholdPercent}%`)}`];
  const LIMIT = 20;
  const at = (r: StepRef) => c.dim(`(${t(r.file)}:${t(String(r.line))})`);
  const ref = (r: StepRef) => `${t(r.notebook)} — ${t(r.step)}`;
  for (const r of b.newlyFailing.slice(0, LIMIT)) lines.push(`  ${c.red('newly failing')} ${ref(r)}: ${t(String(r.was ?? 'new'))} → ${t(r.status)} ${at(r)}`);
  for (const r of b.fixed.slice(0, LIMIT)) lines.push(`  ${c.green('fixed')} ${ref(r)}: ${t(String(r.was))} → ${t(r.status)} ${at(r)}`);
  for (const r of b.slower.slice(0, LIMIT)) lines.push(`  ${c.yellow('slower')} ${ref(r)}: ${r.baselineMs.toFixed(1)} ms → ${r.durationMs.toFixed(1)} ms ${at(r)}`);
  const listed = Math.min(LIMIT, b.newlyFailing.length) + Math.min(LIMIT, b.fixed.length) + Math.min(LIMIT, b.slower.length);
  const total = b.counts.newlyFailing + b.counts.fixed + b.counts.slower;
  if (total > listed) lines.push(c.dim(`  … ${total - listed} more in report.json`));
  return lines;
}

function stepLine(r: StepResult, color: (s: string) => string, dim: (s: string) => string, flakyTone: (s: string) => string): string {
  const parts = [`  ${color(MARK[r.status] ?? '?')} ${t(stepTitle(r))}`];
  if (r.request) parts.push(dim(`${t(r.request.method)} ${t(pathOf(r.request.url))}`));
  if (r.response) parts.push(dim(`→ ${t(String(r.response.status))}`));
  if (r.redirects?.length) parts.push(dim(`(after ${r.redirects.length} redirect${r.redirects.length === 1 ? '' : 's'}: ${r.redirects.map((h) => t(String(h.status))).join(', ')})`));
  if (r.status !== 'skipped') parts.push(dim(`${Math.round(r.durationMs)} ms`));
  else if (r.skipReason) parts.push(dim(`(skipped: ${t(r.skipReason)})`));
  if (r.flaky) parts.push(flakyTone(`flaky: passed on attempt ${r.attempts} (before: ${t(r.retried?.[0]?.message ?? 'failed')})`));
  else if (r.attempts > 1) parts.push(dim(`(${r.attempts} attempts)`));
  return parts.join(' ');
}

/** The path and query of an absolute URL (string slicing: a URL parse per step showed in profiles). */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const slash = url.indexOf('/', scheme + 3);
  const query = url.indexOf('?', scheme + 3);
  const start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
  if (start < 0) return '/';
  const path = url.slice(start).split('#')[0];
  return path.startsWith('?') ? `/${path}` : path;
}

/** The lines under a failed or errored step. */
export function evidence(r: StepResult, red: (s: string) => string, dim: (s: string) => string): string[] {
  const lines: string[] = [];
  if (r.error) {
    lines.push(red(`error (${t(r.error.kind)}): ${t(r.error.message)}`));
    lines.push(dim(`at ${t(r.span.file)}:${r.span.line}`));
  }
  for (const c of r.checks.filter((x) => !x.passed)) lines.push(...checkEvidence(c, red, dim));
  // A body kept as bytes: its size and digest say which one came back (never the bytes).
  if (r.response?.bodyType === 'bytes') lines.push(dim(`response body: ${String(r.response.body)}`));
  return lines;
}

function checkEvidence(c: CheckResult, red: (s: string) => string, dim: (s: string) => string): string[] {
  const lines = [red(`${t(c.label)}: ${t(c.message ?? 'failed')}`), dim(`  at ${t(c.span.file)}:${c.span.line}:${c.span.col}`)];
  if (c.kind === 'schema') {
    const errors = (c.details as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> })?.errors ?? [];
    for (const e of errors.slice(0, 10)) lines.push(`  - ${t(`body${e.instancePath.replace(/\//g, '.')}`)}: ${t(String(e.message))} ${dim(t(JSON.stringify(e.params) ?? ''))}`);
    if (errors.length > 10) lines.push(dim(`  … ${errors.length - 10} more in report.json`));
  } else if (c.kind === 'body') {
    const mismatches = (c.details as { mismatches?: Array<{ path: string; expected: unknown; actual: unknown }> })?.mismatches ?? [];
    for (const m of mismatches.slice(0, 10)) {
      lines.push(`  ${t(m.path)}`);
      lines.push(`    - expected ${t(short(m.expected))}`);
      lines.push(`    + actual   ${t(short(m.actual))}`);
    }
  } else {
    lines.push(`  expected: ${t(short(c.expected))}`);
    lines.push(`  actual:   ${t(short(c.actual))}`);
    if (c.kind === 'openapi' || c.kind === 'openapi-request') for (const l of openApiErrorLines(c).slice(0, 10)) lines.push(`  - ${t(l)}`);
  }
  return lines;
}

function summaryLine(result: RunRecord, c: Record<'green' | 'red' | 'yellow' | 'dim' | 'bold' | 'magenta', (s: string) => string>): string {
  const s = result.summary;
  const parts = [
    c.green(`${s.passed} passed`),
    (s.failed ? c.red : c.dim)(`${s.failed} failed`),
    (s.errors ? c.yellow : c.dim)(`${s.errors} error${s.errors === 1 ? '' : 's'}`),
    c.dim(`${s.skipped} skipped`),
  ];
  // Shown only when a step needed a retry, so a clean run reads as before.
  if (s.flaky) parts.push(c.magenta(`${s.flaky} flaky`));
  const head = result.interrupted ? c.yellow('Interrupted.') : s.failed || s.errors ? c.red('Failed.') : c.green('Passed.');
  const where = (result.shard ? ` (shard ${result.shard.index}/${result.shard.total})` : result.merged ? ` (merged from ${result.merged.reports} reports)` : '') + (result.environment ? ` [environment ${t(result.environment)}]` : '');
  return `${head}${where} ${s.notebooks} notebook${s.notebooks === 1 ? '' : 's'}, ${s.steps} step${s.steps === 1 ? '' : 's'}: ${parts.join(', ')} in ${(s.durationMs / 1000).toFixed(2)} s`;
}
