/**
 * curl command lines (a file of them, or stdin) → one notebook: a step per command, in order.
 * The origin every command shares becomes `baseUrl`, headers every step sends go once into
 * `defaults.headers`, one auth shared by all is the notebook's, and credentials are inputs.
 */
import { basename, dirname, resolve } from 'node:path';
import { ImportError, newDraft, uniqueName, type DraftNotebook, type DraftStep, type ImportResult, type Kept, type Warning } from '../draft.js';
import { sharedAuth, sharedHeaders } from '../postman.js';
import { Inputs } from './inputs.js';
import { maskedCommand } from './mask.js';
import { parseCall } from './parse.js';
import { stepOf } from './step.js';
import { ShellSyntaxError, splitCommands } from './tokenize.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export interface CurlOptions {
  /** The imported file, or `-` for stdin. */
  file: string;
  outFile?: string;
}

export function importCurl(text: string, options: CurlOptions): ImportResult {
  let commands;
  try {
    commands = splitCommands(text);
  } catch (err) {
    if (err instanceof ShellSyntaxError) throw new ImportError(`${options.file}:${err.line}: ${err.message}`, err.line, err.hint);
    throw err;
  }
  const place = { sourceDir: options.file === '-' ? process.cwd() : dirname(resolve(options.file)), notebookFile: resolve(options.outFile ?? 'imported.yaml') };
  const inputs = new Inputs();
  const draft = newDraft(options.file === '-' ? 'curl commands' : `curl commands from ${basename(options.file)}`);
  draft.header.push(`Imported by api-notebook from the curl command lines in ${options.file === '-' ? 'stdin' : basename(options.file)}.`);
  const taken = new Set<string>();
  const urls: string[] = [];
  for (const command of commands) {
    const call = parseCall(command);
    if (!call) {
      draft.kept.push({ line: command.line, why: `not a curl command (${command.words[0]!.text}); only curl lines are imported`, source: command.source });
      continue;
    }
    const result = stepOf(call, inputs, place);
    const method = String(result.step?.request?.method ?? '');
    if (result.refused || !METHODS.has(method)) {
      draft.kept.push({ line: call.line, why: result.refused ?? `the method ${method} is not one a notebook sends (GET POST PUT PATCH DELETE HEAD OPTIONS)`, source: maskedCommand(call) });
      continue;
    }
    const step = result.step!;
    step.name = uniqueName(taken, `${method} ${pathOf(result.url!)}`);
    draft.steps.push(step);
    urls.push(result.url!);
  }
  if (draft.steps.length === 0) {
    throw new ImportError(`${options.file} holds no curl command that can be imported`, commands[0]?.line ?? 1, draft.kept[0] ? draft.kept[0].why : 'give a file of curl command lines (one per line, `\\` continues a line), or - for stdin');
  }
  baseUrlFrom(draft.steps, urls, draft);
  sharedHeaders(draft);
  sharedAuth(draft);
  sharedOptions(draft);
  // A shell runs every line of a script whatever the one before got: so does the notebook.
  if (draft.steps.length > 1) for (const step of draft.steps) step.continueOnFailure = true;
  Object.assign(draft.inputs, inputs.inputs);
  draft.header.push(...inputs.notes);
  const warnings: Warning[] = [];
  const redact = (k: Kept) => {
    k.source = inputs.redact(k.source);
    k.why = inputs.redact(k.why);
  };
  for (const step of draft.steps) {
    for (const k of step.kept) {
      redact(k);
      warnings.push({ line: k.line, message: `${step.name}: ${k.why}` });
    }
  }
  for (const k of draft.kept) {
    redact(k);
    warnings.push({ line: k.line, message: k.why });
  }
  return { notebooks: [{ suggestedName: draft.title, draft }], warnings, format: 'curl' };
}

function pathOf(url: string): string {
  const m = /^https?:\/\/[^/?#]+(.*)$/i.exec(url);
  const path = m ? m[1]! || '/' : url;
  return path.replace(/\?.*$/, '');
}

/** Every URL on one origin (`https://api.stripe.com`): that is `baseUrl`, and the steps say `path`. */
export function baseUrlFrom(steps: DraftStep[], urls: string[], draft: { baseUrl?: string }): void {
  const origin = /^https?:\/\/[^/?#$]+/i.exec(urls[0]!)?.[0];
  if (!origin || !urls.every((u) => u.toLowerCase().startsWith(origin.toLowerCase()) && /^($|[/?#])/.test(u.slice(origin.length)))) return;
  draft.baseUrl = origin;
  for (const step of steps) {
    const request = step.request!;
    const rest = String(request.url).slice(origin.length);
    const { method, url: _url, ...others } = request;
    step.request = { method, path: rest.startsWith('/') ? rest : `/${rest}`, ...others };
  }
}

/** `-L`, `-k`, `--max-time` on every line: said once under `defaults:` (they are defaults keys too). */
function sharedOptions(draft: DraftNotebook): void {
  const steps = draft.steps;
  if (steps.length < 2) return;
  for (const key of ['followRedirects', 'tls', 'timeoutMs', 'http2']) {
    const first = JSON.stringify(steps[0]!.request![key]);
    if (first === undefined || !steps.every((s) => JSON.stringify(s.request![key]) === first)) continue;
    draft.defaults = { ...draft.defaults, [key]: steps[0]!.request![key] };
    for (const s of steps) delete s.request![key];
  }
}
