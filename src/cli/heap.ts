/**
 * The heap of a big suite's run (src/cli/load-all.ts lets its notebooks' steps go until each
 * runs). On a machine with memory to spare V8 lets the heap grow to four times what was live at
 * its last full collection, and reading a 10,000-step notebook leaves tens of megabytes of
 * garbage: nine such notebooks with every reporter on peaked at 420-480 MiB for ~40 MiB live.
 * So a big suite's run asks V8 to grow by at most 2× (`--heap-growing-percent`, read at run
 * time) and collects once after each notebook is read: peak 527 -> 190 MiB on Node 20 (npm run
 * bench), for 10-15% more wall time and ~30% more CPU. The collections are memory-reducing ones,
 * after which V8 regrows the heap by steps (a plain major GC frees as much but leaves the heap
 * big). So only `run`
 * asks for this (`validate` holds no results while it reads: its peak is one notebook's), and
 * small suites keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let wanted = false;
let gc: (() => void) | undefined;

/** This command runs what it loads: a big suite's heap is to be held small (`run` calls it before loading). */
export function boundBigSuites(): void {
  wanted = true;
}

/** The suite is big: from now on the heap grows by at most 2× its live size, and `collectGarbage` collects. */
export function holdHeapSmall(): void {
  if (!wanted || gc) return;
  setFlagsFromString('--heap-growing-percent=100');
  // Node's own way to a gc() function without starting with --expose-gc.
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
}

/** V8 11 (Node 20) gives emptied pages back after a plain collection; V8 12 on keeps them (see collectGarbage). */
const RETURNS_PAGES_ON_PLAIN_GC = Number(process.versions.v8.split('.')[0]) < 12;

/**
 * A full collection that gives the freed memory back, once holdHeapSmall took effect (else
 * nothing). From V8 12 (Node 22) a plain gc() keeps the pages it emptied for reuse: nine
 * 10,000-step notebooks read one after another left Node 24 at 245 MiB resident for a 61 MiB
 * heap. The last-resort flavour (V8's collection before it gives up for lack of memory) returns
 * them; V8 11 (Node 20) returns them after a plain one and ignores the options.
 */
export function collectGarbage(): void {
  if (!gc) return;
  if (RETURNS_PAGES_ON_PLAIN_GC) gc();
  else (gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

