/**
 * `--env NAME` for a set of notebooks: each notebook's environment file found (./find.ts), each
 * file read and parsed once, every problem a located diagnostic (exit 2, nothing sent).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { closest, renderDiagnostic } from '../notebook/diagnostic.js';
import { UsageError } from '../cli/args.js';
import { ENVIRONMENT_NAME, findEnvironmentFile } from './find.js';
import { parseEnvironment, type Environment } from './file.js';

/** An environment file holds a few names: anything past this is not one. */
const MAX_BYTES = 1024 * 1024;

export interface LoadedEnvironments {
  /** By notebook file as the loader names it (relative to the working directory). */
  byNotebook: Map<string, Environment>;
  /** Every distinct file, in the order first met. */
  all: Environment[];
  problems: number;
}

export function loadEnvironments(name: string, notebookFiles: string[], stderr: NodeJS.WritableStream, color: boolean): LoadedEnvironments {
  if (!ENVIRONMENT_NAME.test(name)) throw new UsageError(`--env takes an environment's name (the file environments/NAME.yaml), got \`${name}\``);
  const byFile = new Map<string, Environment | undefined>();
  const byNotebook = new Map<string, Environment>();
  let problems = 0;
  for (const nb of notebookFiles) {
    const found = findEnvironmentFile(name, nb);
    if (!('file' in found)) {
      const guess = closest(name, found.known);
      const shown = found.looked.map((d) => relative(process.cwd(), d) || '.');
      throw new UsageError(`--env ${name}: no environments/${name}.yaml for ${relative(process.cwd(), nb) || nb} (looked in ${shown.join(', ')})${guess ? `; did you mean \`${guess}\`?` : found.known.length ? `; the environments are: ${found.known.join(', ')}` : ''}`);
    }
    if (!byFile.has(found.file)) {
      const shown = relative(process.cwd(), found.file) || found.file;
      let text: string;
      try {
        const bytes = readFileSync(found.file);
        if (bytes.length > MAX_BYTES) throw new UsageError(`${shown}: ${bytes.length.toLocaleString('en')} bytes; an environment file is at most ${MAX_BYTES.toLocaleString('en')}`);
        text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
      }
      const { environment, diagnostics } = parseEnvironment(name, found.file, shown, text);
      for (const d of diagnostics) stderr.write(renderDiagnostic(d, text, color) + '\n\n');
      problems += diagnostics.length;
      byFile.set(found.file, environment);
    }
    const env = byFile.get(found.file);
    // Keyed as the loader names the notebook (`Notebook.file`).
    if (env) byNotebook.set(relative(process.cwd(), nb) || nb, env);
  }
  const all = [...new Set(byNotebook.values())];
  return { byNotebook, all, problems };
}

/** Every name an environment defines: notebooks may use them as if they declared them. */
export function environmentNames(envs: Iterable<Environment>): string[] {
  const names = new Set<string>();
  for (const env of envs) {
    for (const k of Object.keys(env.vars)) names.add(k);
    for (const i of env.inputs) names.add(i.name);
  }
  return [...names];
}
