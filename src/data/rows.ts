/**
 * `run --data FILE` (Newman's `-d`): the file's rows, each a mapping of field names to values.
 * The user named the file on the command line, so it is read wherever it is (like --openapi),
 * not under a notebook's file rule; a problem is a located diagnostic inside it.
 */
import { relative, resolve } from 'node:path';
import type { Diagnostic } from '../notebook/diagnostic.js';
import { readDataFile, spanAt } from './files.js';

export interface DataRows {
  file: string;
  rows: Array<Record<string, unknown>>;
  /** Every field name, in the order first met. */
  fields: string[];
}

export function readDataRows(file: string): DataRows | { diagnostic: Diagnostic; text?: string } {
  const real = resolve(file);
  const shown = relative(process.cwd(), real) || real;
  const read = readDataFile(real, shown);
  if ('diagnostic' in read) return { diagnostic: read.diagnostic, text: read.diagnostic.text };
  const at1 = spanAt(shown, '', 0);
  if (!Array.isArray(read.value)) return { diagnostic: { message: '--data needs a list of rows: a CSV file, or a JSON/YAML list of mappings', span: at1, hint: 'e.g. [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}]' } };
  const fields = new Set<string>(read.fields ?? []);
  for (const [i, row] of read.value.entries()) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return { diagnostic: { message: `row ${i + 1} of --data is not a mapping of field names to values`, span: at1, hint: 'each row is an object: {"sku": "A-1", "qty": 2}' } };
    for (const k of Object.keys(row)) fields.add(k);
  }
  return { file: shown, rows: read.value as Array<Record<string, unknown>>, fields: [...fields] };
}
