/**
 * A file an imported request sends (`-d @body.json`, `-F file=@a.png`, Hurl's `file,a.png;`) is
 * named relative to where the command ran: the imported file's folder (the working directory
 * for stdin). The notebook names files relative to itself, under the one file rule
 * (src/files/access.ts); a file that is missing or outside the notebook's repository cannot be
 * written as a key (validate would refuse the notebook), so it is kept as a comment instead.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { checkFileAccess, FileAccessError, fileRulesFor } from '../../files/access.js';

export interface FilePlace {
  /** Folder the source's relative file names start from. */
  sourceDir: string;
  /** The notebook being written (or where it would be). */
  notebookFile: string;
}

/** The path to write in the notebook, or why the file cannot be sent. */
export function notebookPath(requested: string, place: FilePlace): { path: string } | { why: string } {
  const abs = isAbsolute(requested) ? requested : resolve(place.sourceDir, requested);
  try {
    checkFileAccess(abs, place.sourceDir, fileRulesFor(place.notebookFile));
  } catch (err) {
    if (err instanceof FileAccessError) return { why: `the file ${requested} is outside the notebook's repository; copy it in and name it in the step` };
    throw err;
  }
  let isFile = false;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    return { why: `the file ${requested} was not found beside the imported file; put it there and import again, or add it to the step` };
  }
  if (!isFile) return { why: `${requested} is not a file` };
  const rel = relative(dirname(resolve(place.notebookFile)), abs).split(sep).join('/');
  return { path: rel };
}
