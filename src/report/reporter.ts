/**
 * The reporter interface. Results stream: a reporter sees each step as it finishes, through the
 * sink it returns for that notebook, and only the run's record (summary, notebook records, no
 * steps) at the end. With --jobs several notebooks' sinks are live at once; `slot` is the
 * notebook's position in the run, so reports keep notebook order whatever the finish order.
 */
import type { Phase } from '../notebook/types.js';
import { join } from 'node:path';
import type { NotebookRecord, RunHooks, RunRecord, StepResult } from '../run/results.js';
import { SegmentedFile, type FileWriter } from './segments.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export interface RunStartInfo {
  notebooks: Array<{ file: string; title: string }>;
  startedAt: string;
  /** More than one notebook may run at once (--jobs above 1). */
  concurrent: boolean;
  /** --env NAME. */
  environment?: string;
}

export interface NotebookInfo {
  slot: number;
  file: string;
  title: string;
  baseUrl: string;
  description?: string;
}

/** One notebook's events, in order. */
export interface NotebookSink {
  onStepStart?(info: { name: string; phase: Phase; index: number; method?: string; iteration?: StepResult['iteration'] }): void;
  onStepEnd?(result: StepResult): void;
  onNotebookEnd?(record: NotebookRecord): void;
}

/** A reporter; `files` lists what it writes, for the summary. */
export interface Reporter {
  readonly name: string;
  readonly files?: string[];
  onRunStart?(info: RunStartInfo): void | Promise<void>;
  onNotebookStart?(info: NotebookInfo): NotebookSink | void;
  onRunEnd?(run: RunRecord): void | Promise<void>;
  /** The run ended without reports (an internal error): remove any temp files. */
  discard?(): void;
}

/** The runner's hooks for the notebook in `slot`, fanned out to every reporter's sink. */
export function notebookHooks(reporters: Reporter[], slot: number, extra: NotebookSink[] = []): Required<RunHooks> {
  let sinks: NotebookSink[] = [];
  return {
    onNotebookStart(info) {
      sinks = [...extra];
      for (const r of reporters) {
        const sink = r.onNotebookStart?.({ slot, ...info });
        if (sink) sinks.push(sink);
      }
    },
    onStepStart(info) {
      for (const s of sinks) s.onStepStart?.(info);
    },
    onStepEnd(result) {
      for (const s of sinks) s.onStepEnd?.(result);
    },
    onNotebookEnd(record) {
      for (const s of sinks) s.onNotebookEnd?.(record);
    },
  };
}

export async function runStart(reporters: Reporter[], info: RunStartInfo): Promise<void> {
  for (const r of reporters) await r.onRunStart?.(info);
}

export async function runEnd(reporters: Reporter[], run: RunRecord): Promise<void> {
  for (const r of reporters) await r.onRunEnd?.(run);
}

/** What a streamed report file keeps of one notebook until the end: its record and a small state. */
export interface StreamedNotebook<S> {
  slot: number;
  info: NotebookInfo;
  record?: NotebookRecord;
  state: S;
}

export interface StreamedFormat<S> {
  /** Small per-notebook state (counts, a capped list), created when the notebook starts. */
  start(info: NotebookInfo): S;
  /** One step's text for the notebook's segment (may update the state). */
  step(result: StepResult, nb: StreamedNotebook<S>, index: number): string;
  /** Text that closes the notebook's segment (an open block). */
  end?(nb: StreamedNotebook<S>): string;
  /** The whole file, in notebook order: `segment(nb)` appends that notebook's step texts. */
  assemble(out: FileWriter, run: RunRecord, notebooks: Array<StreamedNotebook<S>>, segment: (nb: StreamedNotebook<S>) => void): void;
}

/** A reporter that streams each notebook's steps to a segment and assembles one file at the end. */
export function streamedReporter<S>(name: string, outDir: string, fileName: string, format: StreamedFormat<S>): Reporter {
  const file = join(outDir, fileName);
  const segments = new SegmentedFile(file);
  const notebooks = new Map<number, StreamedNotebook<S>>();
  return {
    name,
    files: [file],
    onNotebookStart(info) {
      const nb: StreamedNotebook<S> = { slot: info.slot, info, state: format.start(info) };
      notebooks.set(info.slot, nb);
      const out = segments.segment(info.slot);
      let index = 0;
      return {
        onStepEnd(result) {
          out.write(format.step(result, nb, index++));
        },
        onNotebookEnd(record) {
          nb.record = record;
          if (format.end) out.write(format.end(nb));
          segments.endSegment(info.slot);
        },
      };
    },
    onRunEnd(run) {
      const ordered = [...notebooks.values()].sort((a, b) => a.slot - b.slot);
      segments.assemble((out, append) => format.assemble(out, run, ordered, (nb) => append(nb.slot)));
      notebooks.clear();
    },
    discard() {
      segments.discard();
    },
  };
}

/** A small report rendered whole from the run's record when the run ends (no steps: they stream). */
export function fileReporter(name: string, outDir: string, fileName: string, render: (run: RunRecord) => string): Reporter {
  const file = join(outDir, fileName);
  return {
    name,
    files: [file],
    onRunEnd(run) {
      writeFileAtomic(file, render(run));
    },
  };
}
