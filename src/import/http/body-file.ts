/**
 * A file an imported request sends (`< ./body.json`, `@file(photo.png)`), as the notebook will
 * name it: relative to the notebook. The notebook may only read files inside its repository
 * (src/files/access.ts), so a file that is missing or outside is reported, not written: the
 * loader would refuse the whole notebook for it.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { checkFileAccess, fileRulesFor } from '../../files/access.js';

export function notebookFile(file: string, fromDir: string, notebookDir: string): { path: string } | { why: string } {
  if (/^[A-Za-z]:[\\/]/.test(file)) return { why: `the file ${file} is a Windows path; copy it beside the notebook and name it relative to it` };
  const absolute = isAbsolute(file) ? file : resolve(fromDir, file);
  if (!existsSync(absolute)) return { why: `the file ${file} is not there (looked for ${absolute}); the request is sent without it` };
  try {
    checkFileAccess(absolute, notebookDir, fileRulesFor(join(notebookDir, 'notebook.yaml')));
  } catch {
    return { why: `the file ${file} lies outside the notebook's repository, which a notebook may not read; copy it in and name it relative to the notebook` };
  }
  return { path: relative(notebookDir, absolute).split('\\').join('/') };
}
