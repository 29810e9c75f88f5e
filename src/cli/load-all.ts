/** Loads every notebook of a command, printing all their diagnostics; any problem means exit 2. */
import { SchemaRegistry } from '../checks/schemas.js';
import { closest, renderDiagnostic, type Diagnostic } from '../notebook/diagnostic.js';
import { loadNotebook, type LoadResult } from '../notebook/load.js';
import type { Notebook } from '../notebook/types.js';
import { readFileSync } from 'node:fs';
import { BUILTIN_NAMES } from '../run/context.js';

export interface Loaded {
  notebooks: Notebook[];
  problems: number;
}

/** `knownNames`: names defined outside the notebooks (an environment's, a --data file's fields); notebooks may use them, and a --var may set them. */
export async function loadAll(files: string[], extraNames: string[], stderr: NodeJS.WritableStream, color: boolean, allowFiles: readonly string[] = [], openapiOverridden = false, knownNames: readonly string[] = []): Promise<Loaded> {
  // Named schemas are read through THE file rule, widened by --allow-files (src/files/access.ts).
  const registry = new SchemaRegistry(process.cwd(), allowFiles);
  const notebooks: Notebook[] = [];
  const results: LoadResult[] = [];
  let problems = 0;
  for (const file of files) {
    const result = await loadNotebook(file, { registry, extraNames: [...BUILTIN_NAMES, ...extraNames, ...knownNames], allowFiles: [...allowFiles], openapiOverridden });
    results.push(result);
    if (result.notebook) notebooks.push(result.notebook);
    for (const d of result.diagnostics) stderr.write(renderDiagnostic(d, result.text, color) + '\n\n');
    problems += result.problems ?? result.diagnostics.length;
  }
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
  return { notebooks, problems };
}

/**
 * A `--var` must set an input or var some notebook declares: a misspelt name would otherwise be
 * ignored silently and the run would use the default. Located at the declaration it most likely
 * meant (or the top of the first notebook).
 */
function unknownVars(names: string[], results: LoadResult[]): Array<{ diagnostic: Diagnostic; text?: string }> {
  type Declared = { name: string; span: Diagnostic['span']; text?: string };
  const declared: Declared[] = [];
  // A used notebook's inputs and vars are set by --var as the using notebook's are (src/run/sequence.ts),
  // however deep the use; their text is read only if a guess points into them.
  const visit = (nb: Notebook, text: string | undefined, seen: Set<Notebook>) => {
    if (seen.has(nb)) return;
    seen.add(nb);
    for (const d of [...nb.inputs, ...nb.vars]) declared.push({ name: d.name, span: d.span, text });
    for (const step of [...nb.steps, ...nb.teardown]) if (step.kind === 'use') visit(step.use.notebook, undefined, seen);
  };
  for (const r of results) if (r.notebook) visit(r.notebook, r.text, new Set());
  const known = new Set(declared.map((d) => d.name));
  return names.filter((n) => !known.has(n)).map((name) => {
    const guess = closest(name, known);
    const at = declared.find((d) => d.name === guess);
    const first = results[0];
    const list = [...known].sort();
    return {
      text: at ? at.text ?? readText(at.span.file) : first?.text,
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

/** The text of a used notebook, to show the line a guess points at (none if it cannot be read now). */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
