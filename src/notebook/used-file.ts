/**
 * Reading the file a `use:` names, for the build (src/notebook/use.ts). Synchronous, because the
 * build is: a used notebook is one more small file of the repository, read once per use. The file
 * rule is that of every file a notebook names (src/files/access.ts): inside the notebook's
 * repository, or a folder given with --allow-files. A cycle is refused with the chain.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { checkFileAccess, FileAccessError, fileRulesFor } from '../files/access.js';
import type { Diagnostic } from './diagnostic.js';
import type { Span } from './types.js';
import type { UsedLoader } from './use.js';
import type { Notebook } from './types.js';

/** What the loader (load.ts, which imports this file) takes and gives, as far as a use needs. */
interface LoadOptions { allowFiles?: string[]; useChain?: UseLink[] }
interface LoadResult { notebook?: Notebook; diagnostics: Diagnostic[]; text?: string; problems?: number }

/** One link of a chain of uses: the using file (absolute) and where it says `use:`. */
export interface UseLink {
  file: string;
  span: Span;
}

type LoadText<O extends LoadOptions> = (text: string, displayPath: string, options: O) => LoadResult;

const where = (s: Span) => `${s.file}:${s.line}:${s.col}`;

/** The loader for the notebook at `displayPath`; `load` is loadNotebookText (passed in: load.ts imports this file). */
export function usedLoader<O extends LoadOptions>(displayPath: string, options: O, load: LoadText<O>, maxBytes: number): UsedLoader {
  const from = resolve(displayPath);
  return (written, span) => {
    const fail = (message: string, hint: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ message, span, hint }] });
    let file: string;
    try {
      file = checkFileAccess(written, dirname(from), fileRulesFor(from, options.allowFiles), 'used notebook');
    } catch (err) {
      if (err instanceof FileAccessError) return fail(err.message, err.hint);
      throw err;
    }
    const chain = [...(options.useChain ?? []), { file: from, span }];
    const again = chain.findIndex((link) => link.file === file);
    if (again >= 0) {
      const path = [...chain.slice(again).map((link) => shown(link.file)), shown(file)].join(' → ');
      return fail(`\`use\` makes a cycle: ${path}`, `a notebook may not use itself, directly or through another; the uses are at ${chain.slice(again).map((l) => where(l.span)).join(', ')}`);
    }
    let text: string;
    try {
      if (statSync(file).size > maxBytes) return fail(`the used notebook \`${written}\` is larger than ${maxBytes} bytes`, 'split it into smaller shared notebooks');
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return fail(`used notebook not found: ${written}`, `looked for ${file}; the path is relative to the notebook that uses it`);
      return fail(`cannot read the used notebook \`${written}\` (${code ?? (err as Error).message})`, 'a used notebook is a notebook file (YAML)');
    }
    const result = load(text, shown(file), { ...options, useChain: chain });
    if (result.notebook) return { notebook: result.notebook, diagnostics: [] };
    // Its own problems, each at its own line of the used file, with the chain that led there.
    const own = result.diagnostics.map((d) => ({ ...d, sourceText: d.sourceText ?? result.text, hint: d.hint ? `${d.hint} (used from ${where(span)})` : `used from ${where(span)}` }));
    const count = result.problems ?? own.length;
    return { diagnostics: [{ message: `the used notebook \`${written}\` has ${count} problem${count === 1 ? '' : 's'} (shown after this one)`, span, hint: 'fix them in that file; every notebook that uses it gets the fix' }, ...own] };
  };
}

/** A path as people see it: relative to the working directory. */
function shown(file: string): string {
  return relative(process.cwd(), file) || file;
}
