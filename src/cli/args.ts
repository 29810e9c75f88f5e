/** Command-line parsing (node:util parseArgs). Problems are UsageError: exit 2 with a hint. */
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readVarFile, readVarFiles } from './var-file.js';

export { UsageError } from './usage-error.js';
import { UsageError } from './usage-error.js';

export const REPORTERS = ['console', 'json', 'junit', 'html', 'markdown'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface RunArgs {
  command: 'run' | 'validate';
  paths: string[];
  baseUrl?: string;
  vars: Record<string, string>;
  /** --var-json name=JSON (repeatable): typed values of inputs and vars (a number, a list, an object). */
  varJson: Record<string, unknown>;
  out: string;
  timeoutMs: number;
  /** After the first Ctrl-C / SIGTERM, how long teardown may still run. */
  teardownTimeoutMs: number;
  /** Response bodies larger than this (after decoding) fail the step. */
  maxBodyBytes: number;
  logLevel: string;
  reporters: ReporterName[];
  quiet: boolean;
  /** --jobs N: notebooks run at once. */
  jobs: number;
  /** --shard i/n. */
  shard?: { index: number; total: number };
  /** --retries N: default retries for steps whose request cannot change state. */
  retries: number;
  baseline?: string;
  baselineThreshold: number;
  /** --openapi FILE: check every response against this description (overrides `openapi:`). */
  openapi?: string;
  /** --openapi-mode warn: failed `openapi` checks are warnings that do not fail the run (default: fail). */
  openapiMode: 'fail' | 'warn';
  /** --coverage-min N: fail the run when the description's coverage is below N percent. */
  coverageMin?: number;
  /** --coverage-min-responses N: fail the run when fewer than N percent of the documented responses were seen. */
  coverageMinResponses?: number;
  /** --allow-files DIR (repeatable, absolute): folders outside the notebook's repository that files may come from (src/files/access.ts). */
  allowFiles: string[];
  /** --allow-fetch: `validate` may fetch http(s) descriptions and $refs (it sends nothing otherwise). */
  allowFetch: boolean;
  /** --ca FILE (repeatable), --cert FILE, --key FILE, --insecure, --http2: TLS defaults of every notebook (absolute paths). */
  ca: string[];
  cert?: string;
  key?: string;
  insecure: boolean;
  http2: boolean;
  /** --proxy URL: every request through this proxy (NO_PROXY still applies); --no-proxy: ignore HTTP(S)_PROXY. */
  proxy?: string;
  noProxy: boolean;
  /** --var-file FILE (repeatable): inputs and vars from files of name=value lines (src/cli/var-file.ts); `vars` wins. */
  varFile: Record<string, string>;
  /** --env NAME: environments/NAME.yaml beside or above each notebook (src/env/). */
  env?: string;
  /** --env-file FILE: dotenv values the inputs' environment variables are read from; the process environment wins. */
  envFile: Record<string, string>;
  /** --data FILE (run): each notebook runs once per row, the row's fields as vars (src/data/). */
  data?: string;
  /** --cache-dir DIR: where compiled schemas are cached between runs (src/cache/); --no-cache: none. */
  cacheDir?: string;
  noCache: boolean;
}

export interface MergeArgs {
  command: 'merge';
  inputs: string[];
  out: string;
  reporters: ReporterName[];
  quiet: boolean;
  baseline?: string;
  baselineThreshold: number;
}

export interface MockArgs {
  command: 'mock';
  host: string;
  port: number;
  logLevel: string;
}

export interface OpenArgs {
  command: 'open';
  notebook: string;
  baseUrl?: string;
  host: string;
  port: number;
  browser: boolean;
  vars: Record<string, string>;
  /** --allow-files DIR (repeatable, absolute), as for run. */
  allowFiles: string[];
  /** --var-file FILE (repeatable), as for run. */
  varFile: Record<string, string>;
}

export interface ImportArgs {
  command: 'import';
  file: string;
  out?: string;
  from?: 'mulesoft' | 'postman' | 'openapi' | 'bruno' | 'http';
  env?: string;
  split: boolean;
  /** --allow-files DIR (repeatable, absolute), as for run. */
  allowFiles: string[];
  /** --allow-fetch: an imported description may fetch http(s) $refs. */
  allowFetch: boolean;
  /** --negative: OpenAPI only; also steps for the documented 4xx responses the description says how to provoke. */
  negative: boolean;
}

/** `api-notebook coverage <description> <reports…>`: the description's coverage by the reports' runs, as one. */
export interface CoverageArgs {
  command: 'coverage';
  description: string;
  reports: string[];
  allowFiles: string[];
  coverageMin?: number;
  coverageMinResponses?: number;
}

export type Args = RunArgs | MergeArgs | MockArgs | OpenArgs | ImportArgs | CoverageArgs | { command: 'help'; topic?: string } | { command: 'version' };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseCommandLine(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help', topic: rest[0] };
  if (command === '--version' || command === '-v') return { command: 'version' };
  if (command === 'run' || command === 'validate') return parseRun(command, rest);
  if (command === 'mock') return parseMock(rest);
  if (command === 'merge') return parseMerge(rest);
  if (command === 'open') return parseOpen(rest);
  if (command === 'import') return parseImport(rest);
  if (command === 'coverage') return parseCoverage(rest);
  throw new UsageError(`unknown command \`${command}\`; the commands are run, validate, merge, coverage, open, mock, import (see api-notebook --help)`);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

function parseRun(command: 'run' | 'validate', args: string[]): Args {
  const { values, positionals } = parse(args, {
    'base-url': { type: 'string' },
    var: { type: 'string', multiple: true },
    'var-json': { type: 'string', multiple: true },
    out: { type: 'string' },
    timeout: { type: 'string' },
    'teardown-timeout': { type: 'string' },
    'max-body': { type: 'string' },
    'log-level': { type: 'string' },
    reporter: { type: 'string', multiple: true },
    quiet: { type: 'boolean', short: 'q' },
    jobs: { type: 'string', short: 'j' },
    shard: { type: 'string' },
    retries: { type: 'string' },
    baseline: { type: 'string' },
    'baseline-threshold': { type: 'string' },
    openapi: { type: 'string' },
    'openapi-mode': { type: 'string' },
    'coverage-min': { type: 'string' },
    'coverage-min-responses': { type: 'string' },
    'allow-files': { type: 'string', multiple: true },
    'allow-fetch': { type: 'boolean' },
    ca: { type: 'string', multiple: true },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    http2: { type: 'boolean' },
    proxy: { type: 'string' },
    'no-proxy': { type: 'boolean' },
    'var-file': { type: 'string', multiple: true },
    env: { type: 'string' },
    'env-file': { type: 'string' },
    data: { type: 'string' },
    'cache-dir': { type: 'string' },
    'no-cache': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: command };
  if (values['cache-dir'] !== undefined && values['no-cache']) throw new UsageError('--cache-dir and --no-cache contradict each other: give one');
  if (values.data !== undefined && command === 'validate') throw new UsageError('--data is for `run`: `validate` checks the notebooks once, whatever the rows');
  if (values.proxy !== undefined && values['no-proxy']) throw new UsageError('--proxy and --no-proxy contradict each other: give one');
  if (positionals.length === 0) throw new UsageError(`\`${command}\` needs at least one notebook file or folder, e.g. \`api-notebook ${command} notebooks/\``);
  const vars = parseVars(values.var as string[] | undefined);
  const varJson = parseVarJson(values['var-json'] as string[] | undefined, vars);
  const baseUrl = parseBaseUrl(values['base-url'] as string | undefined);
  const timeoutText = (values.timeout as string | undefined) ?? '30000';
  const timeoutMs = Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout takes milliseconds (a whole number above 0), got \`${timeoutText}\``);
  const teardownText = (values['teardown-timeout'] as string | undefined) ?? '10000';
  const teardownTimeoutMs = Number(teardownText);
  if (!Number.isInteger(teardownTimeoutMs) || teardownTimeoutMs < 0) throw new UsageError(`--teardown-timeout takes milliseconds (a whole number, 0 or more), got \`${teardownText}\``);
  const maxBodyBytes = parseSize((values['max-body'] as string | undefined) ?? '10mb', '--max-body');
  const logLevel = (values['log-level'] as string | undefined) ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const reporters = reporterList(values.reporter as string[] | undefined);
  const coverageMin = percentage('--coverage-min', values['coverage-min'] as string | undefined);
  const coverageMinResponses = percentage('--coverage-min-responses', values['coverage-min-responses'] as string | undefined);
  return {
    command,
    paths: positionals,
    baseUrl,
    vars,
    varJson,
    out: (values.out as string | undefined) ?? 'reports',
    timeoutMs,
    teardownTimeoutMs,
    maxBodyBytes,
    logLevel,
    reporters,
    quiet: values.quiet === true,
    jobs: wholeNumber('--jobs', values.jobs as string | undefined, 1, 1, 256),
    shard: shardOf(values.shard as string | undefined),
    retries: wholeNumber('--retries', values.retries as string | undefined, 0, 0, 100),
    baseline: values.baseline as string | undefined,
    baselineThreshold: wholeNumber('--baseline-threshold', values['baseline-threshold'] as string | undefined, 50, 0, 100_000),
    openapi: values.openapi as string | undefined,
    openapiMode: openapiModeOf(values['openapi-mode'] as string | undefined),
    coverageMin,
    coverageMinResponses,
    allowFiles: allowedFolders(values['allow-files'] as string[] | undefined),
    allowFetch: values['allow-fetch'] === true,
    ca: ((values.ca as string[] | undefined) ?? []).map((f) => existingFile('--ca', f)),
    cert: values.cert === undefined ? undefined : existingFile('--cert', values.cert as string),
    key: values.key === undefined ? undefined : existingFile('--key', values.key as string),
    insecure: values.insecure === true,
    http2: values.http2 === true,
    proxy: values.proxy as string | undefined,
    noProxy: values['no-proxy'] === true,
    varFile: readVarFiles((values['var-file'] as string[] | undefined) ?? []),
    env: values.env as string | undefined,
    // Read before anything else: the inputs' environment variables may come from it.
    envFile: values['env-file'] === undefined ? {} : readVarFile(values['env-file'] as string, '--env-file'),
    data: values.data === undefined ? undefined : existingFile('--data', values.data as string),
    cacheDir: values['cache-dir'] as string | undefined,
    noCache: values['no-cache'] === true,
  };
}

function openapiModeOf(text: string | undefined): 'fail' | 'warn' {
  if (text === undefined || text === 'fail' || text === 'warn') return text ?? 'fail';
  throw new UsageError(`--openapi-mode is fail or warn, got \`${text}\``);
}

/** A file named by a flag (the user's own choice, so not under the notebook file rule), made absolute. */
function existingFile(flag: string, file: string): string {
  let ok = false;
  try {
    ok = statSync(file).isFile();
  } catch {}
  if (!ok) throw new UsageError(`${flag} takes a file that exists, got \`${file}\``);
  return resolvePath(file);
}

function reporterList(given: string[] | undefined): ReporterName[] {
  const reporters = (given ?? [REPORTERS.join(',')]).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const r of reporters) if (!(REPORTERS as readonly string[]).includes(r)) throw new UsageError(`unknown reporter \`${r}\`; the reporters are ${REPORTERS.join(', ')}`);
  return [...new Set(reporters)] as ReporterName[];
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got \`${text}\``);
  return n;
}

