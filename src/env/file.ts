/**
 * An environment file, `environments/NAME.yaml`: where one notebook suite runs (local, staging).
 *
 *   baseUrl: "https://${region}.staging.example.test"   # text, or an expression over inputs and vars
 *   vars: { region: eu, pageSize: 50 }                   # plain values (any YAML value)
 *   inputs:
 *     user: alice                                        # a plain value
 *     apiKey: { env: STAGING_KEY }                       # from the process environment (or --env-file)
 *     otp: { prompt: "One-time code: " }                 # asked on a terminal
 *
 * A secret input (one a notebook declares `secret: true`, or marked `secret: true` here) may only
 * come from the environment or a prompt: a file is committed, copied and printed, so a secret
 * written in it is refused (./secrets.ts), located like every other problem in the file.
 */
import { compileTemplate, ExprSyntaxError, findPlaceholders, type Template } from '../expr/index.js';
import { closest, type Diagnostic } from '../notebook/diagnostic.js';
import { YamlSourceMap } from '../notebook/source.js';
import type { Span } from '../notebook/types.js';
import { LineCounter, parseDocument } from 'yaml';

export type EnvInputSource =
  | { kind: 'value'; value: unknown }
  | { kind: 'env'; env: string }
  | { kind: 'prompt'; prompt: string };

export interface EnvInput {
  name: string;
  source: EnvInputSource;
  /** Marked `secret: true` in the environment file. */
  secret: boolean;
  span: Span;
}

export interface Environment {
  name: string;
  /** Absolute path. */
  file: string;
  /** As shown to people (relative to the working directory). */
  shown: string;
  text: string;
  baseUrl?: { raw: string; template: Template; span: Span };
  vars: Record<string, unknown>;
  inputs: EnvInput[];
}

const KEYS = ['baseUrl', 'vars', 'inputs', 'description'];
const INPUT_KEYS = ['env', 'prompt', 'secret'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseEnvironment(name: string, file: string, shown: string, text: string): { environment?: Environment; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const source = new YamlSourceMap(shown, text, doc, lineCounter);
  const diagnostics: Diagnostic[] = [];
  const report = (message: string, span: Span, hint?: string) => diagnostics.push({ message, span, hint });
  for (const e of doc.errors) report(`YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, source.spanOfOffsets(e.pos[0], e.pos[1]));
  if (diagnostics.length) return { diagnostics };
  const data: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (!isMapping(data)) {
    report('an environment file is a mapping of `baseUrl`, `vars` and `inputs`', source.at([]), 'e.g. `baseUrl: https://staging.example.test`');
    return { diagnostics };
  }
  for (const key of Object.keys(data)) {
    if (KEYS.includes(key)) continue;
    const guess = closest(key, KEYS);
    report(`unknown key \`${key}\` in an environment file`, source.keyAt([], key), guess ? `did you mean \`${guess}\`?` : `the keys are ${KEYS.join(', ')}`);
  }
  let baseUrl: Environment['baseUrl'];
  if (data.baseUrl !== undefined) {
    const span = source.at(['baseUrl']);
    if (typeof data.baseUrl !== 'string') report('`baseUrl` is text: a URL, or an expression such as "${apiBase}"', span);
    else {
      try {
        baseUrl = { raw: data.baseUrl, template: compileTemplate(data.baseUrl), span };
      } catch (err) {
        if (!(err instanceof ExprSyntaxError)) throw err;
        report(`invalid expression: ${err.message}`, source.inString(['baseUrl'], err.index), err.hint);
      }
    }
  }
  const vars: Record<string, unknown> = {};
  if (data.vars !== undefined) {
    if (!isMapping(data.vars)) report('`vars` is a mapping of names to values', source.at(['vars']), 'e.g. `vars: { region: eu }`');
    else for (const [k, v] of Object.entries(data.vars)) {
      if (typeof v === 'string' && findHoles(v)) report('a value in an environment file is plain: `${…}` is not read here', source.at(['vars', k]), 'write the value itself; expressions over inputs and vars go in `baseUrl` or in the notebook');
      vars[k] = v;
    }
  }
  const inputs: EnvInput[] = [];
  if (data.inputs !== undefined) {
    if (!isMapping(data.inputs)) report('`inputs` is a mapping of input names to values or sources', source.at(['inputs']), 'e.g. `inputs: { apiKey: { env: STAGING_KEY } }`');
    else for (const [k, v] of Object.entries(data.inputs)) {
      const input = inputOf(k, v, source, report);
      if (input) inputs.push(input);
    }
  }
  if (diagnostics.length) return { diagnostics };
  return { environment: { name, file, shown, text, baseUrl, vars, inputs }, diagnostics };
}

function inputOf(name: string, v: unknown, source: YamlSourceMap, report: (m: string, s: Span, h?: string) => void): EnvInput | undefined {
  const span = source.keyAt(['inputs'], name);
  if (!isMapping(v)) return { name, source: { kind: 'value', value: v }, secret: false, span };
  for (const key of Object.keys(v)) {
    if (INPUT_KEYS.includes(key)) continue;
    const guess = closest(key, INPUT_KEYS);
    report(`unknown key \`${key}\` in input \`${name}\``, source.keyAt(['inputs', name], key), guess ? `did you mean \`${guess}\`?` : 'an input is a plain value, or `{ env: NAME }`, or `{ prompt: "…" }` (with `secret: true` if it is a secret)');
  }
  const secret = v.secret === true;
  if (v.secret !== undefined && typeof v.secret !== 'boolean') report('`secret` is true or false', source.at(['inputs', name, 'secret']));
  if (typeof v.env === 'string' && ENV_NAME.test(v.env)) return { name, source: { kind: 'env', env: v.env }, secret, span };
  if (v.env !== undefined) {
    report('`env` names an environment variable (letters, digits and _)', source.at(['inputs', name, 'env']), 'e.g. `{ env: STAGING_KEY }`');
    return undefined;
  }
  if (typeof v.prompt === 'string') return { name, source: { kind: 'prompt', prompt: v.prompt }, secret, span };
  report(`input \`${name}\` needs \`env:\` or \`prompt:\``, span, 'e.g. `{ env: STAGING_KEY }`; a plain value is written without braces');
  return undefined;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function findHoles(text: string): boolean {
  try {
    return findPlaceholders(text).length > 0;
  } catch {
    return true;
  }
}
