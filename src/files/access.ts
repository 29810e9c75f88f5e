/**
 * One rule for every local file that a notebook, a description or an imported file names:
 * schemas, OpenAPI descriptions and their `$ref`s, uploads, raw file bodies, data files,
 * examples pulled into an import. A notebook from a pull request must not be able to read
 * `~/.aws/credentials` into a request body or an error message.
 *
 * A file may be read when, after every symlink is resolved, it lies inside one of the rule's
 * roots: the repository that holds the notebook (the nearest folder above it with a `.git`;
 * without one, the notebook's own folder), the schemas and descriptions shipped with
 * api-notebook, and each folder given with `--allow-files DIR`. Resolving first is the point:
 * a link inside the repository that points out of it is outside.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The installed package's folder (dist/files/ → two up), whose schemas/ are always readable. */
import { PACKAGE_ROOT } from './package-root.js';

export interface FileRules {
  /** Real paths of the folders files may come from, the repository's first. */
  readonly roots: readonly string[];
}

export class FileAccessError extends Error {
  constructor(
    /** The path as the notebook wrote it. */
    readonly requested: string,
    /** Where it leads once resolved (symlinks followed). */
    readonly resolved: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The nearest folder at or above `dir` that holds `.git`, else `dir` itself. */
export function repositoryRoot(dir: string): string {
  const start = resolve(dir);
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return start;
  }
}

/** The rules for files named by `notebookFile` (or by an imported file), widened by --allow-files. */
export function fileRulesFor(notebookFile: string, allowFiles: readonly string[] = []): FileRules {
  const roots = [repositoryRoot(dirname(resolve(notebookFile))), join(PACKAGE_ROOT, 'schemas'), ...allowFiles.map((d) => resolve(d))];
  return { roots: [...new Set(roots.map(realPath))] };
}

/**
 * The real path of `requested` (relative to `fromDir`) when the rules allow it; a FileAccessError
 * when they do not. A file that does not exist yet is resolved through its nearest existing
 * folder, so the caller still reports "not found" for a missing file inside the roots.
 */
export function checkFileAccess(requested: string, fromDir: string, rules: FileRules, what = 'file'): string {
  const real = realPath(isAbsolute(requested) ? requested : resolve(fromDir, requested));
  if (rules.roots.some((root) => isInside(real, root))) return real;
  throw new FileAccessError(
    requested,
    real,
    `the ${what} \`${requested}\` is outside the notebook's repository (it resolves to ${real})`,
    `files are read only from inside ${rules.roots[0]}; to allow another folder, pass --allow-files DIR`,
  );
}

export function isInside(file: string, root: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** realpath of the deepest existing ancestor, with the rest of the path joined back on. */
function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}