/** `--coverage-min 80`: a percentage from 0 to 100, or undefined when the flag is not given. */
function percentage(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`${flag} takes a percentage from 0 to 100, got \`${text}\``);
  return n;
}

/** `--shard i/n`: shard i (from 1) of n. */
function shardOf(text: string | undefined): RunArgs['shard'] {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n (e.g. --shard 2/3), got \`${text}\``);
  return { index, total };
}

function parseMerge(args: string[]): Args {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    reporter: { type: 'string', multiple: true },
    quiet: { type: 'boolean', short: 'q' },
    baseline: { type: 'string' },
    'baseline-threshold': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'merge' };
  if (positionals.length === 0) throw new UsageError('`merge` needs the shards\' report folders or report.json files, e.g. `api-notebook merge shard-1 shard-2 shard-3 --out reports`');
  if (values.out === undefined) throw new UsageError('`merge` needs --out DIR: where the merged reports go');
  return {
    command: 'merge',
    inputs: positionals,
    out: values.out as string,
    reporters: reporterList(values.reporter as string[] | undefined),
    quiet: values.quiet === true,
    baseline: values.baseline as string | undefined,
    baselineThreshold: wholeNumber('--baseline-threshold', values['baseline-threshold'] as string | undefined, 50, 0, 100_000),
  };
}

