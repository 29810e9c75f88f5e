/**
 * The descriptions a run checks against, each read and prepared once however many notebooks name
 * it: `--openapi FILE` for every notebook, else each notebook's `openapi:`. A description that
 * cannot be used is a diagnostic at the `openapi:` that names it (or a command-line error), and
 * the run sends nothing (exit 2).
 *
 * Every file is read through THE file rule (src/files/access.ts, via read-policy.ts): an
 * `openapi:` and its `$ref`s within the notebook's repository, `--openapi` and its `$ref`s within
 * the working directory's, each widened by `--allow-files`. `validate` fetches nothing unless
 * `--allow-fetch`: a remote description is then a warning at its `openapi:` (not checked), not
 * an error, since the notebook itself may be fine.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileRulesFor } from '../files/access.js';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import type { Notebook } from '../notebook/types.js';
import type { Coverage } from './coverage.js';
import type { Description } from './description.js';
import { DescriptionError, DescriptionNotFetched, isHttpUrl, loadDescription } from './load.js';
import { terminalLines } from '../report/escape/terminal.js';

export interface RunDescriptions {
  forNotebook(notebook: Notebook): Description | undefined;
  /** Coverage of each description used, in the order they were first named. */
  coverages(): Coverage[];
  problems: number;
}

export interface DescriptionAccess {
  /** `--allow-files DIR`: more folders descriptions and their `$ref`s may come from. */
  allowFiles?: readonly string[];
  /** Whether http(s) descriptions and `$ref`s are fetched (`validate`: only with --allow-fetch). */
  fetch?: boolean;
  /** The command, for the messages: `run`, `validate`, `open`. */
  command?: string;
}

export async function loadRunDescriptions(notebooks: Notebook[], cliFile: string | undefined, stderr: NodeJS.WritableStream, color: boolean, access: DescriptionAccess = {}): Promise<RunDescriptions> {
  const byFile = new Map<string, Promise<Description | DescriptionError>>();
  const policyFor = (nameFile: string, scope?: string) => ({ rules: fileRulesFor(nameFile, access.allowFiles), fetch: access.fetch ?? true, command: access.command ?? 'run', scope });
  /** `nameFile` is the file that names the description: its repository bounds what is read. */
  const load = (file: string, nameFile: string, scope?: string) => {
    const policy = policyFor(nameFile, scope);
    const key = `${policy.rules.roots.join('\0')}\0${file}`;
    let p = byFile.get(key);
    if (!p) byFile.set(key, (p = loadDescription(file, policy).catch((err: unknown) => (err instanceof DescriptionError ? err : new DescriptionError((err as Error).message)))));
    return p;
  };
  let problems = 0;
  const chosen = new Map<Notebook, Description>();
  if (cliFile) {
    // Named on the command line, so within the working directory's repository.
    // The user named this file on the command line, as with --ca: it is read wherever it is; its
    // `$ref`s stay within its own repository (or folder), like a notebook's.
    const d = await load(isHttpUrl(cliFile) ? cliFile : resolve(cliFile), isHttpUrl(cliFile) ? join(process.cwd(), '--openapi') : resolve(cliFile), "the description's own repository");
    if (d instanceof DescriptionNotFetched) {
      stderr.write(`warning: --openapi: ${terminalLines(d.message)}\n${d.hint ? ` = hint: ${terminalLines(d.hint)}\n` : ''}\n`);
    } else if (d instanceof DescriptionError) {
      stderr.write(`error: --openapi: ${terminalLines(d.message)}\n${d.hint ? ` = hint: ${terminalLines(d.hint)}\n` : ''}\n`);
      problems++;
    } else {
      for (const nb of notebooks) chosen.set(nb, d);
    }
  } else {
    for (const nb of notebooks) {
      if (!nb.openapi) continue;
      const d = await load(nb.openapi.file, nb.file);
      if (d instanceof DescriptionError) {
        const text = await readFile(nb.file, 'utf8').catch(() => undefined);
        const rendered = renderDiagnostic({ message: d.message, span: nb.openapi.span, hint: d.hint }, text, color);
        // Not fetched is not broken: said where it is named, and the notebook is still valid.
        if (d instanceof DescriptionNotFetched) {
          stderr.write(rendered.replace(/^(\x1b\[[0-9;]*m)?error/, (_m, esc: string | undefined) => `${esc ?? ''}warning`) + '\n\n');
          continue;
        }
        stderr.write(rendered + '\n\n');
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
