/**
 * `--baseline <report.json>`: compares this run with an earlier one (last night's). A step is
 * the same step when its notebook file, phase, name and iteration match (the n-th such step when
 * a name repeats). Newly failing: failed or errored now, not before (or new). Fixed: failing
 * before, passing now. Slower: passed both times and took more than the threshold longer (and
 * at least MIN_SLOWER_MS more, so sub-millisecond noise is not news). Lists are capped; counts are not.
 */
import type { Notebook } from '../notebook/types.js';
import type { BaselineDiff, StepRef, StepResult, StepStatus } from '../run/results.js';
import { stepTitle } from './format.js';
import { readReport } from './read.js';
import type { NotebookSink } from './reporter.js';

const LISTED = 1000;
export const MIN_SLOWER_MS = 5;

interface Before {
  status: StepStatus;
  durationMs: number;
}

function stepKey(file: string, r: StepResult): string {
  return `${file}\u0000${r.phase}\u0000${r.name}\u0000${r.iteration?.index ?? ''}`;
}

/** Numbers repeated keys within one notebook: the second "Retry" is `…#2`. */
function keyer(file: string): (r: StepResult) => string {
  const seen = new Map<string, number>();
  return (r) => {
    const key = stepKey(file, r);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  };
}

export async function loadBaseline(file: string, thresholdPercent: number): Promise<BaselineComparer> {
  const before = new Map<string, Before>();
  let startedAt: string | undefined;
  let key: ((r: StepResult) => string) | undefined;
  for await (const e of readReport(file)) {
    if (e.kind === 'run') startedAt = e.run.startedAt;
    else if (e.kind === 'notebook') key = keyer(e.notebook.file);
    else if (e.kind === 'step' && key) before.set(key(e.step), { status: e.step.status, durationMs: e.step.durationMs });
  }
  return new BaselineComparer(file, startedAt, before, thresholdPercent);
}

type Listed<T> = { order: [number, number]; ref: T };

export class BaselineComparer {
  private readonly newlyFailing: Array<Listed<BaselineDiff['newlyFailing'][number]>> = [];
  private readonly fixed: Array<Listed<BaselineDiff['fixed'][number]>> = [];
  private readonly slower: Array<Listed<BaselineDiff['slower'][number]>> = [];
  private readonly counts = { newlyFailing: 0, fixed: 0, slower: 0 };

  constructor(readonly file: string, readonly startedAt: string | undefined, private readonly before: Map<string, Before>, readonly thresholdPercent: number) {}

  /** The comparison of one notebook's steps as they finish (slot: the notebook's position). */
  sink(slot: number, notebook: Pick<Notebook, 'file' | 'title'>): NotebookSink {
    const key = keyer(notebook.file);
    let seq = 0;
    return { onStepEnd: (r) => this.compare(r, key(r), [slot, seq++], notebook) };
  }

  compare(r: StepResult, key: string, order: [number, number], notebook: Pick<Notebook, 'file' | 'title'>): void {
    const was = this.before.get(key);
    const ref: StepRef = { file: r.span.file, notebook: notebook.title, step: stepTitle(r), status: r.status, line: r.span.line, durationMs: r.durationMs };
    const bad = (s: StepStatus | undefined) => s === 'failed' || s === 'error';
    const add = <T>(list: Array<Listed<T>>, name: keyof typeof this.counts, item: T) => {
      this.counts[name]++;
      if (list.length < LISTED) list.push({ order, ref: item });
    };
    if (bad(r.status) && !bad(was?.status)) add(this.newlyFailing, 'newlyFailing', { ...ref, was: was?.status ?? null });
    else if (r.status === 'passed' && was && bad(was.status)) add(this.fixed, 'fixed', { ...ref, was: was.status });
    else if (r.status === 'passed' && was?.status === 'passed' && r.durationMs > was.durationMs * (1 + this.thresholdPercent / 100) && r.durationMs - was.durationMs >= MIN_SLOWER_MS) {
      add(this.slower, 'slower', { ...ref, baselineMs: was.durationMs });
    }
  }

  result(): BaselineDiff {
    const sorted = <T>(list: Array<Listed<T>>) => [...list].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).map((x) => x.ref);
    return {
      file: this.file,
      startedAt: this.startedAt,
      thresholdPercent: this.thresholdPercent,
      counts: { ...this.counts },
      newlyFailing: sorted(this.newlyFailing),
      fixed: sorted(this.fixed),
      slower: sorted(this.slower),
    };
  }
}
