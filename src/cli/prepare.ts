/**
 * From loaded notebooks to what `run` runs: each notebook's inputs resolved, its values in order
 * (src/env/resolve.ts says which wins), its base URL rendered and checked, and with `--data`
 * one copy per row (`Orders [row 3/10]`). Nothing is sent before all of them are ready.
 */
import type { Notebook } from '../notebook/types.js';
import { checkBaseUrl } from '../notebook/values.js';
import { scopeOf } from '../run/context.js';
import { resolveInputs } from '../run/inputs.js';
import { initialValues } from '../run/notebook.js';
import type { Redactor } from '../run/redact.js';
import type { Environment } from '../env/file.js';
import { inputOfEnvironment, inputWithEnvironment, LocatedError, plainValues, secretNames, unknownBaseUrlNames } from '../env/resolve.js';
import type { PreparedNotebook } from './run-suite.js';

export interface PrepareSources {
  /** The process environment, over the --env-file values. */
  env: NodeJS.ProcessEnv;
  /** --var-file, then --var and --var-json over it. */
  cli: Record<string, unknown>;
  ask?: (question: string, hidden: boolean) => Promise<string>;
  /** --env NAME: each notebook's environment file. */
  environments?: Map<string, Environment>;
  /** --data FILE: its rows. */
  rows?: Array<Record<string, unknown>>;
  /** --base-url URL was given: no base URL is rendered. */
  baseUrlGiven: boolean;
  redactor: Redactor;
}

export async function prepareNotebooks(notebooks: readonly Notebook[], s: PrepareSources): Promise<PreparedNotebook[]> {
  const prepared: PreparedNotebook[] = [];
  const ownInputs = new Map<Environment, Record<string, unknown>>();
  for (const notebook of notebooks) {
    const environment = s.environments?.get(notebook.file);
    // An environment's own inputs (no notebook declares them) are resolved once for the run.
    const extra = environment ? await environmentInputs(environment, notebooks, s, ownInputs) : {};
    const rows = s.rows ?? [undefined];
    for (const [i, row] of rows.entries()) {
      const one = s.rows ? { ...notebook, title: `${notebook.title} [row ${i + 1}/${rows.length}]` } : notebook;
      prepared.push(await prepareOne(one, environment, extra, row, s));
    }
  }
  return prepared;
}

async function environmentInputs(env: Environment, notebooks: readonly Notebook[], s: PrepareSources, done: Map<Environment, Record<string, unknown>>): Promise<Record<string, unknown>> {
  const known = done.get(env);
  if (known) return known;
  const declared = new Set(notebooks.flatMap((nb) => nb.inputs.map((i) => i.name)));
  const secret = secretNames(env, notebooks);
  const own = env.inputs.filter((i) => !declared.has(i.name)).map(inputOfEnvironment);
  const values = await resolveInputs(env.shown, own, { env: s.env, overrides: s.cli, ask: s.ask });
  for (const name of Object.keys(values)) if (secret.has(name)) s.redactor.add(values[name]);
  done.set(env, values);
  return values;
}

async function prepareOne(notebook: Notebook, env: Environment | undefined, extra: Record<string, unknown>, row: Record<string, unknown> | undefined, s: PrepareSources): Promise<PreparedNotebook> {
  const overrides: Record<string, unknown> = { ...(env ? plainValues(env) : {}), ...row, ...s.cli };
  const byName = new Map(env?.inputs.map((i) => [i.name, i]));
  const defs = notebook.inputs.map((def) => inputWithEnvironment(def, byName.get(def.name)));
  const inputs = await resolveInputs(notebook.file, defs, { env: s.env, overrides, ask: s.ask });
  for (const def of defs) if (def.secret) s.redactor.add(inputs[def.name]);
  // Names the notebook does not declare (the environment's, a row's fields) are values too.
  const declared = new Set([...notebook.inputs.map((i) => i.name), ...notebook.vars.map((v) => v.name)]);
  const undeclared = Object.fromEntries(Object.entries({ ...extra, ...overrides }).filter(([k]) => !declared.has(k)));
  const all = { ...undeclared, ...inputs };
  if (s.baseUrlGiven) return { notebook, inputs: all, overrides };
  const values = initialValues(notebook, all, overrides);
  let resolved = notebook;
  if (notebook.baseUrlTemplate) {
    const url = render(notebook.baseUrlTemplate.value.render(scopeOf(values)));
    checkRendered(url, notebook.baseUrlTemplate.span, s.redactor);
    resolved = { ...notebook, baseUrl: url };
  }
  let baseUrl: string | undefined;
  if (env?.baseUrl) {
    const problems = unknownBaseUrlNames(env, new Set(values.keys()));
    if (problems.length) throw new LocatedError(problems[0], env.text);
    baseUrl = render(env.baseUrl.template.render(scopeOf(values)));
    checkRendered(baseUrl, env.baseUrl.span, s.redactor, env.text);
  }
  return { notebook: resolved, inputs: all, overrides, baseUrl };
}

function render(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
}

/** An expression's base URL, once its values are known: absolute http(s), or a located error at the `baseUrl` line. */
function checkRendered(url: string, span: LocatedError['diagnostic']['span'], redactor: Redactor, text?: string): void {
  const problem = checkBaseUrl(url);
  if (!problem) return;
  throw new LocatedError({ message: `\`baseUrl\` resolves to ${JSON.stringify(redactor.text(url))}, which is not an absolute http:// or https:// URL`, span, hint: `set the inputs and vars it reads so that it gives a URL such as https://api.example.test (${problem.hint ?? ''})`.replace(' ()', '') }, text);
}
