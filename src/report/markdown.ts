/**
 * reports/report.md: the walkthrough for GitHub (a PR comment, a wiki page). Summary table and
 * links to failures at the top; each step's prose, request, response and checks; long bodies
 * folded in <details>, never cut.
 */
import type { RunRecord, StepResult } from '../run/results.js';
import { mdCode, mdFence, mdProse, mdText } from './escape/markdown.js';
import { checkDetailLines, DETAILED_PASSED, FOLD_LINES, pretty, redirectLines, short, stepAnchor, stepTitle, uploadText } from './format.js';
import { recordOf } from './json.js';
import { coverageLine } from '../openapi/coverage.js';
import { streamedReporter, type Reporter, type StreamedNotebook } from './reporter.js';
import { groupCounts, groupStatus, groupTitle, groupWhere, UseGroups, type UseGroup } from './use-groups.js';

const ICON: Record<string, string> = { passed: '✅', failed: '❌', error: '⚠️', skipped: '⏭️' };
/** A status's icon; a status this version does not know (a crafted report) is shown as text. */
const icon = (status: string) => ICON[status] ?? mdText(String(status));
const num = (n: unknown) => mdText(String(n));

/**
 * Everything below goes through src/report/escape/markdown.ts: values (bodies, headers, errors,
 * operands, URLs) as code, names and messages as escaped text, the author's prose as checked
 * Markdown. The only raw Markdown and HTML here is the template's own.
 */
const cell = mdText;
const inline = mdCode;

const BODY_CAP = 20_000;

function body(label: string, value: unknown): string {
  let text = pretty(value);
  if (text.length > BODY_CAP) text = `${text.slice(0, BODY_CAP)}\n… ${text.length - BODY_CAP} more characters in report.json`;
  const lang = typeof value === 'string' ? '' : 'json';
  const lines = text.split('\n').length;
  if (lines > FOLD_LINES) return `<details><summary>${label} (${lines} lines)</summary>\n\n${mdFence(text, lang)}\n\n</details>`;
  return `${label}:\n\n${mdFence(text, lang)}`;
}

function step(r: StepResult, anchor: string): string {
  const out = [`<a name="${anchor}"></a>`, `### ${icon(r.status)} ${mdText(stepTitle(r))}${r.flaky ? ' (flaky)' : ''}`, ''];
  if (r.used) out.push(`_at ${inline(`${r.span.file}:${r.span.line}`)}_`, '');
  if (r.doc) out.push(mdProse(r.doc), '');
  if (r.skipReason) out.push(`_Skipped: ${mdText(r.skipReason)}_`, '');
  for (const w of r.warnings ?? []) out.push(`> ⚠️ Warning: ${mdText(w)}`, '');
  if (r.redirects?.length) out.push('**Redirects**', '', ...redirectLines(r).map((l, i) => `${i + 1}. ${mdCode(l)}`), '');
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
  if (r.error) out.push(`> **Error (${mdText(r.error.kind)})**: ${mdText(r.error.message)}  `, `> at ${inline(`${r.span.file}:${r.span.line}`)}`, '');
  for (const c of r.checks) {
    if (c.passed) out.push(`- ✔ ${cell(c.label)}`);
    else {
      out.push(`- ✘ **${cell(c.label)}**: ${mdText(c.message ?? 'failed')} (at ${inline(`${c.span.file}:${c.span.line}:${c.span.col}`)})`);
      out.push('', mdFence(checkDetailLines(c).join('\n')).replace(/^/gm, '  '));
    }
  }
  const captures = Object.entries(r.captures);
  if (captures.length) out.push('', `Captured: ${captures.map(([k, v]) => `${inline(k)} = ${inline(short(v, 120))}`).join(', ')}`);
  if (r.retried?.length) out.push('', `_${r.flaky ? `Flaky: passed on attempt ${r.attempts}` : `Failed on all ${r.attempts} attempts`}; earlier: ${r.retried.map((x) => `${cell(String(x.status))}: ${cell(x.message)}`).join('; ')}_`);
  out.push('');
  return out.join('\n');
}

interface NotebookState {
  detailed: number;
  failures: string[];
  failureCount: number;
  uses: UseGroups;
}

/**
 * A `use:` is a run of steps between two lines: its name and file:line before, its verdict after
 * (known only once its last step ran; the report streams).
 */
const openGroup = (g: UseGroup) => `**▸ Use: ${mdText(groupTitle(g))}** · ${inline(groupWhere(g))}\n\n`;
const closeGroup = (g: UseGroup) => `\n**◂ ${icon(groupStatus(g))} ${mdText(groupTitle(g))}: ${groupStatus(g)}** (${mdText(groupCounts(g))})\n\n`;

