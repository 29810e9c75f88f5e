/**
 * What `run` and `validate` read before the notebooks: --env and --data (they define names the
 * notebooks may use), the names and values the command line sets, and secrets written in
 * environment files. Its own file so that `validate` loads it without `run`'s HTTP client and reporters.
 */
import type { Notebook } from '../notebook/types.js';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import { readDataRows, type DataRows } from '../data/rows.js';
import { environmentNames, loadEnvironments, type LoadedEnvironments } from '../env/load.js';
import { secretsWrittenIn } from '../env/resolve.js';
import type { RunArgs } from './args.js';
import type { Io } from './io.js';

/** Names set on the command line (--var, --var-json): checked against what the notebooks declare. */
export function argvNames(args: RunArgs): string[] {
  return [...Object.keys(args.vars), ...Object.keys(args.varJson)];
}

/** What the command line sets: --var-file, with --var and --var-json over it. */
export function cliValues(args: RunArgs): Record<string, unknown> {
  return { ...args.varFile, ...args.vars, ...args.varJson };
}

export interface Setup {
  environments?: LoadedEnvironments;
  rows?: DataRows;
  /** Names the environment and the data file define. */
  names: string[];
}

/** --env and --data, read before the notebooks (they define names the notebooks may use); undefined: problems printed, exit 2. */
export function runSetup(args: RunArgs, files: string[], io: Io, color: boolean): Setup | undefined {
  const environments = args.env ? loadEnvironments(args.env, files, io.stderr, color) : undefined;
  if (environments?.problems) {
    io.stderr.write(`${environments.problems} problem${environments.problems === 1 ? '' : 's'} found in environments/${args.env}.yaml; nothing was sent.\n`);
    return undefined;
  }
  let rows: DataRows | undefined;
  if (args.data) {
    const read = readDataRows(args.data);
    if ('diagnostic' in read) {
      io.stderr.write(renderDiagnostic(read.diagnostic, read.text, color) + '\n\n1 problem found in --data; nothing was sent.\n');
      return undefined;
    }
    rows = read;
  }
  return { environments, rows, names: [...(environments ? environmentNames(environments.all) : []), ...(rows?.fields ?? [])] };
}

/** A secret written in an environment file: each located, counted. */
export function environmentProblems(envs: LoadedEnvironments, notebooks: readonly Notebook[], stderr: NodeJS.WritableStream, color: boolean): number {
  let problems = 0;
  for (const env of envs.all) {
    for (const d of secretsWrittenIn(env, notebooks)) {
      stderr.write(renderDiagnostic(d, env.text, color) + '\n\n');
      problems++;
    }
  }
  if (problems) stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found; nothing was sent.\n`);
  return problems;
}
