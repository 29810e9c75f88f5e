/** Loads every notebook of a command, printing all their diagnostics; any problem means exit 2. */
import { SchemaRegistry } from '../checks/schemas.js';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import { loadNotebook } from '../notebook/load.js';
import type { Notebook } from '../notebook/types.js';
import { BUILTIN_NAMES } from '../run/context.js';

export interface Loaded {
  notebooks: Notebook[];
  problems: number;
}

export async function loadAll(files: string[], extraNames: string[], stderr: NodeJS.WritableStream, color: boolean): Promise<Loaded> {
  const registry = new SchemaRegistry();
  const notebooks: Notebook[] = [];
  let problems = 0;
  for (const file of files) {
    const result = await loadNotebook(file, { registry, extraNames: [...BUILTIN_NAMES, ...extraNames] });
    if (result.notebook) notebooks.push(result.notebook);
    for (const d of result.diagnostics) stderr.write(renderDiagnostic(d, result.text, color) + '\n\n');
    problems += result.diagnostics.length;
  }
  if (problems) stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found; nothing was sent.\n`);
  return { notebooks, problems };
}
