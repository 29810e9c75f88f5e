/**
 * `api-notebook open <notebook>`: the notebook as a live page. Prints the URL first (the token in
 * its fragment), opens the browser unless --no-browser or CI, serves until SIGINT/SIGTERM, then
 * runs the teardown of what was run (within the same deadline as `run`; a second signal skips
 * it) and exits 0. The browser is given a URL with a one-time code, never the token: the
 * opener's command line is readable by every local user (one-time-code.ts).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHttpClient } from '../http/client.js';
import { checkTlsFiles, environmentNetworkOptions, insecureSources, insecureWarning, registerLiteralPassphrases } from './network.js';
import type { Notebook } from '../notebook/types.js';
import { LiveNotebook } from '../open/app.js';
import { newToken } from '../open/guard.js';
import { OneTimeCodes } from '../open/one-time-code.js';
import { openBrowser } from '../open/opener.js';
import { exposureWarning } from '../open/exposure.js';
import { NotebookFile } from '../open/notebook-file.js';
import { startOpenServer } from '../open/server.js';
import { loadRunDescriptions } from '../openapi/for-run.js';
import { argvSecretWarnings, InputError, resolveInputs } from '../run/inputs.js';
import { Redactor } from '../run/redact.js';
import type { SessionTarget } from '../run/session.js';
import { UsageError, type OpenArgs } from './args.js';
import { createLogger } from './logger.js';
import { useColor } from './color.js';
import type { Io } from './io.js';
import { terminalText } from '../report/escape/terminal.js';

const TEARDOWN_DEADLINE_MS = 10_000;
const TIMEOUT_MS = 30_000;

export async function openCommand(args: OpenArgs, io: Io): Promise<number> {
  const path = resolve(args.notebook);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(`no such file: ${args.notebook}`);
  }
  if (!isFile) throw new UsageError(`\`open\` takes one notebook file, and ${args.notebook} is a folder`);
  const file = new NotebookFile(path, Object.keys(args.vars), args.allowFiles);
  const version = await file.read();
  if (!version.notebook) {
    for (const d of version.diagnostics) io.stderr.write(`${d.text}\n\n`);
    io.stderr.write(`${version.diagnostics.length} problem${version.diagnostics.length === 1 ? '' : 's'} found; fix the file and open it again.\n`);
    return 2;
  }
  const notebook = version.notebook;
  for (const line of argvSecretWarnings(notebook.inputs, Object.keys(args.vars))) io.stderr.write(`${line}\n`);
  // The notebook's `openapi:` description, checked against every response as `run` does.
  const descriptions = await loadRunDescriptions([notebook], undefined, io.stderr, useColor(io.stderr, io.env), { allowFiles: args.allowFiles, command: 'open' });
  if (descriptions.problems) return 2;
  if (checkTlsFiles([notebook], args.allowFiles, false, io.stderr, useColor(io.stderr, io.env))) return 2;
  const inputs = await knownInputs(notebook, args, io.env);
  const redactor = new Redactor();
  const log = createLogger('warn', redactor);
  const target = await targetFor(notebook, args);
  registerLiteralPassphrases([notebook], redactor);
  const insecure = insecureSources(undefined, [notebook]);
  if (insecure.length) io.stderr.write(insecureWarning(insecure));
  const http = createHttpClient(environmentNetworkOptions(io.env, redactor));
  const app = new LiveNotebook({ file, version: { ...version, notebook }, inputs, overrides: { ...args.varFile, ...args.vars }, target, http, redactor, log, timeoutMs: TIMEOUT_MS, openapi: descriptions.forNotebook(notebook) });
  const token = newToken();
  const codes = new OneTimeCodes();
  // Once per reason: a program guessing codes in a loop must not flood the terminal.
  const told = new Set<string>();
  const onCodeRefused = (why: string) => {
    if (told.has(why)) return;
    told.add(why);
    io.stderr.write(`warning: a request to open the page was refused: ${why}. If your browser did not open the page, use the URL printed above; if it did, another program tried the link it was given.\n`);
  };
  let server;
  try {
    server = await startOpenServer({ host: args.host, port: args.port, token, live: app.live, actions: app.actions, redactor, codes, onCodeRefused });
  } catch (err) {
    await target.close();
    await http.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${args.port} on ${args.host} is in use; choose another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${args.host}: no such local address`);
    throw err;
  }
  io.stdout.write(`${server.url}#token=${token}\n`);
  const warning = exposureWarning(server.address, server.port);
  if (warning) io.stderr.write(`${warning}\n`);
  io.stderr.write(`${terminalText(notebook.title)} (${terminalText(file.displayPath)} → ${terminalText(target.url)}) is open at the URL above. Ctrl-C stops; the teardown of what was run runs first.\n`);
  if (args.browser && !io.env.CI) openBrowser(`${server.localUrl}#code=${codes.issue()}`, io.env);
  const stopWatching = file.watch(() => void app.reload());

  const second = new AbortController();
  await new Promise<void>((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => second.abort());
      process.once('SIGTERM', () => second.abort());
      io.stderr.write(`\n${signal}: stopping; teardown of what was run (up to ${TEARDOWN_DEADLINE_MS / 1000} s, again to skip it)\n`);
      done();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  stopWatching();
  try {
    const ran = await app.session.teardownPending(AbortSignal.any([second.signal, AbortSignal.timeout(TEARDOWN_DEADLINE_MS)]));
    for (const step of ran) io.stderr.write(`  teardown: ${terminalText(step.name)} → ${app.live.cells.get(`teardown-${step.index}`)?.status ?? 'not run'}\n`);
    if (!ran.length) io.stderr.write('  nothing to tear down\n');
  } finally {
    await server.close();
    await http.close();
    await target.close();
  }
  return 0;
}

/** Inputs from --var, the environment or a default; the rest are asked in the page. */
async function knownInputs(notebook: Notebook, args: OpenArgs, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const def of notebook.inputs) {
    try {
      Object.assign(values, await resolveInputs(notebook.file, [def], { env, overrides: { ...args.varFile, ...args.vars } }));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
    }
  }
  return values;
}

/** --base-url wins; else `mock: stripe` starts the embedded mock (restarted empty on Reset); else baseUrl. */
async function targetFor(notebook: Notebook, args: OpenArgs): Promise<SessionTarget & { close(): Promise<void> }> {
  if (args.baseUrl) return { url: args.baseUrl, close: async () => {} };
  if (notebook.mock === 'stripe') {
    const { startStripeMock } = await import('../mock/stripe/index.js');
    let mock = await startStripeMock({ port: 0, host: '127.0.0.1' });
    return {
      url: mock.url,
      async fresh() {
        await mock.close();
        mock = await startStripeMock({ port: 0, host: '127.0.0.1' });
        return mock.url;
      },
      close: () => mock.close(),
    };
  }
  if (!notebook.baseUrl && notebook.steps.some((s) => s.kind === 'http' && s.request.target.kind === 'path')) {
    throw new UsageError(`${notebook.file}: no base URL; give --base-url, or set \`baseUrl:\` or \`mock: stripe\` in the notebook`);
  }
  return { url: notebook.baseUrl ?? '', close: async () => {} };
}
