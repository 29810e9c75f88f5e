/** Text pieces every human-facing report shares, so console, HTML and Markdown say the same thing. */
import type { CheckResult } from '../checks/result.js';
import type { StepResult } from '../run/results.js';

/** `Create each [2/3]`, `teardown: Delete the plan`. */
export function stepTitle(r: StepResult): string {
  const it = r.iteration ? ` [${r.iteration.index + 1}${r.iteration.count ? `/${r.iteration.count}` : ''}]` : '';
  return `${r.phase === 'teardown' ? 'teardown: ' : ''}${r.name}${it}`;
}

/** A stable anchor id for a step result (HTML and Markdown links to failures). */
export function stepAnchor(notebookIndex: number, stepIndex: number): string {
  return `nb${notebookIndex}-step${stepIndex}`;
}

export function pretty(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

export function short(value: unknown, max = 200): string {
  const s = JSON.stringify(value) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** The lines that explain one failed check: what was expected, what came back. */
export function checkDetailLines(c: CheckResult): string[] {
  const lines: string[] = [];
  if (c.kind === 'schema') {
    const errors = (c.details as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> })?.errors ?? [];
    for (const e of errors) lines.push(`body${e.instancePath.replace(/\//g, '.')} ${e.message} ${JSON.stringify(e.params)}`);
  } else if (c.kind === 'body') {
    const mismatches = (c.details as { mismatches?: Array<{ path: string; expected: unknown; actual: unknown; reason: string }> })?.mismatches ?? [];
    for (const m of mismatches) lines.push(`${m.path}: expected ${short(m.expected)}, got ${m.reason === 'missing' ? '(missing)' : short(m.actual)}`);
  } else {
    lines.push(`expected: ${short(c.expected)}`, `actual: ${short(c.actual)}`);
    if (c.kind === 'assert' && c.details) lines.push(`operands: ${short(c.details)}`);
    if (c.kind === 'openapi' || c.kind === 'openapi-request') lines.push(...openApiErrorLines(c));
  }
  return lines;
}

/** ajv's errors of a failed `openapi` or `openapi-request` check, one line each, named by what they are about (`body`, `query.limit`). */
export function openApiErrorLines(c: CheckResult): string[] {
  const details = c.details as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }>; subject?: string } | undefined;
  const subject = details?.subject ?? 'body';
  return (details?.errors ?? []).map((e) => `${subject}${e.instancePath.replace(/\//g, '.')} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Each redirect followed, one line: `302 GET http://…/login → http://…/home`. (URLs as parsed: no control characters.) */
export function redirectLines(r: StepResult): string[] {
  return (r.redirects ?? []).map((h) => `${h.status} ${h.method} ${h.url} → ${h.location}`);
}

export function failureText(r: StepResult): string {
  const parts: string[] = [];
  if (r.error) parts.push(`error (${r.error.kind}): ${r.error.message}`, `at ${r.span.file}:${r.span.line}:${r.span.col}`);
  for (const c of r.checks.filter((x) => !x.passed)) {
    parts.push(`${c.label}: ${c.message ?? 'failed'}`, `  at ${c.span.file}:${c.span.line}:${c.span.col}`, ...checkDetailLines(c).map((l) => `  ${l}`));
  }
  if (r.redirects?.length) parts.push('', 'redirects:', ...redirectLines(r).map((l) => `  ${l}`));
  if (r.request) parts.push('', `request: ${r.request.method} ${r.request.url}`);
  const upload = r.request && uploadText(r.request);
  if (upload) parts.push(upload);
  if (r.response) parts.push(`response: ${r.response.status}`, short(r.response.body, 2000));
  return parts.join('\n');
}

/**
 * A request body read from files, as reports show it: one line per multipart part (name, file
 * name, type, size; a text part's value) or the file sent as the body. Never a file's bytes.
 */
export function uploadText(req: NonNullable<StepResult['request']>): string | undefined {
  if (req.bodyFile) return `file ${req.bodyFile.file} (${req.bodyFile.contentType}, ${req.bodyFile.size} bytes)`;
  if (!req.multipart) return undefined;
  return req.multipart
    .map((p) => (p.filename !== undefined ? `${p.name}: file ${p.filename} (${p.contentType ?? 'application/octet-stream'}, ${p.size} bytes)` : `${p.name}: ${JSON.stringify(p.value ?? '')}${p.contentType ? ` (${p.contentType})` : ''}`))
    .join('\n');
}

/** Bodies longer than this many lines are folded in the walkthroughs. */
export const FOLD_LINES = 30;

/** Passed and skipped steps shown in full per notebook in the walkthroughs; the rest get one line. */
export const DETAILED_PASSED = 50;
