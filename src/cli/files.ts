/** Expands the paths given on the command line: files as given, folders into their notebooks. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args.js';

const NOTEBOOK = /\.ya?ml$/i;

export function collectNotebookFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) {
      const found = walk(p).filter((f) => NOTEBOOK.test(f)).sort();
      if (!found.length) throw new UsageError(`no *.yaml or *.yml notebooks in ${p}`);
      files.push(...found);
    } else files.push(p);
  }
  return [...new Set(files.map((f) => resolve(f)))];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
