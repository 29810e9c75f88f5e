/**
 * Where compiled validators are cached between runs (compile-cache.ts):
 * `--cache-dir DIR` (or API_NOTEBOOK_CACHE_DIR), else `node_modules/.cache/api-notebook/` in the
 * nearest node_modules above the notebooks (then above the working directory), the folder build
 * tools such as Babel and ESLint use; else a folder of this user's in the OS temp folder.
 * `--no-cache` (or API_NOTEBOOK_NO_CACHE=1) turns it off.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface CacheSettings {
  /** --cache-dir DIR. */
  dir?: string;
  /** --no-cache. */
  disabled?: boolean;
  /** Folders the default is looked for above (the notebooks' first), then the working directory. */
  near?: readonly string[];
  /** Do not load the build's validators (dist/compiled): the tests compare them with fresh compiles. */
  noBuilt?: boolean;
  /** The build writes the shipped validators here (and reads no user cache). */
  writeDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function resolveCacheDir(settings: CacheSettings): string | null {
  const env = settings.env ?? process.env;
  if (settings.disabled || /^(1|true|yes)$/i.test(env.API_NOTEBOOK_NO_CACHE ?? '')) return null;
  const given = settings.dir ?? (env.API_NOTEBOOK_CACHE_DIR || undefined);
  if (given !== undefined) return resolve(given);
  for (const start of [...(settings.near ?? []), process.cwd()]) {
    const modules = nearestNodeModules(resolve(start));
    if (modules) return join(modules, '.cache', 'api-notebook');
  }
  // Per user: another user's folder of the same name fails the ownership check and is not used.
  return join(tmpdir(), `api-notebook-cache-${userName()}`);
}

function nearestNodeModules(from: string): string | undefined {
  for (let d = isDir(from) ? from : dirname(from); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules');
    if (existsSync(candidate) && isDir(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function userName(): string {
  try {
    return typeof process.getuid === 'function' ? String(process.getuid()) : userInfo().username.replace(/[^\w.-]/g, '_');
  } catch {
    return 'user';
  }
}
