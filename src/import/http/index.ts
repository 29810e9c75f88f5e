/** `import --from http`: a .http / .rest file (REST Client, JetBrains HTTP Client, httpyac). */
import { dirname, resolve } from 'node:path';
import type { ImportResult } from '../draft.js';
import { ImportError } from '../draft.js';
import { readImportText } from '../limits.js';
import { readHttpEnvironments } from './environments.js';
import { mapHttp } from './map.js';
import { parseHttp } from './parse.js';

export async function importHttp(file: string, options: { outFile?: string }): Promise<ImportResult> {
  let text: string;
  try {
    text = await readImportText(file);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${code})`);
  }
  const envs = await readHttpEnvironments(file);
  return mapHttp(parseHttp(text), { file, notebookDir: options.outFile ? dirname(resolve(options.outFile)) : process.cwd(), envs });
}
