/**
 * reports/report.html: the walkthrough. Reads like the notebook (prose, then request, response,
 * checks, captures, timing), with a summary that links to each failure. Self-contained (inline
 * CSS, no scripts, no network), readable on a phone and printable. Prose is markdown rendered
 * by markdown-it with raw HTML disabled, so a notebook cannot inject markup into the report.
 */
import MarkdownIt from 'markdown-it';
import type { CheckResult } from '../checks/result.js';
import type { NotebookResult, RunResult, StepResult } from '../run/results.js';
import type { Coverage } from '../openapi/coverage.js';
import { checkDetailLines, FOLD_LINES, pretty, short, stepAnchor, stepTitle } from './format.js';
import { fileReporter, type Reporter } from './reporter.js';

const md = new MarkdownIt({ html: false, linkify: true });
const MARK = { passed: '✔', failed: '✘', error: '!', skipped: '–' } as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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
.meta{color:#57606a;font-size:.9rem;overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem}
code{font-size:.9em}.http{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;word-break:break-all}
ul.checks{list-style:none;padding-left:0}ul.checks li{margin:.2rem 0}li.pass::before{content:"✔ ";color:var(--ok)}li.fail::before{content:"✘ ";color:var(--bad)}
li.fail{color:var(--bad)}li.fail pre{color:#1f2328}
.evidence{margin:.2rem 0 .2rem 1.2rem}
table.headers{border-collapse:collapse;font-size:.85rem}table.headers td{border-top:1px solid var(--line);padding:.1rem .5rem;vertical-align:top;word-break:break-all}
details summary{cursor:pointer;color:#0969da}
.coverage tr.miss td:first-child{color:var(--bad)}.coverage tr.pass td:first-child{color:var(--ok)}.coverage th{text-align:left;font-size:.8rem}.coverage td{word-break:normal;overflow-wrap:anywhere}
@media (max-width:600px){body{padding:.5rem}.step{padding:.5rem}}
@media print{details::details-content{content-visibility:visible;display:block}details>summary{display:none}.step{page-break-inside:avoid}a{color:inherit}}
`;

function block(label: string, text: string): string {
  const lines = text.split('\n').length;
  const pre = `<pre>${escapeHtml(text)}</pre>`;
  // Long bodies are folded, never cut: the whole text is in the page.
  return lines > FOLD_LINES ? `<details><summary>${escapeHtml(label)} (${lines} lines)</summary>${pre}</details>` : pre;
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

function step(r: StepResult, anchor: string): string {
  const parts = [`<section class="step ${r.status}" id="${anchor}" data-status="${r.status}">`];
  parts.push(`<h3><span class="badge ${r.status}">${MARK[r.status]} ${r.status}</span>${escapeHtml(stepTitle(r))}</h3>`);
  if (r.doc) parts.push(`<div class="prose">${md.render(r.doc)}</div>`);
  if (r.skipReason) parts.push(`<p class="meta">Skipped: ${escapeHtml(r.skipReason)}</p>`);
  if (r.request) {
    parts.push(`<h4>Request</h4><p class="http">${escapeHtml(r.request.method)} ${escapeHtml(r.request.url)}</p>${headersTable(r.request.headers)}`);
    if (r.request.body) parts.push(block('Request body', r.request.body));
  }
  if (r.response) {
    parts.push(`<h4>Response</h4><p class="http">${r.response.status} <span class="meta">in ${r.response.durationMs.toFixed(1)} ms</span></p>${headersTable(r.response.headers)}`);
    if (r.response.body !== null && r.response.body !== undefined) parts.push(block('Response body', pretty(r.response.body)));
  }
  if (r.error) parts.push(`<p class="fail"><strong>Error (${escapeHtml(r.error.kind)})</strong>: ${escapeHtml(r.error.message)} <span class="meta">at ${escapeHtml(`${r.span.file}:${r.span.line}`)}</span></p>`);
  if (r.checks.length) parts.push(`<h4>Checks</h4><ul class="checks">${r.checks.map(check).join('')}</ul>`);
  const captures = Object.entries(r.captures);
  if (captures.length) parts.push(`<h4>Captured</h4><table class="headers">${captures.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(short(v, 300))}</code></td></tr>`).join('')}</table>`);
  if (r.status !== 'skipped') parts.push(`<p class="meta">${r.durationMs.toFixed(1)} ms</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function notebook(nb: NotebookResult, i: number): string {
  return [
    `<article class="notebook"><h2>${escapeHtml(nb.title)}</h2>`,
    `<p class="meta">${escapeHtml(nb.file)} → ${escapeHtml(nb.baseUrl)} · <span class="verdict ${nb.status}">${escapeHtml(nb.status)}</span> · ${(nb.durationMs / 1000).toFixed(2)} s</p>`,
    nb.description ? `<div class="prose">${md.render(nb.description)}</div>` : '',
    ...nb.steps.map((s, k) => step(s, stepAnchor(i, k))),
    '</article>',
  ].join('\n');
}

/** Every operation of the description: documented statuses, statuses seen (how often), exercised. */
function coverageTable(c: Coverage): string {
  const rows = c.operations.map((o) => `<tr class="${o.exercised ? 'pass' : 'miss'}"><td>${o.exercised ? '✔' : '✘'}</td><td class="http">${escapeHtml(o.method)} ${escapeHtml(o.path)}</td>` +
    `<td>${escapeHtml(o.documented.join(', '))}</td><td>${escapeHtml(Object.entries(o.seen).map(([s, n]) => `${s}\u00a0×${n}`).join(', ') || '—')}</td></tr>`).join('');
  const exercised = c.operations.filter((o) => o.exercised).length;
  return `<section class="coverage" data-coverage="${escapeHtml(c.spec)}"><h2>OpenAPI coverage: ${c.percent}%</h2><p class="meta">${exercised} of ${c.operations.length} operations of ${escapeHtml(c.spec)} exercised</p>` +
    `<table class="headers"><thead><tr><th></th><th>operation</th><th>documented</th><th>seen</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function verdictOf(run: RunResult): string {
  if (run.interrupted) return 'interrupted';
  return run.summary.failed || run.summary.errors ? 'failed' : 'passed';
}

export function renderHtml(run: RunResult): string {
  const s = run.summary;
  const verdict = verdictOf(run);
  const failures = run.notebooks.flatMap((nb, i) => nb.steps.map((r, k) => ({ nb, r, anchor: stepAnchor(i, k) })).filter(({ r }) => r.status === 'failed' || r.status === 'error'));
  const cells = (['notebooks', 'steps', 'passed', 'failed', 'errors', 'skipped'] as const).map((k) => `<div><dt>${k}</dt><dd data-summary="${k}">${s[k]}</dd></div>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(run.notebooks.map((n) => n.title).join(', ') || 'api-notebook')} · ${verdict}</title><style>${CSS}</style></head>
<body>
<header><h1>${escapeHtml(run.notebooks.length === 1 ? run.notebooks[0].title : 'API notebook run')}</h1>
<p class="verdict ${verdict}" data-summary="verdict">${verdict === 'passed' ? '✔ Passed' : verdict === 'interrupted' ? 'Interrupted' : '✘ Failed'}</p>
<dl class="summary">${cells}<div><dt>duration</dt><dd>${(s.durationMs / 1000).toFixed(2)} s</dd></div></dl>
${failures.length ? `<h2>Failures</h2><ul class="failures">${failures.map(({ nb, r, anchor }) => `<li><a href="#${anchor}">${escapeHtml(nb.title)} — ${escapeHtml(stepTitle(r))}</a>: ${escapeHtml(r.error?.message ?? r.checks.find((c) => !c.passed)?.message ?? r.status)}</li>`).join('')}</ul>` : ''}
</header>
<main>
${(run.coverageBySpec ?? (run.coverage ? [run.coverage] : [])).map(coverageTable).join('\n')}
${run.notebooks.map(notebook).join('\n')}
</main>
<footer class="meta"><p>${escapeHtml(run.tool.name)} ${escapeHtml(run.tool.version)} · started ${escapeHtml(run.startedAt)}</p></footer>
</body></html>
`;
}

export function htmlReporter(outDir: string): Reporter {
  return fileReporter('html', outDir, 'report.html', renderHtml);
}
