import { join } from 'node:path';
import type { RunHooks, RunResult } from '../run/results.js';
import { writeFileAtomic } from './write.js';

/** A reporter is a set of optional run hooks; `files` lists what it writes, for the summary. */
export interface Reporter extends RunHooks {
  readonly name: string;
  readonly files?: string[];
}

/** Calls the same hook on every reporter, in order. Adding a format touches one new file. */
export function fanOut(reporters: Reporter[]): Required<RunHooks> {
  const call = <K extends keyof RunHooks>(hook: K) =>
    async (arg: Parameters<NonNullable<RunHooks[K]>>[0]) => {
      for (const r of reporters) await (r[hook] as ((a: typeof arg) => unknown) | undefined)?.call(r, arg);
    };
  return {
    onRunStart: call('onRunStart'),
    onNotebookStart: call('onNotebookStart'),
    onStepStart: call('onStepStart'),
    onStepEnd: call('onStepEnd'),
    onNotebookEnd: call('onNotebookEnd'),
    onRunEnd: call('onRunEnd'),
  };
}

/** A reporter that renders the whole run into one file under outDir when the run ends. */
export function fileReporter(name: string, outDir: string, fileName: string, render: (run: RunResult) => string): Reporter {
  const file = join(outDir, fileName);
  return {
    name,
    files: [file],
    onRunEnd(run) {
      writeFileAtomic(file, render(run));
    },
  };
}
