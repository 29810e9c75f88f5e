/**
 * Data files: `data('cases.csv')` in an expression, and `run --data FILE`. A CSV (./csv.ts), JSON
 * or YAML file, chosen by its extension. A notebook's data files are read through the file rule
 * (src/files/access.ts) when the notebook is loaded, so a broken one is a located diagnostic
 * (file:line:col inside the data file) before anything is sent, and each file is read and parsed
 * once per run however many notebooks, steps or iterations use it.
 */
import { extname } from 'node:path';
import * as acorn from 'acorn';
import { LineCounter, parseDocument } from 'yaml';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Span } from '../notebook/types.js';
import { parseCsv, type DataProblem } from './csv.js';

/** A data file is a table of cases, not a database: past this it is refused, not read. */
export const DATA_FILE_BYTES = 16 * 1024 * 1024;

export const DATA_EXTENSIONS = ['.csv', '.json', '.yaml', '.yml'];

export interface DataDiagnostic {
  message: string;
  span: Span;
  hint?: string;
  /** The data file's text, for the excerpt under the message. */
  text?: string;
}

export type DataFile = { value: unknown; fields?: string[] } | { diagnostic: DataDiagnostic };

/** By real path: one read and parse per run. */
const cache = new Map<string, DataFile>();

/**
 * `realPath`: the file, already allowed by the file rule; `shown`: its path as people see it.
 * Synchronous: the notebook builder that meets `data('…')` is (the files are small and read once).
 */
export function readDataFile(realPath: string, shown: string): DataFile {
  let read = cache.get(realPath);
  if (!read) {
    read = readUncached(realPath, shown);
    cache.set(realPath, read);
  }
  return read;
}

function readUncached(file: string, shown: string): DataFile {
  const at1 = { file: shown, line: 1, col: 1, length: 1 };
  const ext = extname(file).toLowerCase();
  if (!DATA_EXTENSIONS.includes(ext)) return { diagnostic: { message: `\`${shown}\` is not a data file this reads`, span: at1, hint: 'a data file is .csv (first row = field names), .json or .yaml/.yml' } };
  let bytes: Buffer;
  try {
    const read = readCappedSync(file, DATA_FILE_BYTES);
    if (!read) return { diagnostic: { message: `the data file is larger than ${DATA_FILE_BYTES.toLocaleString('en')} bytes, the limit`, span: at1, hint: 'split the cases over several files' } };
    bytes = read;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { diagnostic: { message: code === 'ENOENT' ? 'data file not found' : code === 'EISDIR' ? 'a folder, not a data file' : `cannot read the data file (${code ?? 'unknown error'})`, span: at1 } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { diagnostic: { message: 'the data file is not UTF-8 text', span: at1, hint: 'save it as UTF-8' } };
  }
  const parsed = ext === '.csv' ? csv(text) : ext === '.json' ? json(text) : yaml(text);
  if ('problem' in parsed) return { diagnostic: { message: parsed.problem.message, hint: parsed.problem.hint, span: spanAt(shown, text, parsed.problem.offset), text } };
  return parsed;
}

function csv(text: string): { value: unknown; fields: string[] } | { problem: DataProblem } {
  const result = parseCsv(text);
  return 'problem' in result ? result : { value: result.rows, fields: result.fields };
}

function json(text: string): { value: unknown } | { problem: DataProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    // V8's message has no position on every Node version; acorn reads JSON as a JS expression
    // and says where it stops. Only the reason is kept: the file's text is shown by the excerpt.
    let offset = Number(/at position (\d+)/.exec((err as Error).message)?.[1] ?? NaN);
    if (Number.isNaN(offset)) {
      try {
        acorn.parseExpressionAt(text, 0, { ecmaVersion: 2022 });
        offset = 0;
      } catch (e) {
        offset = (e as { pos?: number }).pos ?? 0;
      }
    }
    return { problem: { message: 'the data file is not valid JSON here', offset, hint: 'check this spot: a missing comma or quote, a trailing comma, or a stray bracket' } };
  }
}

function yaml(text: string): { value: unknown } | { problem: DataProblem } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const error = doc.errors[0];
  if (error) return { problem: { message: `YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, offset: error.pos[0] } };
  return { value: doc.toJS({ maxAliasCount: 100 }) };
}

/** 1-based line and column of a character offset. */
export function spanAt(file: string, text: string, offset: number): Span {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { file, line, col: at - start + 1, length: 1 };
}

/** At most `limit` bytes (one more is read to know it is past); undefined when the file is larger. */
function readCappedSync(file: string, limit: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    // Not zero-filled: every byte returned was read.
    const buffer = Buffer.allocUnsafe(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return Buffer.from(buffer.subarray(0, length));
      length += n;
      if (length === buffer.length) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