function parseOpen(args: string[]): Args {
  const { values, positionals } = parse(args, {
    'base-url': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'no-browser': { type: 'boolean' },
    var: { type: 'string', multiple: true },
    'allow-files': { type: 'string', multiple: true },
    'var-file': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'open' };
  if (positionals.length !== 1) throw new UsageError('`open` takes one notebook file, e.g. `api-notebook open notebooks/stripe/accounts-customers-plans-coupons.yaml`');
  const vars = parseVars(values.var as string[] | undefined);
  const baseUrl = parseBaseUrl(values['base-url'] as string | undefined);
  const port = Number((values.port as string | undefined) ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (0-65535)`);
  return { command: 'open', notebook: positionals[0], baseUrl, host: (values.host as string | undefined) ?? '127.0.0.1', port, browser: values['no-browser'] !== true, vars, allowFiles: allowedFolders(values['allow-files'] as string[] | undefined), varFile: readVarFiles((values['var-file'] as string[] | undefined) ?? []) };
}

/** `--allow-files DIR`, repeatable: each must be an existing folder (made absolute here, against the working directory). */
function allowedFolders(given: string[] | undefined): string[] {
  return (given ?? []).map((dir) => {
    let ok = false;
    try {
      ok = statSync(dir).isDirectory();
    } catch {}
    if (!ok) throw new UsageError(`--allow-files takes a folder that exists, got \`${dir}\``);
    return resolvePath(dir);
  });
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `1048576`, `512kb`, `10mb`, `1.5MiB`: bytes, with binary units (1 kb = 1024 bytes). */
export function parseSize(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes >= 1)) throw new UsageError(`${flag} takes a size in bytes, or with a unit (kb, mb, gb; 1 kb = 1024 bytes), e.g. \`10mb\`; got \`${text}\``);
  return bytes;
}

