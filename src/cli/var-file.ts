/**
 * `--var-file FILE`: inputs and vars from a file of `name=value` lines, so a secret need not be
 * on the command line (where every local user can read it in `ps` and /proc, and the shell keeps
 * it in its history). The syntax is dotenv's, read by node's own `util.parseEnv`: the format
 * `.env` files, docker compose's `env_file` and most CI secret stores already write (`#` comments,
 * `export NAME=…`, single, double or backtick quotes, `\n` and multi-line values in double
 * quotes), with nothing to install. parseEnv skips a line it does not understand and folds it
 * into the next name, so each line is checked here first and a bad one is refused with its line.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from './usage-error.js';

/** A var file is a handful of lines: anything larger is not one. */
const MAX_BYTES = 1024 * 1024;
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** The values of every file, a later file winning over an earlier one. */
export function readVarFiles(files: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of files) Object.assign(values, readVarFile(file));
  return values;
}

/** One dotenv file, its problems worded for `flag` (--var-file, --env-file). */
export function readVarFile(file: string, flag = '--var-file'): Record<string, string> {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_BYTES) throw new UsageError(`${flag} ${file}: ${bytes.length} bytes; a var file holds name=value lines, at most ${MAX_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code ?? 'unknown error'})`);
  }
  checkLines(file, text.replace(/^\uFEFF/, ''), flag);
  const parsed = parseEnv(text.replace(/^\uFEFF/, ''));
  // A null-prototype copy: a name such as __proto__ sets a value, not a prototype.
  return Object.assign(Object.create(null) as Record<string, string>, parsed);
}

/** Every line is blank, a `#` comment, `[export ]name=value`, or inside a quoted multi-line value. */
function checkLines(file: string, text: string, flag: string): void {
  const lines = text.split(/\r?\n/);
  let open: { quote: string; line: number } | undefined;
  lines.forEach((line, i) => {
    if (open) {
      if (line.includes(open.quote)) open = undefined;
      return;
    }
    if (/^\s*(?:#.*)?$/.test(line)) return;
    const m = LINE.exec(line);
    if (!m) {
      const hint = /^\s*[^=\s]+\s*:/.test(line) ? ' (use = between the name and the value, not :)' : ' (a name of letters, digits and _, then =, then the value)';
      throw new UsageError(`${flag} ${file}:${i + 1}: not a name=value line${hint}`);
    }
    const value = m[2];
    const quote = value[0];
    // A double-quoted or backtick value may go on over lines until its closing quote.
    if ((quote === '"' || quote === '`') && !value.slice(1).includes(quote)) open = { quote, line: i + 1 };
  });
  if (open) throw new UsageError(`${flag} ${file}:${open.line}: the value's ${open.quote} is never closed`);
}
