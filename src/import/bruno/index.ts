/** `import --from bruno`: a Bruno collection folder (with bruno.json) or one .bru file. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError, type ImportResult } from '../draft.js';
import { importBruno as importCollection, type BrunoOptions } from './collection.js';

/** A folder with bruno.json, or a file ending in .bru: detected without --from. */
export function isBrunoSource(path: string): boolean {
  if (path.endsWith('.bru')) return true;
  try {
    return statSync(path).isDirectory() && existsSync(join(path, 'bruno.json'));
  } catch {
    return false;
  }
}

export async function importBruno(path: string, options: BrunoOptions): Promise<ImportResult> {
  if (!existsSync(path)) throw new ImportError(`${path}: file not found`, undefined, 'name a Bruno collection folder (the one with bruno.json) or one .bru file');
  return importCollection(path, options);
}
