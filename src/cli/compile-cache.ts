/**
 * Node's on-disk compile cache (`module.enableCompileCache()`, Node >= 22.1): the second start of
 * the CLI reuses V8's code cache of its modules instead of compiling them again. Imported first by
 * main.ts, so every module loaded after it is cached. On a Node without it (20) this does nothing;
 * a folder that cannot be written is reported by Node as a status, never thrown, and the CLI runs
 * uncached. NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=dir chooses the folder.
 */
import * as nodeModule from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

type WithCompileCache = { enableCompileCache?: (dir?: string) => unknown };

/** The folder in the OS temp dir, one per user (another user's folder is not ours to write). */
export function compileCacheDir(): string {
  let user = 'user';
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    // No user database entry (a container's arbitrary uid): one shared name is still fine.
  }
  return join(tmpdir(), `api-notebook-compile-cache-${user}`);
}

const enable = (nodeModule as WithCompileCache).enableCompileCache;
if (typeof enable === 'function' && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    enable(process.env.NODE_COMPILE_CACHE || compileCacheDir());
  } catch {
    // A cache is an optimisation: never a reason for the command to fail.
  }
}
