/**
 * What the page is sent: the document (title, prose, each cell as written), each cell's request
 * as it would be sent now, and the values panel. Built from the notebook, the file's text and the
 * session's values; every string passes the run's redactor, so no secret input reaches the page.
 */
import MarkdownIt from 'markdown-it';
import { scopeOf } from '../run/context.js';
import { REDACTED, type Redactor } from '../run/redact.js';
import { renderRequest } from '../run/request.js';
import { uploadText } from '../report/format.js';
import type { NotebookSession } from '../run/session.js';
import type { Notebook, Step } from '../notebook/types.js';
import type { CellSource } from './source.js';

// As in report.html: raw HTML off, so a notebook cannot put markup or scripts into the page.
const md = new MarkdownIt({ html: false, linkify: true });

export interface CellModel {
  id: string;
  phase: 'steps' | 'teardown';
  index: number;
  name: string;
  docHtml?: string;
  method?: string;
  /** forEach / repeat / if, in words. */
  flow: string[];
  /** The cell's YAML (the editor's text) and its first line in the file. */
  yaml: string;
  line: number;
  /** request, expect, capture, … as written. */
  parts: Record<string, string>;
  /** False when the cell's text holds a secret value: the page cannot show it, so cannot edit it. */
  editable: boolean;
}

export interface DocumentModel {
  file: string;
  title: string;
  descriptionHtml?: string;
  cells: CellModel[];
}

export interface Preview {
  id: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Why the request cannot be shown yet (a value it needs is not there). */
  error?: string;
  /** For a forEach: which item the preview is of. */
  note?: string;
}

export interface ValueRow {
  name: string;
  kind: 'input' | 'var' | 'capture';
  secret?: boolean;
  set: boolean;
  /** Absent for secrets: the page never gets their value. */
  value?: unknown;
}

export function cellId(phase: 'steps' | 'teardown', index: number): string {
  return phase === 'steps' ? String(index) : `teardown-${index}`;
}

/**
 * The cell a `use:` step's results belong to: a used step's StepResult carries the use's file
 * and line (`used`), and its own index and phase are the used notebook's, so they must not
 * pick the cell. Keyed `file:line`.
 */
export function useCells(notebook: Notebook): Map<string, string> {
  const cells = new Map<string, string>();
  for (const step of [...notebook.steps, ...notebook.teardown]) {
    if (step.kind === 'use') cells.set(`${step.span.file}:${step.span.line}`, cellId(step.phase, step.index));
  }
  return cells;
}

function flowOf(step: Step): string[] {
  const flow: string[] = [];
  if (step.forEach) flow.push(`for each ${step.as} in ${'source' in step.forEach.value ? step.forEach.value.source : 'the list'}`);
  if (step.repeat) flow.push(`repeat until ${step.repeat.until.source} (at most ${step.repeat.max} runs)`);
  if (step.when) flow.push(`only if ${step.when.value.source}`);
  return flow;
}

export function documentModel(notebook: Notebook, displayPath: string, sources: CellSource[], redactor: Redactor): DocumentModel {
  const cells = [...notebook.steps, ...notebook.teardown].map((step): CellModel => {
    const src = sources.find((s) => s.phase === step.phase && s.index === step.index);
    const yaml = src?.yaml ?? '';
    return {
      id: cellId(step.phase, step.index),
      phase: step.phase,
      index: step.index,
      name: step.name,
      docHtml: step.doc ? md.render(step.doc) : undefined,
      method: step.kind === 'http' ? step.request.method : undefined,
      flow: flowOf(step),
      yaml,
      line: src?.line ?? step.span.line,
      parts: src?.parts ?? {},
      editable: src !== undefined && redactor.text(yaml) === yaml,
    };
  });
  return redactor.value({
    file: displayPath,
    title: notebook.title,
    descriptionHtml: notebook.description ? md.render(notebook.description) : undefined,
    cells,
  });
}

/** The request each HTTP cell would send now, with the current values; credentials masked. */
export function previews(session: NotebookSession, redactor: Redactor, timeoutMs: number): Preview[] {
  const nb = session.notebook;
  return [...nb.steps, ...nb.teardown].map((step): Preview => {
    const id = cellId(step.phase, step.index);
    if (step.kind !== 'http') return { id };
    try {
      const { local, note } = firstItem(step, session.values);
      const req = renderRequest(step.request, nb, session.baseUrl, scopeOf(session.values, local), timeoutMs);
      const auth = step.auth === 'inherit' ? nb.auth : step.auth === 'none' ? undefined : step.auth;
      const headers = { ...(auth ? { authorization: `${auth.kind === 'basic' ? 'Basic' : 'Bearer'} ${REDACTED}` } : {}), ...req.headers };
      return { id, method: req.method, url: redactor.text(req.url), headers: redactor.headers(headers), body: req.body !== undefined ? redactor.text(req.body) : req.uploadRecord ? redactor.text(uploadText({ ...req, ...req.uploadRecord }) ?? '') : undefined, note };
    } catch (err) {
      return { id, method: step.request.method, error: redactor.text((err as Error).message) };
    }
  });
}

/** A forEach cell is previewed with the first item of its list as it stands now. */
function firstItem(step: Step, values: Map<string, unknown>): { local?: Map<string, unknown>; note?: string } {
  if (!step.forEach) return {};
  const f = step.forEach.value;
  let list: unknown;
  try {
    list = 'render' in f ? f.render(scopeOf(values)) : f.evaluate(scopeOf(values));
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0) return { note: `for each ${step.as}: the list is empty now, so nothing would be sent` };
  return { local: new Map([[step.as, list[0]]]), note: `the first of ${list.length} (for each ${step.as})` };
}

/** Inputs, vars and captures in notebook order. */
export function valueRows(session: NotebookSession, redactor: Redactor): ValueRow[] {
  const nb = session.notebook;
  const values = session.values;
  const row = (name: string, kind: ValueRow['kind']): ValueRow => ({ name, kind, set: values.has(name), value: values.has(name) ? redactor.value(values.get(name)) : undefined });
  const rows: ValueRow[] = session.inputDefs().map((i) => (i.secret ? { name: i.name, kind: 'input', secret: true, set: i.set } : { ...row(i.name, 'input'), set: i.set }));
  for (const v of nb.vars) rows.push(row(v.name, 'var'));
  const seen = new Set(rows.map((r) => r.name));
  for (const step of [...nb.steps, ...nb.teardown]) {
    // A use's captures are the used notebook's (its token, …): the steps after it see them.
    for (const name of step.kind === 'use' ? step.use.captures : step.captures.map((c) => c.name)) {
      if (seen.has(name)) continue;
      seen.add(name);
      rows.push(row(name, 'capture'));
    }
  }
  return rows;
}
