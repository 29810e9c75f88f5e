/**
 * What `import` reads at most. An imported file comes from anywhere (a download, a colleague, a
 * pull request), and without a bound a 60 MB collection took 2.7 GB before dying. The figure is
 * what the output can hold anyway: a notebook may be at most 16 MiB (src/notebook/limits.ts),
 * and a collection of 8 MiB gives about 2.5 MiB of notebooks; measured on an 8 MiB Postman
 * collection of 10,000 requests: about 600 MB and 30 s.
 * Documented in docs/migrating.md ("Limits").
 */
import { readCapped } from '../files/read-capped.js';
import { LIMITS, sizeText } from '../notebook/limits.js';
import { ImportError } from './draft.js';

export const IMPORT_LIMITS = {
  /** Bytes in the imported file, the --env file, and all the files an OpenAPI description's `$ref`s read, together. */
  fileBytes: 8 * 1024 * 1024,
} as const;

const MiB = (n: number) => `${(n / 1024 ** 2).toLocaleString('en', { maximumFractionDigits: 1 })} MiB`;

/** Reads `file` as UTF-8, refusing it past the limit without reading it whole (or /dev/zero forever). */
export async function readImportText(file: string): Promise<string> {
  const read = await readCapped(file, IMPORT_LIMITS.fileBytes);
  if ('tooLarge' in read) throw tooLarge(file, read.tooLarge);
  return read.bytes.toString('utf8');
}

export function tooLarge(file: string, bytes: number): ImportError {
  return new ImportError(
    `${file} is ${bytes > IMPORT_LIMITS.fileBytes + 1 ? MiB(bytes) : `over ${MiB(IMPORT_LIMITS.fileBytes)}`}; import reads at most ${MiB(IMPORT_LIMITS.fileBytes)}`,
    1,
    `import a smaller part (a Postman folder exported on its own, an OpenAPI description with fewer paths): the notebooks it gives may be at most ${sizeText(LIMITS.fileBytes)} each`,
  );
}

/** An imported notebook the loader would refuse for its size: said plainly, before it is written. */
export function notebookTooLarge(file: string, bytes: number, canSplit: boolean): ImportError {
  return new ImportError(
    `the notebook imported from ${file} would be ${sizeText(bytes)}; a notebook may be at most ${sizeText(LIMITS.fileBytes)}`,
    undefined,
    canSplit ? 'import with --split --out DIR to write one notebook per top-level folder' : 'import a smaller part of the file (fewer requests or operations)',
  );
}
