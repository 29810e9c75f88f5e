/**
 * Loads every notebook of a command, printing all their diagnostics; any problem means exit 2.
 * Past KEEP_STEPS_BYTES of notebook text, each notebook's steps are let go once it is checked and
 * read again by `reload` when it runs (src/notebook/released.ts): memory stays that of the
 * notebooks running, not of the whole suite (and ./heap.ts keeps V8 from growing far past that).
 */
import { statSync } from 'node:fs';
import { SchemaRegistry } from '../checks/schemas.js';
import { readTextIfPresent } from '../files/read-text.js';
import { closest, renderDiagnostic, type Diagnostic } from '../notebook/diagnostic.js';
import { loadNotebook, type LoadOptions, type LoadResult } from '../notebook/load.js';
import { releaseSteps, restoreSteps, textHash, usedNotebooks } from '../notebook/released.js';
import type { Notebook } from '../notebook/types.js';
import { BUILTIN_NAMES } from '../run/context.js';
import { collectGarbage, holdHeapSmall } from './heap.js';

export interface Loaded {
  notebooks: Notebook[];
  problems: number;
  /** The notebook with its steps: as given, or (steps let go) read again from its file; an error message if it changed since. */
  reload: (nb: Notebook) => Promise<Notebook | { changed: string }>;
}

/** Notebook text kept whole in memory before the loader lets steps go (a 10,000-step notebook of 1.3 MB holds ~20 MB). */
export const KEEP_STEPS_BYTES = 2 * 1024 * 1024;

/** `knownNames`: names defined outside the notebooks (an environment's, a --data file's fields); notebooks may use them, and a --var may set them. */
export async function loadAll(files: string[], extraNames: string[], stderr: NodeJS.WritableStream, color: boolean, allowFiles: readonly string[] = [], openapiOverridden = false, knownNames: readonly string[] = []): Promise<Loaded> {
  // Named schemas are read through THE file rule, widened by --allow-files (src/files/access.ts).
  const registry = new SchemaRegistry(process.cwd(), allowFiles);
  const options: LoadOptions = { registry, extraNames: [...BUILTIN_NAMES, ...extraNames, ...knownNames], allowFiles: [...allowFiles], openapiOverridden };
  const notebooks: Notebook[] = [];
  const results: LoadResult[] = [];
  let problems = 0;
  let kept = 0;
  /** Results from here on may still hold their steps. */
  let holding = 0;
  // A suite known big from its files' sizes holds its heap small from the first notebook on: the
  // first of nine 4.5 MB notebooks otherwise sets the run's peak with V8's default growth.
  if (bytesOnDisk(files) > KEEP_STEPS_BYTES) holdHeapSmall();
  for (const file of files) {
    const result = await loadNotebook(file, options);
    for (const d of result.diagnostics) stderr.write(renderDiagnostic(d, result.text, color) + '\n\n');
    problems += result.problems ?? result.diagnostics.length;
    kept += result.text?.length ?? 0;
    results.push(result);
    // Once the suite is big, every notebook lets its steps go, the ones before too: the first of
    // nine 10,000-step notebooks would otherwise hold its ~20 MB through the whole run.
    if (kept > KEEP_STEPS_BYTES) {
      for (; holding < results.length; holding++) results[holding] = released(results[holding]!);
      holdHeapSmall();
      // What reading it built and let go is garbage: collected now, before the next is read.
      collectGarbage();
    }
  }
  for (const r of results) if (r.notebook) notebooks.push(r.notebook);
  // Names are only known for notebooks that loaded; with others broken, their errors come first.
  if (problems === 0) {
    const outside = new Set(knownNames);
    for (const { diagnostic, text } of unknownVars(extraNames.filter((n) => !outside.has(n)), results)) {
      stderr.write(renderDiagnostic(diagnostic, text, color) + '\n\n');
      problems++;
    }
    // The notebooks are fine but the command line is not: none of them is reported as valid.
    if (problems) notebooks.length = 0;
  }
  if (problems) stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found; nothing was sent.\n`);
  let reloads = 0;
  return { notebooks, problems, reload: (nb) => reload(nb, options, reloads++ > 0) };
}

function bytesOnDisk(files: string[]): number {
  let total = 0;
  for (const file of files) {
    try {
      total += statSync(file).size;
    } catch {
      // Unreadable: loadNotebook says why.
    }
  }
  return total;
}

/** The result with its notebook's steps let go; the text goes too (a diagnostic about --var below reads it again). */
function released(result: LoadResult): LoadResult {
  if (!result.notebook || result.text === undefined || result.notebook.released) return result;
  return { ...result, notebook: releaseSteps(result.notebook, result.text), text: undefined };
}

/** `another`: a notebook was read again before this one (the first follows the loader's own collection). */
async function reload(nb: Notebook, options: LoadOptions, another: boolean): Promise<Notebook | { changed: string }> {
  if (!nb.released) return nb;
  // What the notebook before built and ran is garbage: collected before this one is read again,
  // so that the two are never in memory at once.
  if (another) collectGarbage();
  const again = await loadNotebook(nb.file, options);
  const same = again.text !== undefined && textHash(again.text) === nb.released.sha256;
  // Its own text is the one checked, so a file it uses (`use:`, data) no longer loads.
  const what = same ? `a file ${again.displayPath} uses` : again.displayPath;
  if (!same || !again.notebook) return { changed: `${what} changed after it was checked at the start of the run; run again to check and run the new text` };
  const restored = restoreSteps(nb, again.notebook);
  // The text just read and what was built from it are garbage; the previous notebook too.
  collectGarbage();
  return restored;
}

/**
 * A `--var` must set an input or var some notebook declares: a misspelt name would otherwise be
 * ignored silently and the run would use the default. Located at the declaration it most likely
 * meant (or the top of the first notebook).
 */
function unknownVars(names: string[], results: LoadResult[]): Array<{ diagnostic: Diagnostic; text?: string }> {
  if (!names.length) return [];
  type Declared = { name: string; span: Diagnostic['span']; text?: string };
  const declared: Declared[] = [];
  // A used notebook's inputs and vars are set by --var as the using notebook's are (src/run/sequence.ts),
  // however deep the use; their text is read only if a guess points into them.
  const visit = (nb: Notebook, text: string | undefined, seen: Set<Notebook>) => {
    if (seen.has(nb)) return;
    seen.add(nb);
    for (const d of [...nb.inputs, ...nb.vars]) declared.push({ name: d.name, span: d.span, text });
    for (const used of usedNotebooks(nb)) visit(used, undefined, seen);
  };
  for (const r of results) if (r.notebook) visit(r.notebook, r.text, new Set());
  const known = new Set(declared.map((d) => d.name));
  return names.filter((n) => !known.has(n)).map((name) => {
    const guess = closest(name, known);
    const at = declared.find((d) => d.name === guess);
    const first = results[0];
    const list = [...known].sort();
    return {
      text: at ? at.text ?? readTextIfPresent(at.span.file) : first?.text,
      diagnostic: {
        message: `\`--var ${name}=…\` sets nothing: no notebook given declares an input or var named \`${name}\``,
        span: at?.span ?? { file: first?.displayPath ?? name, line: 1, col: 1, length: 1 },
        hint: guess
          ? `did you mean \`${guess}\` (declared here)?`
          : list.length ? `the inputs and vars are: ${list.join(', ')}` : 'these notebooks declare no inputs or vars; add one under `inputs:` or `vars:`',
      },
    };
  });
}
