/**
 * The descriptions a run checks against, each read and prepared once however many notebooks name
 * it: `--openapi FILE` for every notebook, else each notebook's `openapi:`. A description that
 * cannot be used is a diagnostic at the `openapi:` that names it (or a command-line error), and
 * the run sends nothing (exit 2).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import type { Notebook } from '../notebook/types.js';
import type { Coverage } from './coverage.js';
import type { Description } from './description.js';
import { DescriptionError, isHttpUrl, loadDescription } from './load.js';

export interface RunDescriptions {
  forNotebook(notebook: Notebook): Description | undefined;
  /** Coverage of each description used, in the order they were first named. */
  coverages(): Coverage[];
  problems: number;
}

export async function loadRunDescriptions(notebooks: Notebook[], cliFile: string | undefined, stderr: NodeJS.WritableStream, color: boolean): Promise<RunDescriptions> {
  const byFile = new Map<string, Promise<Description | DescriptionError>>();
  const load = (file: string) => {
    let p = byFile.get(file);
    if (!p) byFile.set(file, (p = loadDescription(file).catch((err: unknown) => (err instanceof DescriptionError ? err : new DescriptionError((err as Error).message)))));
    return p;
  };
  let problems = 0;
  const chosen = new Map<Notebook, Description>();
  if (cliFile) {
    const d = await load(isHttpUrl(cliFile) ? cliFile : resolve(cliFile));
    if (d instanceof DescriptionError) {
      stderr.write(`error: --openapi: ${d.message}\n${d.hint ? ` = hint: ${d.hint}\n` : ''}\n`);
      problems++;
    } else {
      for (const nb of notebooks) chosen.set(nb, d);
    }
  } else {
    for (const nb of notebooks) {
      if (!nb.openapi) continue;
      const d = await load(nb.openapi.file);
      if (d instanceof DescriptionError) {
        const text = await readFile(nb.file, 'utf8').catch(() => undefined);
        stderr.write(renderDiagnostic({ message: d.message, span: nb.openapi.span, hint: d.hint }, text, color) + '\n\n');
        problems++;
      } else {
        chosen.set(nb, d);
      }
    }
  }
  if (problems && !cliFile) stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found; nothing was sent.\n`);
  return {
    forNotebook: (nb) => chosen.get(nb),
    coverages: () => [...new Set(chosen.values())].map((d) => d.coverage()),
    problems,
  };
}
