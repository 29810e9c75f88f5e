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
 * The flag exists in every V8 that Node 20-24 ship (11.3-13.6); later ones are left alone.
 */
import { setFlagsFromString } from 'node:v8';

const V8_WITH_LIFTOFF_ONLY = { from: 11, to: 13 };

const major = Number(process.versions.v8.split('.')[0]);
if (major >= V8_WITH_LIFTOFF_ONLY.from && major <= V8_WITH_LIFTOFF_ONLY.to) setFlagsFromString('--liftoff-only');
