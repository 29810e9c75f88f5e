/**
 * Hurl files → one notebook: an entry per step, in order, with its captures and asserts. The
 * origin every entry shares becomes `baseUrl`; variables set nowhere in the file become inputs
 * read from `HURL_name` (as hurl reads them); credentials are secret inputs, as for curl.
 */
import { basename, dirname, resolve } from 'node:path';
import { ImportError, newDraft, uniqueName, type ImportResult, type Kept, type Warning } from '../draft.js';
import { sharedAuth, sharedHeaders } from '../postman.js';
import { baseUrlFrom } from '../curl/index.js';
import { Inputs } from '../curl/inputs.js';
import { HurlNames } from './names.js';
import { HurlSyntaxError, parseHurl } from './parse.js';
import { stepOf } from './step.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function importHurl(text: string, options: { file: string; outFile?: string }): ImportResult {
  let entries;
  try {
    entries = parseHurl(text);
  } catch (err) {
    if (err instanceof HurlSyntaxError) throw new ImportError(`${options.file}:${err.line}: ${err.message}`, err.line, err.hint);
    throw err;
  }
  if (entries.length === 0) throw new ImportError(`${options.file} holds no Hurl entry`, 1, 'a Hurl file is entries, each starting with a request line such as `GET https://example.org/api`');
  const place = { sourceDir: options.file === '-' ? process.cwd() : dirname(resolve(options.file)), notebookFile: resolve(options.outFile ?? 'imported.yaml') };
  const ctx = { names: new HurlNames(), inputs: new Inputs(), place };
  const name = options.file === '-' ? 'stdin' : basename(options.file);
  const draft = newDraft(`Hurl file ${name}`);
  draft.header.push(`Imported by api-notebook from the Hurl file ${name}.`);
  const taken = new Set<string>();
  const urls: string[] = [];
  for (const entry of entries) {
    if (!METHODS.has(entry.method)) {
      draft.kept.push({ line: entry.line, why: `the method ${entry.method} is not one a notebook sends`, source: `${entry.method} ${entry.url}` });
      continue;
    }
    const step = stepOf(entry, ctx);
    const url = String(step.request!.url);
    step.name = uniqueName(taken, `${entry.method} ${url.replace(/^https?:\/\/[^/?#]+/i, '') || '/'}`);
    draft.steps.push(step);
    urls.push(url);
  }
  if (draft.steps.length === 0) throw new ImportError(`${options.file} has no entry a notebook can send`, entries[0]!.line, draft.kept[0]?.why ?? '');
  baseUrlFrom(draft.steps, urls, draft);
  sharedHeaders(draft);
  sharedAuth(draft);
  Object.assign(draft.inputs, ctx.names.inputs(), ctx.inputs.inputs);
  for (const [n, value] of ctx.names.set) draft.vars[n] = { value };
  for (const [n, input] of Object.entries(ctx.names.inputs())) draft.header.push(`${input.env}: the Hurl file reads {{${[...ctx.names.used].find(([, v]) => v === n)?.[0] ?? n}}} from outside (--variable or ${input.env}); set it in the environment.`);
  draft.header.push(...ctx.inputs.notes);
  const warnings: Warning[] = [];
  const redact = (k: Kept) => {
    k.source = ctx.inputs.redact(k.source);
  };
  for (const step of draft.steps) for (const k of step.kept) {
    redact(k);
    warnings.push({ line: k.line, message: `${step.name}: ${k.why}` });
  }
  for (const k of draft.kept) warnings.push({ line: k.line, message: k.why });
  return { notebooks: [{ suggestedName: draft.title, draft }], warnings, format: 'hurl' };
}
