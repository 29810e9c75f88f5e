/**
 * `--out`: checked, and created, before anything is sent. Reports are written at the end of a
 * run; a folder that cannot hold them must stop the run at the start (exit 2), not throw after
 * every request was made. Folders are created one level at a time: Node's recursive mkdir can
 * loop forever on some paths (`/proc/x`), and each level's error is then precise.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createTemp, discardTemp } from '../files/atomic-write.js';
import { UsageError, type ReporterName } from './args.js';

/** Makes sure `out` is a writable folder when some reporter writes files; returns it resolved. */
export function prepareOutDir(out: string, reporters: readonly ReporterName[]): string {
  const dir = resolve(out);
  if (reporters.every((r) => r === 'console')) return dir;
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'dir') break;
    if (kind === 'other') throw new UsageError(`--out ${out}: ${existing === dir ? 'this is' : `${existing} is`} a file, not a folder; reports need a folder (give another --out)`);
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--out ${out}: cannot create the folder ${d} (${describe(err)})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
    // access() trusts permission bits; a read-only mount or a full disk shows only on writing.
    // A temp file like any other (write.ts): a random name made exclusively, so a symlink
    // planted in a shared --out folder is never followed (and its target never truncated).
    discardTemp(createTemp(join(dir, '.api-notebook-write-check')));
  } catch (err) {
    throw new UsageError(`--out ${out}: reports cannot be written in ${dir} (${describe(err)})`);
  }
  return dir;
}

function kindOf(path: string): 'dir' | 'other' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'none';
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left',
    ENOENT: 'this place does not accept new folders', ENOTDIR: 'a part of the path is a file',
  };
  return e.code ? `${words[e.code] ?? e.code}` : String(e.message ?? err);
}
