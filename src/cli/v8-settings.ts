/**
 * V8 settings for a short-lived CLI, applied before anything else loads (the young generation's
 * size is set in the shebang of main.ts: it cannot change once the heap exists).
 *
 * WebAssembly stays on Liftoff, V8's baseline compiler. Our only WebAssembly is undici's HTTP
 * parser (llhttp); after its first few responses V8 recompiles its main function with TurboFan:
 * 120-190 ms of CPU and ~40 MB of compiler memory on a background thread, and a process cannot
 * exit before that compile ends. Measured on a 2-core machine: a one-step run ends ~0.1 s sooner
 * (start-up 0.50 -> 0.37 s in npm run bench), a 900-step run uses ~0.1 s less CPU and ~30 MiB
 * less peak memory, a 20,000-step run the same CPU (the parser is a small part of a step).
 * Set at run time, the flag takes effect in the V8 of Node 20 and 22 (11.3, 12.4). The V8 of
 * Node 24 (13.6) reads it only from the command line: set here it changes nothing (the parser still
 * tiers up), and given on the command line it saved no CPU on a 30-request run (0.48 s either way,
 * medians of 5) and 4-20 MB of peak memory, not worth a second process start; so from V8 13 on the
 * CLI leaves node's defaults alone.
 */
import { setFlagsFromString } from 'node:v8';

/** Whether `--liftoff-only` set at run time takes effect in the V8 of this version (`12.4.254…`). */
export function liftoffOnlyAtRunTime(v8Version: string): boolean {
  const major = Number(v8Version.split('.')[0]);
  return major >= 11 && major <= 12;
}

if (liftoffOnlyAtRunTime(process.versions.v8)) setFlagsFromString('--liftoff-only');
