/**
 * reports/report.md: the walkthrough for GitHub (a PR comment, a wiki page). Summary table and
 * links to failures at the top; each step's prose, request, response and checks; long bodies
 * folded in <details>, never cut.
 */
import type { RunRecord, StepResult } from '../run/results.js';
import { checkDetailLines, DETAILED_PASSED, FOLD_LINES, pretty, redirectLines, short, stepAnchor, stepTitle, uploadText } from './format.js';
import { recordOf } from './json.js';
import { streamedReporter, type Reporter, type StreamedNotebook } from './reporter.js';

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

const BODY_CAP = 20_000;

function body(label: string, value: unknown): string {
  let text = pretty(value);
  if (text.length > BODY_CAP) text = `${text.slice(0, BODY_CAP)}\n… ${text.length - BODY_CAP} more characters in report.json`;
  const lang = typeof value === 'string' ? '' : 'json';
  const lines = text.split('\n').length;
  if (lines > FOLD_LINES) return `<details><summary>${label} (${lines} lines)</summary>\n\n${fenced(text, lang)}\n\n</details>`;
  return `${label}:\n\n${fenced(text, lang)}`;
}

function step(r: StepResult, anchor: string): string {
  const out = [`<a name="${anchor}"></a>`, `### ${ICON[r.status]} ${stepTitle(r)}${r.flaky ? ' (flaky)' : ''}`, ''];
  if (r.doc) out.push(r.doc.trim(), '');
  if (r.skipReason) out.push(`_Skipped: ${r.skipReason}_`, '');
  for (const w of r.warnings ?? []) out.push(`> ⚠️ Warning: ${w}`, '');
  if (r.redirects?.length) out.push('**Redirects**', '', ...redirectLines(r).map((l, i) => `${i + 1}. ${inline(l)}`), '');
  if (r.request) {
    out.push(`**Request** ${inline(`${r.request.method} ${r.request.url}`)}`, '');
    if (r.request.body) out.push(body('Request body', r.request.body), '');
    const upload = uploadText(r.request);
    if (upload) out.push(body(r.request.multipart ? 'Request body (multipart)' : 'Request body (file)', upload), '');
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
  if (r.retried?.length) out.push('', `_${r.flaky ? `Flaky: passed on attempt ${r.attempts}` : `Failed on all ${r.attempts} attempts`}; earlier: ${r.retried.map((x) => `${x.status}: ${cell(x.message)}`).join('; ')}_`);
  out.push('');
  return out.join('\n');
}

interface NotebookState {
  detailed: number;
  failures: string[];
  failureCount: number;
}

const FAILURES_LISTED = 500;

/** Bounded like the HTML: failures in full, the first steps of each notebook in full, then one line each. */
function stepMarkdown(r: StepResult, nb: StreamedNotebook<NotebookState>, index: number): string {
  const anchor = stepAnchor(nb.slot, index);
  const bad = r.status === 'failed' || r.status === 'error';
  if (bad) {
    nb.state.failureCount++;
    if (nb.state.failures.length < FAILURES_LISTED) {
      nb.state.failures.push(`- [${cell(nb.info.title)} — ${cell(stepTitle(r))}](#${anchor}): ${cell(r.error?.message ?? r.checks.find((c) => !c.passed)?.message ?? r.status)}`);
    }
  }
  if (bad || nb.state.detailed++ < DETAILED_PASSED) return step(r, anchor) + '\n';
  const what = r.request ? ` ${inline(`${r.request.method} ${r.request.url}${r.response ? ` → ${r.response.status}` : ''}`)}` : '';
  return `- ${ICON[r.status]} ${cell(stepTitle(r))}${r.flaky ? ' (flaky)' : ''}${what}${r.status === 'skipped' ? ` _skipped: ${cell(r.skipReason ?? '')}_` : ` ${r.durationMs.toFixed(1)} ms`}\n`;
}

function head(run: RunRecord, notebooks: Array<StreamedNotebook<NotebookState>>): string {
  const s = run.summary;
  const verdict = run.interrupted ? '⏸️ Interrupted' : s.failed || s.errors ? '❌ Failed' : '✅ Passed';
  const failures = notebooks.flatMap((nb) => nb.state.failures).slice(0, FAILURES_LISTED);
  const total = notebooks.reduce((n, nb) => n + nb.state.failureCount, 0);
  const b = run.baseline;
  return [
    `# ${notebooks.length === 1 ? notebooks[0].info.title : 'API notebook run'}: ${verdict}`,
    '',
    '| Notebooks | Steps | Passed | Failed | Errors | Skipped | Flaky | Duration |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.notebooks} | ${s.steps} | ${s.passed} | ${s.failed} | ${s.errors} | ${s.skipped} | ${s.flaky ?? 0} | ${(s.durationMs / 1000).toFixed(2)} s |`,
    '',
    ...(run.shard ? [`Shard ${run.shard.index}/${run.shard.total}.`, ''] : run.merged ? [`Merged from ${run.merged.reports} reports.`, ''] : []),
    ...(b ? [`**Compared with the baseline** ${inline(b.file)}: ${b.counts.newlyFailing} newly failing, ${b.counts.fixed} fixed, ${b.counts.slower} slower by more than ${b.thresholdPercent}%`, '',
      ...b.newlyFailing.map((r) => `- newly failing: ${cell(r.notebook)} — ${cell(r.step)} (${r.was ?? 'new'} → ${r.status})`),
      ...b.fixed.map((r) => `- fixed: ${cell(r.notebook)} — ${cell(r.step)}`),
      ...b.slower.map((r) => `- slower: ${cell(r.notebook)} — ${cell(r.step)} (${r.baselineMs.toFixed(1)} → ${r.durationMs.toFixed(1)} ms)`), ''] : []),
    ...(failures.length ? ['**Failures**', '', ...failures, ...(total > failures.length ? [`- … and ${total - failures.length} more (report.json)`] : []), ''] : []),
    '',
  ].join('\n');
}

export function markdownReporter(outDir: string): Reporter {
  return streamedReporter<NotebookState>('markdown', outDir, 'report.md', {
    start: () => ({ detailed: 0, failures: [], failureCount: 0 }),
    step: stepMarkdown,
    assemble(out, run, notebooks, segment) {
      out.write(head(run, notebooks));
      for (const nb of notebooks) {
        const rec = recordOf(nb);
        out.write([`## ${rec.title}`, '', `${inline(rec.file)} → ${inline(rec.baseUrl)} · **${rec.status}** · ${(rec.durationMs / 1000).toFixed(2)} s`, '', rec.description?.trim() ?? '', '', ''].join('\n'));
        segment(nb);
      }
      out.write(`<sub>${run.tool.name} ${run.tool.version} · started ${run.startedAt}</sub>\n`);
    },
  });
}
