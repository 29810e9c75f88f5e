/**
 * The data files a notebook names with `data('…')`, read when it is loaded: through the file rule
 * (a notebook from a pull request reads nothing outside its repository), relative to the
 * notebook, each file once per run (./files.ts caches them). The values go in the notebook; the
 * `data` function (src/expr/functions.ts) only looks them up.
 */
import { dirname, relative } from 'node:path';
import { checkFileAccess, FileAccessError, type FileRules } from '../files/access.js';
import type { Diagnostic } from '../notebook/diagnostic.js';
import type { Span } from '../notebook/types.js';
import { readDataFile } from './files.js';

/** Reads `name` (as written in the notebook at `usedAt`) into `into`; a problem is returned, located in the data file when it is inside it. */
export function readNotebookData(name: string, notebookFile: string, rules: FileRules, usedAt: Span, into: Map<string, unknown>): Diagnostic | undefined {
  if (into.has(name)) return undefined;
  let real: string;
  try {
    real = checkFileAccess(name, dirname(notebookFile), rules, 'data file');
  } catch (err) {
    if (!(err instanceof FileAccessError)) throw err;
    return { message: err.message, span: usedAt, hint: err.hint };
  }
  const shown = relative(process.cwd(), real) || real;
  const read = readDataFile(real, shown);
  if ('diagnostic' in read) {
    const d = read.diagnostic;
    const where = `read by data('${name}') at ${usedAt.file}:${usedAt.line}:${usedAt.col}`;
    // A file that is not there is the notebook's mistake: shown where it is named.
    if (d.text === undefined) return { message: `${d.message}: \`${name}\``, span: usedAt, hint: d.hint ? `${d.hint}; the path is relative to the notebook` : 'the path is relative to the notebook' };
    return { message: d.message, span: d.span, hint: d.hint ? `${d.hint} (${where})` : where, sourceText: d.text };
  }
  into.set(name, read.value);
  return undefined;
}
