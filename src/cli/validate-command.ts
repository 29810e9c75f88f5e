/**
 * `api-notebook validate`: load and check notebooks, environments, data and descriptions; send
 * nothing. Loads no HTTP client, mock, reporters or live page (test/startup/lazy-load.test.ts).
 */
import { loadRunDescriptions } from '../openapi/for-run.js';
import { argvSecretWarnings } from '../run/inputs.js';
import { terminalText } from '../report/escape/terminal.js';
import { missingInputs } from '../env/check.js';
import type { RunArgs } from './args.js';
import { collectNotebookFiles } from './files.js';
import { loadAll } from './load-all.js';
import { checkTlsFiles } from './network.js';
import { useColor } from './color.js';
import { argvNames, cliValues, environmentProblems, runSetup } from './command-setup.js';
import type { Io } from './io.js';
import { configureCompileCache } from '../cache/compile-cache.js';
import { dirname } from 'node:path';
import { stepCounts } from '../notebook/released.js';

export async function validateCommand(args: RunArgs, io: Io): Promise<number> {
  const files = collectNotebookFiles(args.paths);
  const color = useColor(io.stderr, io.env);
  const setup = runSetup(args, files, io, color);
  if (!setup) return 2;
  configureCompileCache({ dir: args.cacheDir, disabled: args.noCache, near: files.slice(0, 1).map((f) => dirname(f)), env: io.env });
  const { notebooks, problems } = await loadAll(files, argvNames(args), io.stderr, color, args.allowFiles, args.openapi !== undefined, setup.names);
  for (const line of argvSecretWarnings(notebooks.flatMap((nb) => nb.inputs), argvNames(args))) io.stderr.write(`${line}\n`);
  if (!problems && setup.environments) {
    if (environmentProblems(setup.environments, notebooks, io.stderr, color)) return 2;
    const missing = missingInputs(notebooks, setup.environments.byNotebook, { env: { ...args.envFile, ...io.env }, cli: cliValues(args), terminal: io.stdinIsTTY && !io.env.CI });
    for (const line of missing) io.stderr.write(`error: ${terminalText(line)}\n`);
    if (missing.length) {
      io.stderr.write(`${missing.length} input${missing.length === 1 ? '' : 's'} without a value in environment ${terminalText(args.env ?? '')}; nothing was sent.\n`);
      return 2;
    }
  }
  // `validate` sends nothing: it fetches no description or $ref unless --allow-fetch.
  const descriptions = problems ? undefined : await loadRunDescriptions(notebooks, args.openapi, io.stderr, useColor(io.stderr, io.env), { allowFiles: args.allowFiles, fetch: args.allowFetch, command: 'validate' });
  if (problems || descriptions?.problems) return 2;
  if (checkTlsFiles(notebooks, args.allowFiles, false, io.stderr, useColor(io.stderr, io.env))) return 2;
  for (const nb of notebooks) {
    const counts = stepCounts(nb);
    io.stdout.write(`✔ ${terminalText(nb.file)}: ${counts.steps} steps, ${counts.teardown} teardown\n`);
  }
  return 0;
}
