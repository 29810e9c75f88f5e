/**
 * `api-notebook import <file>`: writes the notebook (stdout, --out FILE, or one per folder into
 * --out DIR with --split), lists each warning as file:line, and ends with their count. Each
 * notebook is checked with the loader before it is written: an import never gives a notebook
 * that `validate` refuses.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SchemaRegistry } from '../checks/schemas.js';
import { emitNotebook } from '../import/emit.js';
import { importFile, ImportError } from '../import/index.js';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import { notebookTooLarge } from '../import/limits.js';
import { LIMITS } from '../notebook/limits.js';
import { loadNotebookText } from '../notebook/load.js';
import type { ImportArgs } from './args.js';
import type { Io } from './io.js';
import { terminalLines, terminalText } from '../report/escape/terminal.js';

export async function importCommand(args: ImportArgs, io: Io): Promise<number> {
  let result;
  try {
    result = await importFile(args.file, { from: args.from, split: args.split, envFile: args.env, outFile: args.split ? undefined : args.out, allowFiles: args.allowFiles, allowFetch: args.allowFetch, negative: args.negative });
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    io.stderr.write(`error: ${terminalLines(err.message)}\n${err.hint ? `  = hint: ${terminalLines(err.hint)}\n` : ''}`);
    return 2;
  }
  const say = args.out ? io.stdout : io.stderr;
  const written: string[] = [];
  let steps = 0;
  const emitted = result.notebooks.map(({ suggestedName, draft }) => ({ draft, text: emitNotebook(draft), out: args.split ? join(args.out!, `${fileName(suggestedName)}.yaml`) : args.out }));
  // The loader refuses a notebook over its size limit: said as such (exit 2), before any is written.
  for (const { text } of emitted) {
    const bytes = Buffer.byteLength(text);
    if (bytes > LIMITS.fileBytes) {
      const err = notebookTooLarge(args.file, bytes, result.format.startsWith('postman') && !args.split);
      io.stderr.write(`error: ${err.message}\n  = hint: ${err.hint}\n`);
      return 2;
    }
  }
  for (const { draft, text, out } of emitted) {
    const shownAs = out ?? 'imported.yaml';
    const check = loadNotebookText(text, out ? resolve(out) : resolve(shownAs), { registry: new SchemaRegistry() });
    if (check.diagnostics.length) {
      for (const d of check.diagnostics) io.stderr.write(renderDiagnostic(d, text, false) + '\n');
      throw new Error(`the notebook imported from ${args.file} does not validate`);
    }
    steps += draft.steps.length;
    if (out) {
      mkdirSync(dirname(resolve(out)), { recursive: true });
      writeFileSync(out, text);
      written.push(relative(process.cwd(), resolve(out)) || out);
    } else io.stdout.write(text);
  }
  for (const f of result.files ?? []) {
    if (!args.out) say.write(`note: ${terminalText(f.path)} is not written without --out\n`);
    else {
      const target = join(args.split ? args.out : dirname(args.out), f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.text);
      written.push(relative(process.cwd(), resolve(target)));
    }
  }
  for (const w of result.warnings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line)) say.write(`${terminalText(w.file ?? args.file)}:${w.line}: warning: ${terminalText(w.message)}\n`);
  const target = written.length ? ` → ${written.join(', ')}` : '';
  say.write(`Imported ${steps} step${steps === 1 ? '' : 's'} from ${args.file} (${result.format})${target}; ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}.\n`);
  return 0;
}

function fileName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
}