function parseMock(args: string[]): Args {
  const { values, positionals } = parse(args, {
    host: { type: 'string' },
    port: { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'mock' };
  if (positionals.length && positionals[0] !== 'stripe') throw new UsageError(`unknown mock \`${positionals[0]}\`; the embedded mock is \`stripe\``);
  const port = Number((values.port as string | undefined) ?? '12111');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (0-65535)`);
  return { command: 'mock', host: (values.host as string | undefined) ?? '127.0.0.1', port, logLevel: (values['log-level'] as string | undefined) ?? 'info' };
}

function parseCoverage(args: string[]): Args {
  const { values, positionals } = parse(args, {
    'allow-files': { type: 'string', multiple: true },
    'coverage-min': { type: 'string' },
    'coverage-min-responses': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'coverage' };
  if (positionals.length < 2) throw new UsageError('`coverage` takes a description and at least one report, e.g. `api-notebook coverage openapi.yaml reports-1 reports-2`');
  return {
    command: 'coverage',
    description: positionals[0]!,
    reports: positionals.slice(1),
    allowFiles: allowedFolders(values['allow-files'] as string[] | undefined),
    coverageMin: percentage('--coverage-min', values['coverage-min'] as string | undefined),
    coverageMinResponses: percentage('--coverage-min-responses', values['coverage-min-responses'] as string | undefined),
  };
}

const IMPORT_FORMATS = ['mulesoft', 'postman', 'openapi', 'curl', 'hurl', 'bruno', 'http'] as const;

function parseImport(args: string[]): Args {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    from: { type: 'string' },
    env: { type: 'string' },
    split: { type: 'boolean' },
    'allow-files': { type: 'string', multiple: true },
    'allow-fetch': { type: 'boolean' },
    negative: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'import' };
  if (positionals.length !== 1) throw new UsageError(`\`import\` takes one file, e.g. \`api-notebook import collection.json --out notebook.yaml\``);
  const from = values.from as string | undefined;
  if (from !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(from)) throw new UsageError(`--from must be one of ${IMPORT_FORMATS.join(', ')}, got \`${from}\``);
  if (values.split && !values.out) throw new UsageError('--split writes one notebook per folder: give the folder with --out DIR');
  return { command: 'import', file: positionals[0]!, out: values.out as string | undefined, from: from as ImportArgs['from'], env: values.env as string | undefined, split: values.split === true, allowFiles: allowedFolders(values['allow-files'] as string[] | undefined), allowFetch: values['allow-fetch'] === true, negative: values.negative === true };
}

export const HELP: Record<string, string> = {
  main: `api-notebook: run documented YAML notebooks of HTTP requests and checks.

Usage:
  api-notebook run <files or folders…> [options]   run notebooks, write reports
  api-notebook validate <files or folders…>        check notebooks without sending anything
  api-notebook merge <report dirs or report.json files…> --out DIR   merge the reports of shards
  api-notebook coverage <description> <report dirs or report.json files…>   OpenAPI coverage of shards, as one
  api-notebook open <notebook> [options]           the notebook as a live page: run cells in the browser
  api-notebook mock [--host H] [--port P]          serve the embedded Stripe mock
  api-notebook import <file> [--out notebook.yaml] a notebook from a MuleSoft notebook, Postman collection or OpenAPI description
  api-notebook help <command>                      options of one command

Exit codes: 0 every step passed · 1 a step failed or errored · 2 invalid notebook or command line · 130 interrupted
Docs: README.md, docs/notebook-format.md and docs/ci.md`,
  run: `api-notebook run <files or folders…> [options]

Runs each notebook (a folder means every *.yaml / *.yml inside it, sorted) and writes reports.
A notebook with \`mock: stripe\` runs against the embedded Stripe mock unless --base-url is given.

Options:
  --base-url URL       base URL for every notebook (overrides baseUrl and mock)
  --var name=value     set an input or var (repeatable); values are strings
  --var-json name=JSON set an input or var to a typed value: --var-json qty=3, --var-json 'tags=["a"]'
  --var-file FILE      inputs and vars from a file of name=value lines (dotenv syntax; repeatable);
                       --var wins. Use it, or the environment, for secrets: argv is public
  --env NAME           use environments/NAME.yaml (next to each notebook or in a folder above it):
                       its baseUrl, vars and input values; --var and --base-url win over it
  --env-file FILE      load a dotenv file into the environment the inputs read (\`env:\`);
                       a variable already set in the process environment wins
  --data FILE          run each notebook once per row of a CSV, JSON or YAML file (a list of
                       objects), the row's fields as vars; each row is its own notebook in the reports
  --out DIR            where reports go (default: reports)
  --timeout MS         deadline of each request, from sending it to the last byte of the
                       response, in milliseconds (default: 30000); a request's \`timeoutMs\`
                       and the notebook's \`defaults.timeoutMs\` take precedence
  --teardown-timeout MS
                       after Ctrl-C / SIGTERM, how long teardown may still run (default: 10000)
  --max-body SIZE      largest response body kept for checks, after decoding gzip/br/deflate,
                       e.g. 10mb, 512kb or bytes (default: 10mb); a larger one fails the step
  --reporter LIST      comma-separated: console,json,junit,html,markdown (default: all)
  --quiet, -q          console prints only failures and the summary
  --log-level LEVEL    pino logs on stderr: fatal,error,warn,info,debug,trace,silent (default: warn)
  --jobs N, -j N       run up to N notebooks at once (default: 1); the console prints each
                       notebook's lines together when it finishes; reports keep notebook order
  --shard i/n          run shard i of n: a deterministic 1/n of the notebooks (sorted paths);
                       combine the shards' reports with \`api-notebook merge\`
  --retries N          retry a failed or errored GET/HEAD/OPTIONS step up to N times (default: 0);
                       a step that may change state is retried only with \`retries:\` on the step
  --baseline FILE      compare with an earlier report.json: newly failing, fixed, slower steps
  --baseline-threshold PCT   slower means more than PCT% slower than the baseline (default: 50)
  --openapi FILE       check every response against this OpenAPI 3.0/3.1 description (overrides openapi:)
  --openapi-mode MODE  fail (default): a request or response the description does not allow fails its step;
                       warn: it is a warning (console, reports) and the run does not fail for it
  --coverage-min N     fail (exit 1) when fewer than N% of the description's operations were exercised
  --coverage-min-responses N
                       fail (exit 1) when fewer than N% of the documented responses (each status,
                       4XX range and default of each operation) were seen
  --allow-files DIR    also read descriptions, $refs and schemas from DIR (repeatable); by default
                       only files inside the notebook's repository and the shipped schemas are read
  --ca FILE            trust the CA certificate(s) in this PEM file too (repeatable); CAs add up with a
                       notebook's \`tls.ca\`
  --cert FILE          client certificate (PEM) for servers that ask for one (mTLS), with --key FILE
  --key FILE           the key of --cert
  --insecure           do not verify TLS certificates (prints a warning; recorded in report.json)
  --http2              offer HTTP/2 over TLS (ALPN); each exchange records its \`httpVersion\`
  --proxy URL          send every request through this HTTP proxy (http://user:password@host:port);
                       without it, HTTP_PROXY / HTTPS_PROXY / NO_PROXY are honoured
  --no-proxy           ignore HTTP_PROXY / HTTPS_PROXY: connect directly
  --cache-dir DIR      cache compiled schemas here between runs (default: node_modules/.cache/api-notebook
                       in the nearest node_modules above the notebooks, else the OS temp folder)
  --no-cache           compile every schema afresh and cache nothing
  --help, -h           this text

With GITHUB_ACTIONS=true each failed step also prints a GitHub annotation (::error file=…,line=…).
Exit codes: 0 every step passed · 1 a step failed or errored · 2 invalid notebook or command line · 130 interrupted`,
  merge: `api-notebook merge <report dirs or report.json files…> --out DIR [options]

Rebuilds every report (report.json, junit.xml, report.html, report.md and the console summary)
from the report.json of each shard (see --shard), in notebook order. The console prints the
failed steps with their evidence, and the summary.

Options:
  --out DIR            where the merged reports go (required)
  --reporter LIST      comma-separated: console,json,junit,html,markdown (default: all)
  --baseline FILE      compare the merged run with an earlier report.json
  --baseline-threshold PCT   slower means more than PCT% slower (default: 50)

Exit codes: 0 every step passed · 1 a step failed or errored · 2 a report could not be read`,
  coverage: `api-notebook coverage <description> <report dirs or report.json files…> [options]

Prints the description's coverage by the runs of the reports (the shards of a suite, say) as one
run would: each operation, its documented statuses, the statuses seen (how often) and how many of
its documented responses were seen; then the totals. The reports are checked as merge checks them.

Options:
  --coverage-min N     exit 1 when fewer than N% of the operations were exercised
  --coverage-min-responses N
                       exit 1 when fewer than N% of the documented responses were seen
  --allow-files DIR    the description's $refs may also read files in DIR (repeatable)

Exit codes: 0 printed (and above the minimums) · 1 below a minimum · 2 a report or the description could not be read`,
  validate: `api-notebook validate <files or folders…> [--var name=value] [--var-file FILE] [--env NAME]

Loads and checks notebooks (YAML, the notebook schema, expressions, names, schema references,
OpenAPI descriptions, data files; --openapi FILE as for run) without sending any request. Prints
every problem as file:line:col with a hint. Exit 0 or 2.

Options:
  --env NAME           also check environments/NAME.yaml, and that every input the notebooks need
                       has a value or a source there (names the missing ones); with --env-file FILE
  --allow-files DIR    also read descriptions, $refs and schemas from DIR (repeatable)
  --allow-fetch        fetch http(s) descriptions and $refs (without it nothing is fetched, and a
                       remote description is a warning: not checked)
  --cache-dir DIR      cache compiled schemas here between runs (as for run)
  --no-cache           compile every schema afresh and cache nothing`,
  open: `api-notebook open <notebook> [options]

Serves the notebook as a live page on this machine and prints its URL (first line of stdout;
the access token is in the URL's #fragment). Run cells one by one (Shift+Enter) or all at once,
see each response, check and capture, fill in missing inputs, edit a cell's YAML and save it.
Editing the file elsewhere updates the page. Ctrl-C runs the teardown of what was run (up to
10 s, again to skip it) and exits 0. A notebook with \`mock: stripe\` runs against the embedded mock.

Options:
  --base-url URL       base URL (overrides the notebook's baseUrl and mock)
  --host HOST          address to listen on (default: 127.0.0.1)
  --port PORT          port to listen on (default: 0, any free port)
  --no-browser         do not open the system browser (also when CI is set)
                       (the browser, $BROWSER or the system's, gets a one-time code, never the token)
  --var name=value     set an input or var (repeatable); values are strings
  --allow-files DIR    also read descriptions, $refs and schemas from DIR (repeatable)
  --var-file FILE      inputs and vars from a file of name=value lines (dotenv syntax; repeatable)
  --help, -h           this text`,
  import: `api-notebook import <file> [--out notebook.yaml] [options]

Writes a notebook from a MuleSoft API Notebook (markdown), a Postman collection (v2.0/v2.1) or an
OpenAPI 3.0/3.1 description. What cannot be translated is kept as a comment beside its step and
listed as a warning with its source line. Without --out the notebook goes to stdout.

Options:
  --out FILE           where the notebook goes (with --split: a folder)
  --from FORMAT        mulesoft, postman, openapi, curl or hurl (default: detected from the file);
                       curl reads a file of curl command lines, or - for stdin; hurl a .hurl file
  --env FILE           a Postman environment file: its values become vars, secret ones secret inputs
  --split              Postman: one notebook per top-level folder, written into --out DIR
  --allow-files DIR    an OpenAPI description's $refs may also read files in DIR (repeatable); by
                       default only files inside the imported file's repository are read
  --allow-fetch        fetch an OpenAPI description's http(s) $refs (nothing is fetched without it)
  --negative           OpenAPI: after each operation's step, steps for the documented 4xx responses
                       the description says how to provoke: no credentials (401), an unknown id (404),
                       a missing required parameter or field and a wrong type (400/422)
  --help, -h           this text

Reads at most 8 MiB; each notebook it writes may be at most 256 KiB (use --split).
Exit codes: 0 imported (warnings are listed, not errors) · 2 unreadable, unknown or too large input`,
  mock: `api-notebook mock [stripe] [--host 127.0.0.1] [--port 12111] [--log-level info]

Serves the embedded, stateful Stripe API mock (API version 2015-07-28) until Ctrl-C.
Any key starting with sk_test_ works; each key has its own account and data.`,
};

/** `--var name=value`, repeatable; shared by `run`, `validate` and `open`. */
function parseVars(given: string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const v of given ?? []) {
    const eq = v.indexOf('=');
    if (eq < 1) throw new UsageError(`--var takes name=value, got \`${v}\``);
    vars[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return vars;
}

/** `--var-json name=JSON`, repeatable: the value parsed as JSON; a name may not also be given with --var. */
function parseVarJson(given: string[] | undefined, vars: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = Object.create(null);
  for (const v of given ?? []) {
    const eq = v.indexOf('=');
    if (eq < 1) throw new UsageError(`--var-json takes name=JSON, got \`${v}\``);
    const name = v.slice(0, eq);
    if (Object.hasOwn(vars, name)) throw new UsageError(`\`${name}\` is given with both --var and --var-json: give it once`);
    try {
      values[name] = JSON.parse(v.slice(eq + 1));
    } catch (err) {
      const reason = (err as Error).message.replace(/,?\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON/, '').split('\n')[0];
      throw new UsageError(`--var-json ${name}=…: not JSON (${reason}); e.g. --var-json ${name}=42, --var-json ${name}='["a","b"]' or --var-json ${name}='"text"'`);
    }
  }
  return { ...values };
}

function parseBaseUrl(baseUrl: string | undefined): string | undefined {
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/i.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got \`${baseUrl}\``);
  return baseUrl;
}
