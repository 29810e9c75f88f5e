/**
 * Where `--env NAME` is read from: `environments/NAME.yaml` (or `.yml`) next to the notebook or
 * in a folder above it, nearest first, as far up as the notebook's repository (the nearest folder
 * with `.git`), the way schema names are found. A suite keeps one `environments/` folder at its
 * top and every notebook below finds it; a sub-suite may keep its own.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repositoryRoot } from '../files/access.js';

/** An environment's name is a file name: no path, no `..`. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function environmentFolders(notebookFile: string): string[] {
  const start = dirname(resolve(notebookFile));
  const root = repositoryRoot(start);
  const dirs: string[] = [];
  for (let d = start; ; d = dirname(d)) {
    dirs.push(join(d, 'environments'));
    if (d === root || dirname(d) === d) break;
  }
  return dirs;
}

/** The file of environment `name` for this notebook, or where it looked and which environments exist there. */
export function findEnvironmentFile(name: string, notebookFile: string): { file: string } | { looked: string[]; known: string[] } {
  const dirs = environmentFolders(notebookFile);
  for (const dir of dirs) {
    for (const ext of ['.yaml', '.yml']) {
      const file = join(dir, name + ext);
      if (existsSync(file)) return { file };
    }
  }
  const known = new Set<string>();
  for (const dir of dirs) {
    try {
      for (const f of readdirSync(dir)) if (/\.ya?ml$/.test(f)) known.add(f.replace(/\.ya?ml$/, ''));
    } catch {}
  }
  return { looked: dirs, known: [...known].sort() };
}
