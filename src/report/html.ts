/**
 * reports/report.html: the walkthrough. Reads like the notebook (prose, then request, response,
 * checks, captures, timing), with a summary that links to each failure. Self-contained (inline
 * CSS, no scripts, no network: a Content-Security-Policy says so to the browser), readable on a
 * phone and printable. Prose is markdown rendered by markdown-it with raw HTML disabled and remote
 * images as links (html-safety.ts); every other text goes through escape/html.ts.
 */
import type { CheckResult } from '../checks/result.js';
import type { RunRecord, StepRef, StepResult } from '../run/results.js';
import { coverageOf, responsesSeen, type Coverage } from '../openapi/coverage.js';
import { checkDetailLines, DETAILED_PASSED, FOLD_LINES, pretty, redirectLines, short, stepAnchor, stepTitle, uploadText } from './format.js';
import { pathOf } from './console.js';
import { recordOf } from './json.js';
import { escapeHtml } from './escape/html.js';
import { CSP, renderProse } from './html-safety.js';
import { streamedReporter, type Reporter, type StreamedNotebook } from './reporter.js';
import { groupCounts, groupStatus, groupTitle, groupWhere, UseGroups, type UseGroup } from './use-groups.js';

const MARK: Record<string, string> = { passed: '✔', failed: '✘', error: '!', skipped: '–' };
const mark = (status: string) => MARK[status] ?? '?';

export { escapeHtml };
/** Numbers and statuses too: a crafted report.json (merge, --baseline) may put anything there. */
const text = (v: unknown) => escapeHtml(String(v));

