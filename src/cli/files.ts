/** Expands the paths given on the command line: files as given, folders into their notebooks. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
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

/**
 * `--shard i/n`: the notebooks of shard i (from 1) of n. The list is sorted by the path relative to
 * the working directory (the same on every CI machine with the same checkout), then dealt out
 * round-robin, which also spreads a folder of similar notebooks evenly.
 */
export function shardFiles(files: string[], shard: { index: number; total: number }): string[] {
  const sorted = [...files].sort((a, b) => compareText(displayPath(a), displayPath(b)));
  return sorted.filter((_, k) => k % shard.total === shard.index - 1);
}

function displayPath(file: string): string {
  return relative(process.cwd(), file).split(sep).join('/');
}

/** Code-unit order, as Array.prototype.sort: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
