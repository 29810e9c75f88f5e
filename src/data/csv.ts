/**
 * CSV data files, read with csv-parse (a kept parser: quoting, embedded newlines, CRLF and BOMs
 * are its job, not ours). The first row names the fields; each later row is one object.
 *
 * Types, exactly: a column is a number column when every one of its non-empty cells is written
 * as a plain decimal number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: `42`, `-3.5`,
 * `1e3`); its cells become numbers and its empty cells null. Any other column keeps every cell as
 * text, exactly as written (`007`, `+1`, `1,5`, `true`, `0x1F` stay text), empty cells as "".
 * A column with no non-empty cell is text.
 */
import { parse } from 'csv-parse/sync';

export interface DataProblem {
  message: string;
  /** 0-based offset into the text, where the problem is. */
  offset: number;
  hint?: string;
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export function parseCsv(text: string): { rows: Array<Record<string, unknown>>; fields: string[] } | { problem: DataProblem } {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true }) as string[][];
  } catch (err) {
    return { problem: csvProblem(err as CsvError, text) };
  }
  if (records.length === 0) return { rows: [], fields: [] };
  const [header, ...body] = records;
  const seen = new Set<string>();
  for (const [i, name] of header.entries()) {
    const offset = fieldOffset(text, 0, i);
    if (name.trim() === '') return { problem: { message: `the header row's field ${i + 1} has no name`, offset, hint: 'the first row names the fields: give every column a name' } };
    if (seen.has(name)) return { problem: { message: `the field name \`${name}\` appears twice in the header row`, offset, hint: 'each column needs its own name' } };
    seen.add(name);
  }
  const numeric = header.map((_, col) => {
    let any = false;
    for (const row of body) {
      if (row[col] === '') continue;
      if (!NUMBER.test(row[col])) return false;
      any = true;
    }
    return any;
  });
  const rows = body.map((row) => {
    const out: Record<string, unknown> = Object.create(null);
    header.forEach((name, col) => {
      out[name] = numeric[col] ? (row[col] === '' ? null : Number(row[col])) : row[col];
    });
    // A plain object again: rows are data like any JSON value (keys are own properties either way).
    return { ...out };
  });
  return { rows, fields: header };
}

interface CsvError extends Error {
  code?: string;
  lines?: number;
  bytes?: number;
  index?: number;
}

/** How many fields the header row has (commas outside quotes, plus one). */
function fieldsOnFirstLine(text: string): number {
  let quoted = false;
  let n = 1;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) n++;
    else if (ch === '\n' && !quoted) break;
  }
  return n;
}

function csvProblem(err: CsvError, text: string): DataProblem {
  const message = err.message.replace(/\s+at line \d+.*$/s, '').replace(/^([^:]+): /, (_, kind: string) => `${kind.toLowerCase()}: `);
  const bytes = Math.max(0, err.bytes ?? 0);
  // csv-parse counts bytes; the caret counts characters.
  const at = Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8').length;
  if (err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const expected = fieldsOnFirstLine(text);
    const start = lineStart(text, err.lines ?? 1);
    return { message: `this row has a different number of fields than the header row${expected ? ` (${expected})` : ''}`, offset: expected ? fieldOffset(text, start, expected) : start, hint: 'every row has one value per header field; quote a value that holds a comma ("a,b")' };
  }
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return { message: 'this quote is never closed', offset: quoteAfter(text, at, err.index), hint: 'end the value with `"` (a `"` inside a quoted value is written `""`)' };
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE') return { message: 'text after a closing quote', offset: quoteAfter(text, at, err.index), hint: 'a quoted value ends at its closing `"`, then a comma or the end of the line; a `"` inside is written `""`' };
  return { message: `CSV: ${message}`, offset: Math.min(at, text.length) };
}

/** Where the field at `at` starts: csv-parse's offset is before its delimiter, except for a row's first field. */
function quoteAfter(text: string, at: number, index: number | undefined): number {
  const start = index === 0 ? at : at + 1;
  const quote = text.indexOf('"', start);
  return quote >= 0 && quote - start < 4 ? quote : Math.min(start, text.length);
}

/** The offset where 1-based line `line` starts. */
function lineStart(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return at;
    at = next + 1;
  }
  return at;
}

/** Start of field `n` (0-based) on the line starting at `start`, counting commas outside quotes. */
function fieldOffset(text: string, start: number, n: number): number {
  let quoted = false;
  let field = 0;
  for (let i = start; i < text.length; i++) {
    if (field === n) return i;
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) field++;
    else if (ch === '\n' && !quoted) return i;
  }
  return text.length;
}
