/**
 * Atomic writes, all of them (report files, report segments, the notebook saved by `open`, the
 * probe of --out): a temp file beside the target, then a rename, so a file is whole or absent.
 *
 * The temp file is the dangerous part: its folder may be shared (a reports folder in /tmp, a
 * checkout other users can write to), and a name another user can guess lets them plant a
 * symlink under it that a plain open('w') follows, truncating or overwriting whatever the link
 * points to. So every temp file here is made by createTemp(): a random name (still starting
 * with `.<file>.<pid>.` so stale ones of dead runs can be swept) opened with O_CREAT|O_EXCL
 * ('wx'), which fails on anything already there, a symlink included, and never follows one.
 * Nothing in src/ opens a temp file any other way.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Read/write for the owner only: what is in a temp file is nobody else's business. */
export const PRIVATE = 0o600;
/** The usual mode of a new file (the umask still applies), for reports others may read. */
export const SHARED = 0o666;

export interface TempFile {
  path: string;
  fd: number;
}

/**
 * Creates a new, empty temp file beside `file`, exclusively. `mode` applies from the first byte
 * (the umask narrows it further). A name that exists already (4 chances in 2^64) is tried again.
 */
export function createTemp(file: string, mode = PRIVATE): TempFile {
  for (let attempt = 0; ; attempt++) {
    const path = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { path, fd: openSync(path, 'wx', mode) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
  }
}

/** A new private folder beside `file` (mode 0700, random name, made exclusively) for parts of it. */
export function createTempDir(file: string): string {
  return mkdtempSync(join(dirname(file), `.${basename(file)}.${process.pid}.`));
}

/** Closes the temp file and renames it over `file`; on failure the temp file is removed. */
export function commitTemp(temp: TempFile, file: string, mode?: number): void {
  try {
    if (mode !== undefined) fchmodSync(temp.fd, mode);
    closeSync(temp.fd);
    renameSync(temp.path, file);
  } catch (err) {
    discardTemp(temp);
    throw err;
  }
}

export function discardTemp(temp: TempFile): void {
  try {
    closeSync(temp.fd);
  } catch {
    // closed already
  }
  rmSync(temp.path, { force: true });
}

export interface AtomicOptions {
  /** The mode the temp file is created with (default: SHARED, as a new file would get). */
  mode?: number;
  /** The mode the file gets once written, set before the rename (e.g. the mode of the file it replaces). */
  finalMode?: number;
}

/** Writes `content` to `file` whole or not at all. */
export function writeFileAtomic(file: string, content: string, options: AtomicOptions = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = createTemp(file, options.mode ?? SHARED);
  try {
    // Synchronous on purpose: an interrupt arriving mid-write cannot leave half a file behind.
    const bytes = Buffer.from(content, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(temp.fd, bytes, at, bytes.length - at);
  } catch (err) {
    discardTemp(temp);
    throw err;
  }
  commitTemp(temp, file, options.finalMode);
}