const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--err:#9a6700;--skip:#6e7781;--line:#d0d7de;--soft:#f6f8fa;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;line-height:1.5}
body{margin:0 auto;max-width:60rem;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0;overflow-wrap:anywhere}h2{font-size:1.3rem;border-bottom:1px solid var(--line);padding-bottom:.3rem;margin-top:2rem}h3{font-size:1.05rem;margin:0 0 .4rem}
.verdict{font-weight:700;font-size:1.1rem}.verdict.passed{color:var(--ok)}.verdict.failed,.verdict.error{color:var(--bad)}.verdict.interrupted{color:var(--err)}
dl.summary{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}dl.summary div{border:1px solid var(--line);border-radius:6px;padding:.2rem .7rem;min-width:4.5rem}
dl.summary dt{font-size:.75rem;color:#57606a;text-transform:uppercase}dl.summary dd{margin:0;font-size:1.2rem;font-weight:700}
.failures a{color:var(--bad)}
.step{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:6px;padding:.7rem 1rem;margin:1rem 0;break-inside:avoid}
.step.failed{border-left-color:var(--bad);background:#fff5f5}.step.error{border-left-color:var(--err);background:#fff8e6}.step.skipped{border-left-color:var(--skip);opacity:.85}
.badge{display:inline-block;font-size:.8rem;font-weight:700;border-radius:1rem;padding:0 .55rem;margin-right:.4rem;color:#fff;background:var(--ok);vertical-align:middle}
.badge.failed{background:var(--bad)}.badge.error{background:var(--err)}.badge.skipped{background:var(--skip)}
.warning{color:#9a6700}
.meta{color:#57606a;font-size:.9rem;overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem}
code{font-size:.9em}.http{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;word-break:break-all}
ul.checks{list-style:none;padding-left:0}ul.checks li{margin:.2rem 0}li.pass::before{content:"✔ ";color:var(--ok)}li.fail::before{content:"✘ ";color:var(--bad)}
li.fail{color:var(--bad)}li.fail pre{color:#1f2328}
.evidence{margin:.2rem 0 .2rem 1.2rem}
table.headers{border-collapse:collapse;font-size:.85rem}table.headers td{border-top:1px solid var(--line);padding:.1rem .5rem;vertical-align:top;word-break:break-all}
details summary{cursor:pointer;color:#0969da}
.badge.flaky{background:#8250df}
pre.compact{background:none;border:0;border-left:6px solid var(--ok);border-radius:0;padding:0 .7rem;margin:.2rem 0;font-size:.8rem;line-height:1.45;white-space:pre;overflow-x:auto;content-visibility:auto;contain-intrinsic-size:auto 1450px}
.compact-note{color:#57606a;font-size:.9rem}
table.diff{border-collapse:collapse;font-size:.9rem}table.diff td{border-top:1px solid var(--line);padding:.1rem .5rem;vertical-align:top}
.coverage tr.miss td:first-child{color:var(--bad)}.coverage tr.pass td:first-child{color:var(--ok)}.coverage th{text-align:left;font-size:.8rem}.coverage td{word-break:normal;overflow-wrap:anywhere}
details.use{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:6px;padding:.3rem .8rem;margin:1rem 0}
details.use>summary{font-weight:700;color:#1f2328}details.use>summary .meta{font-weight:400}
details.use:has(.step.failed,.step.error){border-left-color:var(--bad);background:#fffafa}
details.use:has(.step.failed,.step.error)>summary::after{content:" ✘ failed";color:var(--bad)}
.use-verdict{margin:.3rem 0}.use-verdict.failed,.use-verdict.error{color:var(--bad);font-weight:700}
@media (max-width:600px){body{padding:.5rem}.step{padding:.5rem}}
@media print{details::details-content{content-visibility:visible;display:block}details>summary{display:none}.step{page-break-inside:avoid}a{color:inherit}}
`;

/**
 * Bounded, so the page opens in a browser at any scale: failed and errored steps always get full
 * detail; passed and skipped steps get it for the first DETAILED_PASSED of each notebook (a
 * walkthrough), then a compact row (title, request, status, time). Bodies are folded past
 * FOLD_LINES lines and capped (report.json has everything).
 */
const BODY_CAP = { bad: 20_000, passed: 4_000 };
const FAILURES_LISTED = 500;

interface NotebookState {
  detailed: number;
  compact: number;
  /** Lines in the open <pre class="compact"> block (0: none open). */
  open: number;
  failures: Array<{ anchor: string; title: string; message: string }>;
  failureCount: number;
  /** The `use:` group the steps are in (a <details> is open while one is). */
  uses: UseGroups;
}

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… ${text.length - max} more characters in report.json` : text;
}

function block(label: string, text: string, max: number): string {
  const shown = capped(text, max);
  const lines = shown.split('\n').length;
  const pre = `<pre>${escapeHtml(shown)}</pre>`;
  return lines > FOLD_LINES ? `<details><summary>${escapeHtml(label)} (${text.split('\n').length} lines)</summary>${pre}</details>` : pre;
}

function headersTable(h: Record<string, string>): string {
  const rows = Object.entries(h).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('');
  return rows ? `<details><summary>Headers</summary><table class="headers">${rows}</table></details>` : '';
}

function check(c: CheckResult): string {
  const where = `${c.span.file}:${c.span.line}:${c.span.col}`;
  if (c.passed) return `<li class="pass">${escapeHtml(c.label)} <span class="meta">expected ${escapeHtml(short(c.expected, 120))}</span></li>`;
  const evidence = checkDetailLines(c).map((l) => escapeHtml(l)).join('\n');
  return `<li class="fail"><strong>${escapeHtml(c.label)}</strong>: ${escapeHtml(c.message ?? 'failed')} <span class="meta">at ${escapeHtml(where)}</span><pre class="evidence">${evidence}</pre></li>`;
}

function flakyNote(r: StepResult): string {
  if (!r.retried?.length) return '';
  const verdict = r.flaky ? `Flaky: passed on attempt ${r.attempts}` : `Failed on all ${r.attempts} attempts`;
  return `<p class="meta">${escapeHtml(verdict)}. Earlier attempts: ${r.retried.map((x) => escapeHtml(`${x.status}: ${x.message}`)).join('; ')}</p>`;
}

function badges(r: StepResult): string {
  return `<span class="badge ${text(r.status)}">${mark(r.status)} ${text(r.status)}</span>${r.flaky ? '<span class="badge flaky">flaky</span>' : ''}`;
}

function detailedStep(r: StepResult, anchor: string): string {
  const max = r.status === 'failed' || r.status === 'error' ? BODY_CAP.bad : BODY_CAP.passed;
  const parts = [`<section class="step ${text(r.status)}" id="${anchor}" data-status="${text(r.status)}">`];
  parts.push(`<h3>${badges(r)}${escapeHtml(stepTitle(r))}</h3>`);
  if (r.doc) parts.push(`<div class="prose">${renderProse(r.doc)}</div>`);
  if (r.skipReason) parts.push(`<p class="meta">Skipped: ${escapeHtml(r.skipReason)}</p>`);
  for (const w of r.warnings ?? []) parts.push(`<p class="warning">Warning: ${escapeHtml(w)}</p>`);
  if (r.redirects?.length) parts.push(`<h4>Redirects</h4><ol class="redirects">${redirectLines(r).map((l) => `<li><code>${escapeHtml(l)}</code></li>`).join('')}</ol>`);
  if (r.request) {
    parts.push(`<h4>Request</h4><p class="http">${escapeHtml(r.request.method)} ${escapeHtml(r.request.url)}</p>${headersTable(r.request.headers)}`);
    if (r.request.body) parts.push(block('Request body', r.request.body, max));
    const upload = uploadText(r.request);
    if (upload) parts.push(block(r.request.multipart ? 'Request body (multipart)' : 'Request body (file)', upload, max));
  }
  if (r.response) {
    parts.push(`<h4>Response</h4><p class="http">${text(r.response.status)} <span class="meta">in ${r.response.durationMs.toFixed(1)} ms</span></p>${headersTable(r.response.headers)}`);
    if (r.response.body !== null && r.response.body !== undefined) parts.push(block('Response body', pretty(r.response.body), max));
  }
  if (r.used) parts.push(`<p class="meta source">at ${escapeHtml(`${r.span.file}:${r.span.line}`)}</p>`);
  if (r.error) parts.push(`<p class="fail"><strong>Error (${escapeHtml(r.error.kind)})</strong>: ${escapeHtml(r.error.message)} <span class="meta">at ${escapeHtml(`${r.span.file}:${r.span.line}`)}</span></p>`);
  if (r.checks.length) parts.push(`<h4>Checks</h4><ul class="checks">${r.checks.map(check).join('')}</ul>`);
  const captures = Object.entries(r.captures);
  if (captures.length) parts.push(`<h4>Captured</h4><table class="headers">${captures.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(short(v, 300))}</code></td></tr>`).join('')}</table>`);
  parts.push(flakyNote(r));
  if (r.status !== 'skipped') parts.push(`<p class="meta">${text(r.durationMs.toFixed(1))} ms</p>`);
  parts.push('</section>\n');
  return parts.join('\n');
}

/**
 * A passed or skipped step past the walkthrough budget: one line of plain text in a <pre> block
 * of at most COMPACT_BLOCK lines. Plain text is what keeps a page of 90,000 steps quick to open:
 * an element per step costs the browser far more than a line.
 */
const COMPACT_BLOCK = 1000;

function compactStep(r: StepResult, state: NotebookState): string {
  const what = r.request ? `  ${r.request.method} ${pathOf(r.request.url)}${r.response ? ` → ${r.response.status}` : ''}` : '';
  const when = r.status === 'skipped' ? `  (skipped: ${r.skipReason ?? ''})` : `  ${r.durationMs.toFixed(1)} ms`;
  const where = r.used ? `  at ${r.span.file}:${r.span.line}` : '';
  const line = escapeHtml(`${mark(r.status)} ${r.flaky ? '[flaky] ' : ''}${stepTitle(r)}${what}${when}${where}`);
  let text = '';
  if (state.open === COMPACT_BLOCK) text += closeCompact(state);
  if (state.open === 0) text += '<pre class="compact">';
  state.open++;
  return `${text}${line}\n`;
}

function closeCompact(state: NotebookState): string {
  if (state.open === 0) return '';
  state.open = 0;
  return '</pre>\n';
}

/**
 * A `use:` renders as a collapsible block headed by the use's name and file:line, open (its
 * steps read like the others'), holding its steps. Its verdict is known only after its last
 * step, and the page streams: the block says so at its end, and CSS (:has) marks its heading
 * failed when a step inside failed.
 */
function openGroup(g: UseGroup): string {
  return `<details class="use" open data-use="${escapeHtml(g.used.name)}" data-use-at="${escapeHtml(groupWhere(g))}"${g.teardown ? ' data-phase="teardown"' : ''}>` +
    `<summary>Use: ${escapeHtml(groupTitle(g))} <span class="meta">${escapeHtml(groupWhere(g))}</span></summary>\n`;
}

function closeGroup(g: UseGroup, state: NotebookState): string {
  const status = groupStatus(g);
  return `${closeCompact(state)}<p class="use-verdict ${status}" data-use-status="${status}">${mark(status)} ${escapeHtml(groupTitle(g))}: ${escapeHtml(status)} (${escapeHtml(groupCounts(g))})</p></details>\n`;
}

function groupEdges(r: StepResult, state: NotebookState): string {
  const change = state.uses.next(r);
  let html = '';
  if (change.closed) html += closeGroup(change.closed, state);
  if (change.opened) html += closeCompact(state) + openGroup(change.opened);
  return html;
}

function stepHtml(r: StepResult, nb: StreamedNotebook<NotebookState>, index: number): string {
  return groupEdges(r, nb.state) + stepBody(r, nb, index);
}

function stepBody(r: StepResult, nb: StreamedNotebook<NotebookState>, index: number): string {
  const anchor = stepAnchor(nb.slot, index);
  if (r.status === 'failed' || r.status === 'error') {
    nb.state.failureCount++;
    if (nb.state.failures.length < FAILURES_LISTED) {
      nb.state.failures.push({ anchor, title: `${nb.info.title} — ${stepTitle(r)}`, message: r.error?.message ?? r.checks.find((c) => !c.passed)?.message ?? r.status });
    }
    return closeCompact(nb.state) + detailedStep(r, anchor);
  }
  if (nb.state.detailed < DETAILED_PASSED) {
    nb.state.detailed++;
    return detailedStep(r, anchor);
  }
  nb.state.compact++;
  return compactStep(r, nb.state);
}

/** Every operation of the description: documented statuses, statuses seen (how often), exercised, documented responses seen. */
function coverageTable(c: Coverage): string {
  const rows = c.operations.map((o) => `<tr class="${o.exercised ? 'pass' : 'miss'}"><td>${o.exercised ? '✔' : '✘'}</td><td class="http">${escapeHtml(o.method)} ${escapeHtml(o.path)}</td>` +
    `<td>${escapeHtml(o.documented.join(', '))}</td><td>${escapeHtml(Object.entries(o.seen).map(([s, n]) => `${s}\u00a0×${n}`).join(', ') || '—')}</td>` +
    `<td data-responses="${text(responsesSeen(o).length)}/${text(o.documented.length)}">${text(responsesSeen(o).length)} of ${text(o.documented.length)}</td></tr>`).join('');
  const exercised = c.operations.filter((o) => o.exercised).length;
  const r = c.responses ?? coverageOf(c.spec, c.operations).responses!;
  return `<section class="coverage" data-coverage="${escapeHtml(c.spec)}"><h2>OpenAPI coverage: ${text(c.percent)}%</h2><p class="meta">${exercised} of ${c.operations.length} operations of ${escapeHtml(c.spec)} exercised · <span data-coverage-responses="${text(r.percent)}">${text(r.seen)} of ${text(r.documented)} documented responses seen (${text(r.percent)}%)</span></p>` +
    `<table class="headers"><thead><tr><th></th><th>operation</th><th>documented</th><th>seen</th><th>responses</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function verdictOf(run: RunRecord): string {
  if (run.interrupted) return 'interrupted';
  return run.summary.failed || run.summary.errors ? 'failed' : 'passed';
}

function refRow(r: StepRef, extra: string): string {
  return `<tr><td>${escapeHtml(r.notebook)}</td><td>${escapeHtml(r.step)}</td><td>${escapeHtml(extra)}</td><td class="meta">${escapeHtml(`${r.file}:${r.line}`)}</td></tr>`;
}

/** `--baseline`: what changed since the earlier run. */
function baselineSection(run: RunRecord): string {
  const b = run.baseline;
  if (!b) return '';
  const table = (rows: string[]) => (rows.length ? `<table class="diff">${rows.join('')}</table>` : '');
  return `<section class="baseline" id="baseline"><h2>Compared with the baseline</h2>
<p class="meta">${escapeHtml(b.file)}${b.startedAt ? ` · started ${escapeHtml(b.startedAt)}` : ''} · slower means more than ${text(b.thresholdPercent)}% slower</p>
<dl class="summary"><div><dt>newly failing</dt><dd data-baseline="newlyFailing">${text(b.counts.newlyFailing)}</dd></div><div><dt>fixed</dt><dd data-baseline="fixed">${text(b.counts.fixed)}</dd></div><div><dt>slower</dt><dd data-baseline="slower">${text(b.counts.slower)}</dd></div></dl>
${b.newlyFailing.length ? `<h3>Newly failing</h3>${table(b.newlyFailing.map((r) => refRow(r, `${r.was ?? 'new'} → ${r.status}`)))}` : ''}
${b.fixed.length ? `<h3>Fixed</h3>${table(b.fixed.map((r) => refRow(r, `${r.was} → ${r.status}`)))}` : ''}
${b.slower.length ? `<h3>Slower</h3>${table(b.slower.map((r) => refRow(r, `${r.baselineMs.toFixed(1)} ms → ${r.durationMs.toFixed(1)} ms`)))}` : ''}
</section>`;
}

function head(run: RunRecord, notebooks: Array<StreamedNotebook<NotebookState>>): string {
  const s = run.summary;
  const verdict = verdictOf(run);
  const failures = notebooks.flatMap((nb) => nb.state.failures).slice(0, FAILURES_LISTED);
  const total = notebooks.reduce((n, nb) => n + nb.state.failureCount, 0);
  const more = total > failures.length ? `<li>… and ${total - failures.length} more (report.json)</li>` : '';
  const cells = (['notebooks', 'steps', 'passed', 'failed', 'errors', 'skipped', 'flaky'] as const).map((k) => `<div><dt>${k}</dt><dd data-summary="${k}">${text(s[k] ?? 0)}</dd></div>`).join('');
  const titles = notebooks.map((n) => n.info.title);
  const shard = (run.shard ? ` · shard ${run.shard.index}/${run.shard.total}` : run.merged ? ` · merged from ${run.merged.reports} reports` : '') + (run.environment ? ` · environment ${run.environment}` : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP(CSS)}">
<title>${escapeHtml(titles.length > 3 ? `${titles.length} notebooks` : titles.join(', ') || 'api-notebook')} · ${verdict}</title><style>${CSS}</style></head>
<body>
<header><h1>${escapeHtml(titles.length === 1 ? titles[0] : 'API notebook run')}</h1>
<p class="verdict ${verdict}" data-summary="verdict">${verdict === 'passed' ? '✔ Passed' : verdict === 'interrupted' ? 'Interrupted' : '✘ Failed'}</p>
<dl class="summary">${cells}<div><dt>duration</dt><dd>${(s.durationMs / 1000).toFixed(2)} s</dd></div></dl>
${shard ? `<p class="meta">${escapeHtml(shard.slice(3))}</p>` : ''}
${failures.length ? `<h2>Failures</h2><ul class="failures">${failures.map((f) => `<li><a href="#${f.anchor}">${escapeHtml(f.title)}</a>: ${escapeHtml(f.message)}</li>`).join('')}${more}</ul>` : ''}
${baselineSection(run)}
</header>
<main>
${(run.coverageBySpec ?? (run.coverage ? [run.coverage] : [])).map(coverageTable).join('\n')}
`;
}

export function htmlReporter(outDir: string): Reporter {
  return streamedReporter<NotebookState>('html', outDir, 'report.html', {
    start: () => ({ detailed: 0, compact: 0, open: 0, failures: [], failureCount: 0, uses: new UseGroups() }),
    step: stepHtml,
    end: (nb) => {
      const g = nb.state.uses.end();
      return g ? closeGroup(g, nb.state) : closeCompact(nb.state);
    },
    assemble(out, run, notebooks, segment) {
      out.write(head(run, notebooks));
      for (const nb of notebooks) {
        const rec = recordOf(nb);
        out.write(`<article class="notebook"><h2>${escapeHtml(rec.title)}</h2>
<p class="meta">${escapeHtml(rec.file)} → ${escapeHtml(rec.baseUrl)} · <span class="verdict ${escapeHtml(rec.status)}">${escapeHtml(rec.status)}</span> · ${(rec.durationMs / 1000).toFixed(2)} s</p>
${rec.description ? `<div class="prose">${renderProse(rec.description)}</div>` : ''}
${nb.state.compact ? `<p class="compact-note">Failures are shown in full, and the first ${DETAILED_PASSED} other steps; the other ${nb.state.compact} passed or skipped steps are one line each (report.json has them in full).</p>` : ''}
`);
        segment(nb);
        out.write('</article>\n');
      }
      out.write(`</main>
<footer class="meta"><p>${escapeHtml(run.tool.name)} ${escapeHtml(run.tool.version)} · started ${escapeHtml(run.startedAt)}</p></footer>
</body></html>
`);
    },
  });
}
