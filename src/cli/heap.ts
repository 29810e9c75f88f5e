/**
 * The heap of a big suite (src/cli/load-all.ts lets its notebooks' steps go until each runs).
 * On a machine with memory to spare V8 lets the heap grow to four times what was live at its
 * last full collection, and reading a 10,000-step notebook leaves tens of megabytes of garbage:
 * nine such notebooks with every reporter on peaked at 420-480 MiB for ~40 MiB live. So a big
 * suite asks V8 to grow by at most 2× (`--heap-growing-percent`, read at run time) and
 * collects once after each notebook is read. Measured on 9 × 10,000 steps (npm run bench):
 * peak 165-190 MiB on Node 20, for ~8% more wall time. Small suites keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** From now on the heap grows by at most 2× its live size, and `collectGarbage` collects. */
export function holdHeapSmall(): void {
  if (gc) return;
  setFlagsFromString('--heap-growing-percent=100');
  // Node's own way to a gc() function without starting with --expose-gc.
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
}

/** A full collection, once holdHeapSmall was called (else nothing). */
export function collectGarbage(): void {
  gc?.();
}
