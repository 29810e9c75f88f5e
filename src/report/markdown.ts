/**
 * reports/report.md: the walkthrough for GitHub (a PR comment, a wiki page). Summary table and
 * links to failures at the top; each step's prose, request, response and checks; long bodies
 * folded in <details>, never cut.
 */
import type { NotebookResult, RunResult, StepResult } from '../run/results.js';
import { checkDetailLines, FOLD_LINES, pretty, short, stepAnchor, stepTitle } from './format.js';
import { fileReporter, type Reporter } from './reporter.js';

const ICON = { passed: '✅', failed: '❌', error: '⚠️', skipped: '⏭️' } as const;

/** A fence longer than any run of backticks inside, so a body cannot close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Markdown table cells cannot hold pipes or newlines. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const inline = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function body(label: string, value: unknown): string {
  const text = pretty(value);
  const lang = typeof value === 'string' ? '' : 'json';
  const lines = text.split('\n').length;
  if (lines > FOLD_LINES) return `<details><summary>${label} (${lines} lines)</summary>\n\n${fenced(text, lang)}\n\n</details>`;
  return `${label}:\n\n${fenced(text, lang)}`;
}

function step(r: StepResult, anchor: string): string {
  const out = [`<a name="${anchor}"></a>`, `### ${ICON[r.status]} ${stepTitle(r)}`, ''];
  if (r.doc) out.push(r.doc.trim(), '');
  if (r.skipReason) out.push(`_Skipped: ${r.skipReason}_`, '');
  if (r.request) {
    out.push(`**Request** ${inline(`${r.request.method} ${r.request.url}`)}`, '');
    if (r.request.body) out.push(body('Request body', r.request.body), '');
  }
  if (r.response) {
    out.push(`**Response** ${inline(String(r.response.status))} in ${r.response.durationMs.toFixed(1)} ms`, '');
    if (r.response.body !== null && r.response.body !== undefined) out.push(body('Response body', r.response.body), '');
  }
  if (r.error) out.push(`> **Error (${r.error.kind})**: ${r.error.message}  `, `> at ${inline(`${r.span.file}:${r.span.line}`)}`, '');
  for (const c of r.checks) {
    if (c.passed) out.push(`- ✔ ${cell(c.label)}`);
    else {
      out.push(`- ✘ **${cell(c.label)}**: ${c.message ?? 'failed'} (at ${inline(`${c.span.file}:${c.span.line}:${c.span.col}`)})`);
      out.push('', fenced(checkDetailLines(c).join('\n')).replace(/^/gm, '  '));
    }
  }
  const captures = Object.entries(r.captures);
  if (captures.length) out.push('', `Captured: ${captures.map(([k, v]) => `${inline(k)} = ${inline(short(v, 120))}`).join(', ')}`);
  out.push('');
  return out.join('\n');
}

function notebook(nb: NotebookResult, i: number): string {
  return [`## ${nb.title}`, '', `${inline(nb.file)} → ${inline(nb.baseUrl)} · **${nb.status}** · ${(nb.durationMs / 1000).toFixed(2)} s`, '', nb.description?.trim() ?? '', '', ...nb.steps.map((s, k) => step(s, stepAnchor(i, k)))].join('\n');
}

export function renderMarkdown(run: RunResult): string {
  const s = run.summary;
  const verdict = run.interrupted ? '⏸️ Interrupted' : s.failed || s.errors ? '❌ Failed' : '✅ Passed';
  const failures = run.notebooks.flatMap((nb, i) => nb.steps.map((r, k) => ({ nb, r, anchor: stepAnchor(i, k) })).filter(({ r }) => r.status === 'failed' || r.status === 'error'));
  return [
    `# ${run.notebooks.length === 1 ? run.notebooks[0].title : 'API notebook run'}: ${verdict}`,
    '',
    '| Notebooks | Steps | Passed | Failed | Errors | Skipped | Duration |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.notebooks} | ${s.steps} | ${s.passed} | ${s.failed} | ${s.errors} | ${s.skipped} | ${(s.durationMs / 1000).toFixed(2)} s |`,
    '',
    ...(failures.length ? ['**Failures**', '', ...failures.map(({ nb, r, anchor }) => `- [${cell(nb.title)} — ${cell(stepTitle(r))}](#${anchor}): ${cell(r.error?.message ?? r.checks.find((c) => !c.passed)?.message ?? r.status)}`), ''] : []),
    ...run.notebooks.map(notebook),
    `<sub>${run.tool.name} ${run.tool.version} · started ${run.startedAt}</sub>`,
    '',
  ].join('\n');
}

export function markdownReporter(outDir: string): Reporter {
  return fileReporter('markdown', outDir, 'report.md', renderMarkdown);
}
