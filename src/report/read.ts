/**
 * Reads a report.json as a stream of events (the run's head, each notebook, each step), so
 * `merge` and `--baseline` handle a report of any size in flat memory. report.json as this tool
 * writes it has one step per line; any other layout of valid JSON (an older version, a file
 * re-indented by another tool) is read whole with JSON.parse. Reports of older versions lack
 * `counts`, `attempts` and `flaky`: they are filled in. Every part is checked against
 * schemas/report/report.schema.json as it is read (report-schema.ts): a crafted file is refused, named.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { NotebookRecord, RunRecord, StepResult } from '../run/results.js';
import { emptyCounts } from '../run/results.js';
import { NOTEBOOK_STEPS_OPEN } from './json.js';
import { reportSchema, ReportSchemaError } from './report-schema.js';

export class ReportReadError extends Error {}

export type ReportEvent =
  | { kind: 'run'; run: Omit<RunRecord, 'notebooks'> }
  | { kind: 'notebook'; notebook: NotebookRecord }
  | { kind: 'step'; step: StepResult }
  | { kind: 'notebookEnd' };

class NotStreamable extends Error {}

export interface ReadOptions {
  /** false: skip the steps (a quick pass over the notebooks only). */
  steps?: boolean;
}

export async function* readReport(file: string, options: ReadOptions = {}): AsyncGenerator<ReportEvent> {
  const withSteps = options.steps !== false;
  try {
    if (!statSync(file).isFile()) throw new ReportReadError(`${file}: not a file`);
  } catch (err) {
    if (err instanceof ReportReadError) throw err;
    throw new ReportReadError(`${file}: no such report (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const events: ReportEvent[] = [];
  let streamed = 0;
  try {
    for await (const e of streamLines(file, withSteps, valid)) {
      events.push(e);
      // Hold back only until the layout is known to be ours; then pass events straight on.
      if (events.length > 2 || e.kind === 'step') {
        for (const x of events) yield x;
        streamed += events.length;
        events.length = 0;
      }
    }
    for (const x of events) yield x;
    return;
  } catch (err) {
    if (!(err instanceof NotStreamable) || streamed > 0) throw err instanceof NotStreamable ? new ReportReadError(`${file}: ${err.message}`) : err;
  }
  for (const e of readWhole(file, valid)) if (withSteps || e.kind !== 'step') yield e;
}

/** Runs one of reportSchema's checks; its failure is a ReportReadError like any other. */
function valid(checkIt: () => void): void {
  try {
    checkIt();
  } catch (err) {
    throw err instanceof ReportSchemaError ? new ReportReadError(err.message) : err;
  }
}

type Valid = typeof valid;

async function* streamLines(file: string, withSteps: boolean, valid: Valid): AsyncGenerator<ReportEvent> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let head = '';
  let state: 'head' | 'notebooks' | 'steps' | 'end' = 'head';
  let lineNo = 0;
  let notebook = -1;
  let step = 0;
  for await (const line of lines) {
    lineNo++;
    if (state === 'head') {
      if (line === '  "notebooks": [') {
        const run = checkRun(parse(`${head}  "notebooks": []\n}`, lineNo), file);
        valid(() => reportSchema.head(run, file, lineNo));
        yield { kind: 'run', run };
        state = 'notebooks';
      } else {
        head += line + '\n';
        if (head.length > 50_000_000) throw new NotStreamable('head too long');
      }
    } else if (state === 'notebooks') {
      const t = line.trim();
      if (t.endsWith(NOTEBOOK_STEPS_OPEN) && t.startsWith('{')) {
        const record = parse(`${t.slice(0, -NOTEBOOK_STEPS_OPEN.length)}}`, lineNo);
        notebook++;
        step = 0;
        valid(() => reportSchema.notebook(record, file, lineNo, notebook));
        yield { kind: 'notebook', notebook: fillRecord(record) };
        state = 'steps';
      } else if (t === ']') state = 'end';
      else throw new NotStreamable(`line ${lineNo}: unexpected text`);
    } else if (state === 'steps') {
      const t = line.trim();
      if (t === ']},' || t === ']}') {
        yield { kind: 'notebookEnd' };
        state = 'notebooks';
      } else if (t.startsWith('{')) {
        if (withSteps) {
          const data = parse(t.endsWith(',') ? t.slice(0, -1) : t, lineNo);
          const index = step++;
          valid(() => reportSchema.step(data, file, lineNo, notebook, index));
          yield { kind: 'step', step: fillStep(data) };
        }
      }
      else if (t !== '') throw new NotStreamable(`line ${lineNo}: unexpected text`);
    } else if (line.trim() !== '}' && line.trim() !== '') throw new NotStreamable(`line ${lineNo}: unexpected text`);
  }
  if (state !== 'end') throw new NotStreamable('the file ends early');
}

function parse(text: string, line: number): any {
  try {
    return JSON.parse(text);
  } catch {
    throw new NotStreamable(`line ${line}: not JSON`);
  }
}

function* readWhole(file: string, valid: Valid): Generator<ReportEvent> {
  let data: any;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ReportReadError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const { notebooks, ...run } = checkRun(data, file) as RunRecord & { notebooks: unknown };
  if (!Array.isArray(notebooks)) throw new ReportReadError(`${file}: not an api-notebook report.json (no \`notebooks\` list)`);
  valid(() => reportSchema.whole(data, file));
  yield { kind: 'run', run };
  for (const nb of notebooks as Array<NotebookRecord & { steps?: unknown[] }>) {
    const { steps, ...record } = nb;
    yield { kind: 'notebook', notebook: fillRecord(record) };
    for (const s of Array.isArray(steps) ? steps : []) yield { kind: 'step', step: fillStep(s) };
    yield { kind: 'notebookEnd' };
  }
}

function checkRun(data: any, file: string): Omit<RunRecord, 'notebooks'> {
  if (!data || typeof data !== 'object' || data.tool?.name !== 'api-notebook' || typeof data.summary !== 'object') {
    throw new ReportReadError(`${file}: not an api-notebook report.json (it has no \`tool.name: "api-notebook"\` and \`summary\`)`);
  }
  return data;
}

function fillRecord(nb: any): NotebookRecord {
  return { ...nb, counts: nb.counts ?? emptyCounts() };
}

function fillStep(s: any): StepResult {
  if (s.attempts === undefined) s.attempts = s.status === 'skipped' ? 0 : 1;
  if (s.flaky === undefined) s.flaky = false;
  if (!Array.isArray(s.checks)) s.checks = [];
  if (!s.captures) s.captures = {};
  return s as StepResult;
}
