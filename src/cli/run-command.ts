/**
 * `api-notebook run`: load everything first (any problem: exit 2, nothing sent), resolve inputs,
 * then run each notebook against its base URL, fanning results out to the reporters.
 * Ctrl-C / SIGTERM (handled by ./interrupts.ts from the first moment of the process): the request
 * in flight stops, teardown runs within --teardown-timeout, reports are written, exit 130.
 * A second signal stops teardown too.
 */
import { createHttpClient } from '../http/client.js';
import { coverageShortfalls, responseShortfalls } from '../openapi/coverage.js';
import { loadRunDescriptions } from '../openapi/for-run.js';
import { argvSecretWarnings, InputError, PromptInterrupted, terminalAsk } from '../run/inputs.js';
import { Redactor } from '../run/redact.js';
import { createReporters } from '../report/index.js';
import { UsageError, type RunArgs } from './args.js';
import { collectNotebookFiles, shardFiles } from './files.js';
import { loadAll } from './load-all.js';
import { boundBigSuites } from './heap.js';
import { prepareOutDir } from './out-dir.js';
import { Interrupts } from './interrupts.js';
import { createLogger } from './logger.js';
import { checkTlsFiles, insecureSources, insecureWarning, networkOptions, registerLiteralPassphrases } from './network.js';
import { runSuite, type PreparedNotebook } from './run-suite.js';
import { renderDiagnostic } from '../notebook/diagnostic.js';
import { LocatedError } from '../env/resolve.js';
import { prepareNotebooks } from './prepare.js';
import { configureCompileCache } from '../cache/compile-cache.js';
import { dirname } from 'node:path';
import { sendsToPath } from '../notebook/released.js';

export type { Io } from './io.js';
import type { Io } from './io.js';
import { argvNames, cliValues, environmentProblems, runSetup } from './command-setup.js';
import { useColor } from './color.js';

// Kept here for the modules and tests that import them from run-command; main.ts loads validate-command.ts alone.
export { useColor } from './color.js';
export { validateCommand } from './validate-command.js';

