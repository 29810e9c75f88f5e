import { ImportError, type ImportResult } from '../draft.js';
export async function importHttp(path: string, _options: { outFile?: string }): Promise<ImportResult> {
  throw new ImportError(`${path}: not yet`);
}