function groupEdges(r: StepResult, state: NotebookState): string {
  const change = state.uses.next(r);
  return (change.closed ? closeGroup(change.closed) : '') + (change.opened ? openGroup(change.opened) : '');
}

const FAILURES_LISTED = 500;

/** Bounded like the HTML: failures in full, the first steps of each notebook in full, then one line each. */
function stepMarkdown(r: StepResult, nb: StreamedNotebook<NotebookState>, index: number): string {
  return groupEdges(r, nb.state) + stepText(r, nb, index);
}

function stepText(r: StepResult, nb: StreamedNotebook<NotebookState>, index: number): string {
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
  return `- ${icon(r.status)} ${cell(stepTitle(r))}${r.flaky ? ' (flaky)' : ''}${what}${r.status === 'skipped' ? ` _skipped: ${cell(r.skipReason ?? '')}_` : ` ${r.durationMs.toFixed(1)} ms`}\n`;
}

function head(run: RunRecord, notebooks: Array<StreamedNotebook<NotebookState>>): string {
  const s = run.summary;
  const verdict = run.interrupted ? '⏸️ Interrupted' : s.failed || s.errors ? '❌ Failed' : '✅ Passed';
  const failures = notebooks.flatMap((nb) => nb.state.failures).slice(0, FAILURES_LISTED);
  const total = notebooks.reduce((n, nb) => n + nb.state.failureCount, 0);
  const b = run.baseline;
  return [
    `# ${notebooks.length === 1 ? mdText(notebooks[0].info.title) : 'API notebook run'}: ${verdict}`,
    '',
    '| Notebooks | Steps | Passed | Failed | Errors | Skipped | Flaky | Duration |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${num(s.notebooks)} | ${num(s.steps)} | ${num(s.passed)} | ${num(s.failed)} | ${num(s.errors)} | ${num(s.skipped)} | ${num(s.flaky ?? 0)} | ${(s.durationMs / 1000).toFixed(2)} s |`,
    '',
    ...(run.shard ? [`Shard ${num(run.shard.index)}/${num(run.shard.total)}.`, ''] : run.merged ? [`Merged from ${num(run.merged.reports)} reports.`, ''] : []),
    ...(run.environment ? [`Environment: ${inline(run.environment)}.`, ''] : []),
    ...(b ? [`**Compared with the baseline** ${inline(b.file)}: ${b.counts.newlyFailing} newly failing, ${b.counts.fixed} fixed, ${b.counts.slower} slower by more than ${b.thresholdPercent}%`, '',
      ...b.newlyFailing.map((r) => `- newly failing: ${cell(r.notebook)} — ${cell(r.step)} (${cell(String(r.was ?? 'new'))} → ${cell(String(r.status))})`),
      ...b.fixed.map((r) => `- fixed: ${cell(r.notebook)} — ${cell(r.step)}`),
      ...b.slower.map((r) => `- slower: ${cell(r.notebook)} — ${cell(r.step)} (${r.baselineMs.toFixed(1)} → ${r.durationMs.toFixed(1)} ms)`), ''] : []),
    ...coveragesOf(run).map((c) => `${mdText(coverageLine(c))}  `),
    ...(coveragesOf(run).length ? [''] : []),
    ...(failures.length ? ['**Failures**', '', ...failures, ...(total > failures.length ? [`- … and ${total - failures.length} more (report.json)`] : []), ''] : []),
    '',
  ].join('\n');
}

const coveragesOf = (run: RunRecord) => run.coverageBySpec ?? (run.coverage ? [run.coverage] : []);

export function markdownReporter(outDir: string): Reporter {
  return streamedReporter<NotebookState>('markdown', outDir, 'report.md', {
    start: () => ({ detailed: 0, failures: [], failureCount: 0, uses: new UseGroups() }),
    step: stepMarkdown,
    end: (nb) => {
      const g = nb.state.uses.end();
      return g ? closeGroup(g) : '';
    },
    assemble(out, run, notebooks, segment) {
      out.write(head(run, notebooks));
      for (const nb of notebooks) {
        const rec = recordOf(nb);
        out.write([`## ${mdText(rec.title)}`, '', `${inline(rec.file)} → ${inline(rec.baseUrl)} · **${mdText(rec.status)}** · ${(rec.durationMs / 1000).toFixed(2)} s`, '', mdProse(rec.description ?? ''), '', ''].join('\n'));
        segment(nb);
      }
      out.write(`<sub>${mdText(run.tool.name)} ${mdText(run.tool.version)} · started ${mdText(run.startedAt)}</sub>\n`);
    },
  });
}