export async function runCommand(args: RunArgs, io: Io, interrupts = new Interrupts(io.stderr)): Promise<number> {
  interrupts.teardownMs = args.teardownTimeoutMs;
  const suite = collectNotebookFiles(args.paths);
  const files = args.shard ? shardFiles(suite, args.shard) : suite;
  const color = useColor(io.stderr, io.env);
  const setup = runSetup(args, files, io, color);
  if (!setup) return 2;
  configureCompileCache({ dir: args.cacheDir, disabled: args.noCache, near: files.slice(0, 1).map((f) => dirname(f)), env: io.env });
  boundBigSuites();
  const { notebooks, problems, reload } = await loadAll(files, argvNames(args), io.stderr, color, args.allowFiles, args.openapi !== undefined, setup.names);
  if (interrupts.interrupted) return 130;
  if (problems) return 2;
  if (setup.environments && environmentProblems(setup.environments, notebooks, io.stderr, color)) return 2;
  if (checkTlsFiles(notebooks, args.allowFiles, true, io.stderr, useColor(io.stderr, io.env))) return 2;
  for (const line of argvSecretWarnings(notebooks.flatMap((nb) => nb.inputs), argvNames(args))) io.stderr.write(`${line}\n`);
  const overrides = cliValues(args);
  const outDir = prepareOutDir(args.out, args.reporters);
  // Each description is read and compiled once for the whole run, before anything is sent.
  const descriptions = await loadRunDescriptions(notebooks, args.openapi, io.stderr, useColor(io.stderr, io.env), { allowFiles: args.allowFiles, command: 'run' });
  if (descriptions.problems) return 2;
  for (const [flag, min] of [['--coverage-min', args.coverageMin], ['--coverage-min-responses', args.coverageMinResponses]] as const) {
    if (min !== undefined && !notebooks.some((nb) => descriptions.forNotebook(nb))) throw new UsageError(`${flag} needs an OpenAPI description: give --openapi FILE, or \`openapi:\` in a notebook`);
  }
  // Read before anything is sent: a baseline that cannot be read is a usage error.
  const baseline = args.baseline ? await loadBaselineFor(args.baseline, args.baselineThreshold) : undefined;

  const redactor = new Redactor();
  // Proxy credentials are secrets from the start: the redactor knows them before anything is sent.
  const network = networkOptions(args, io.env, redactor);
  registerLiteralPassphrases(notebooks, redactor);
  let prepared: PreparedNotebook[] = [];
  try {
    const ask = io.stdinIsTTY && !io.env.CI ? (question: string, hidden: boolean) => terminalAsk(question, hidden, interrupts.stop.signal) : undefined;
    // --env-file fills in what the process environment does not set.
    prepared = await prepareNotebooks(notebooks, { env: { ...args.envFile, ...io.env }, cli: overrides, ask, environments: setup.environments?.byNotebook, rows: setup.rows?.rows, baseUrlGiven: args.baseUrl !== undefined, redactor });
    for (const { notebook, baseUrl } of prepared) {
      if (!args.baseUrl && !baseUrl && !notebook.mock && !notebook.baseUrl && sendsToPath(notebook)) {
        throw new UsageError(`${notebook.file}: no base URL; give --base-url, or set \`baseUrl:\` or \`mock: stripe\` in the notebook${args.env ? ` or \`baseUrl:\` in environments/${args.env}.yaml` : ''}`);
      }
    }
  } catch (err) {
    if (err instanceof LocatedError) {
      io.stderr.write(renderDiagnostic(err.diagnostic, err.text, color) + '\n\nnothing was sent.\n');
      return 2;
    }
    if (err instanceof PromptInterrupted) {
      // A signal sent from outside has already said so; Ctrl-C typed at the prompt has not.
      if (!interrupts.interrupted) io.stderr.write(`\n${err.message}\n`);
      return 130;
    }
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
  if (interrupts.interrupted) return 130;

  const log = createLogger(args.logLevel, redactor);
  const reporters = await createReporters(args.reporters, { outDir, io, quiet: args.quiet, color: useColor(io.stdout, io.env) });
  const interrupt = interrupts.stop;
  if (interrupt.signal.aborted) return 130;
  interrupts.stage = 'running';
  const insecure = insecureSources(args, notebooks);
  if (insecure.length) io.stderr.write(insecureWarning(insecure));
  const http = createHttpClient({ maxBodyBytes: args.maxBodyBytes, ...network });
  try {
    const run = await runSuite({
      prepared,
      jobs: args.jobs,
      retries: args.retries,
      overrides,
      timeoutMs: args.timeoutMs,
      reporters,
      http,
      redactor,
      log,
      signal: interrupt.signal,
      teardownSignal: interrupts.teardown.signal,
      targetFor: (p) => targetFor(p, args, log),
      environment: args.env,
      shard: args.shard ? { ...args.shard, suiteNotebooks: suite.length } : undefined,
      baseline,
      openapiFor: (notebook) => descriptions.forNotebook(notebook),
      openapiMode: args.openapiMode,
      coverages: () => descriptions.coverages(),
      insecure: insecure.length > 0,
      load: reload,
    });
    const coverages = descriptions.coverages();
    if (run.interrupted) return 130;
    const shortfalls = [
      ...(args.coverageMin === undefined ? [] : coverageShortfalls(coverages, args.coverageMin)),
      ...(args.coverageMinResponses === undefined ? [] : responseShortfalls(coverages, args.coverageMinResponses)),
    ];
    for (const s of shortfalls) io.stderr.write(`Failed: ${s}\n`);
    return run.summary.failed || run.summary.errors || shortfalls.length ? 1 : 0;
  } finally {
    interrupts.stage = 'finished';
    interrupts.dispose();
    await http.close();
  }
}

async function loadBaselineFor(file: string, thresholdPercent: number) {
  const { loadBaseline } = await import('../report/baseline.js');
  const { ReportReadError } = await import('../report/read.js');
  try {
    return await loadBaseline(file, thresholdPercent);
  } catch (err) {
    throw err instanceof ReportReadError ? new UsageError(`--baseline: ${err.message}`) : err;
  }
}

/** --base-url wins; else the environment's baseUrl; else a notebook's `mock` starts the embedded mock (fresh state); else its baseUrl. */
async function targetFor({ notebook, baseUrl }: PreparedNotebook, args: RunArgs, log: ReturnType<typeof createLogger>): Promise<{ url: string; close: () => Promise<void> }> {
  if (args.baseUrl) return { url: args.baseUrl, close: async () => {} };
  if (baseUrl) return { url: baseUrl, close: async () => {} };
  if (notebook.mock === 'stripe') {
    const { startStripeMock } = await import('../mock/stripe/index.js');
    const mock = await startStripeMock({ port: 0, host: '127.0.0.1' });
    log.info({ url: mock.url }, 'embedded Stripe mock started');
    return mock;
  }
  return { url: notebook.baseUrl ?? '', close: async () => {} };
}

