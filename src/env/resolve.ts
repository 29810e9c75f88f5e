/**
 * What an environment gives each notebook, and in which order values win. For an input or var:
 *
 *   --var-json / --var  >  --var-file  >  a --data row  >  the environment file  >  the notebook
 *
 * (the notebook's own sources being an input's `env:` variable, its `default`, its `prompt`). An
 * environment input written `{ env: NAME }` or `{ prompt: … }` replaces the notebook's own
 * sources for that input: when staging's key must come from STAGING_KEY, an unset STAGING_KEY is
 * an error, never a silent fall-back to the notebook's default (which is the local one). The base
 * URL: --base-url > the environment's `baseUrl` > the notebook's `mock` > the notebook's `baseUrl`.
 */
import type { Diagnostic } from '../notebook/diagnostic.js';
import type { InputDef, Notebook } from '../notebook/types.js';
import type { Environment, EnvInput } from './file.js';

/** A located problem of the run's configuration (exit 2), rendered with its file's text. */
export class LocatedError extends Error {
  constructor(readonly diagnostic: Diagnostic, readonly text?: string) {
    super(`${diagnostic.span.file}:${diagnostic.span.line}:${diagnostic.span.col}: ${diagnostic.message}`);
  }
}

/** Secret inputs: those a notebook declares secret, and those the environment marks secret. */
export function secretNames(env: Environment, notebooks: readonly Notebook[]): Set<string> {
  const names = new Set(env.inputs.filter((i) => i.secret).map((i) => i.name));
  for (const nb of notebooks) for (const i of nb.inputs) if (i.secret) names.add(i.name);
  return names;
}

/** A secret written as a plain value in the environment file: refused, at its line. */
export function secretsWrittenIn(env: Environment, notebooks: readonly Notebook[]): Diagnostic[] {
  const secret = secretNames(env, notebooks);
  return env.inputs.filter((i) => i.source.kind === 'value' && secret.has(i.name)).map((i) => ({
    message: `secret input \`${i.name}\` is written in the environment file; a secret may only come from the process environment or a prompt`,
    span: i.span,
    hint: `write \`${i.name}: { env: ${envVarName(env.name, i.name)} }\` and set that variable (in CI from its secret store, or with --env-file FILE kept out of the repository), or \`{ prompt: "…" }\``,
  }));
}

function envVarName(envName: string, input: string): string {
  return `${envName}_${input}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The notebook's input as the environment defines it: its sources replaced by the environment's. */
export function inputWithEnvironment(def: InputDef, env: EnvInput | undefined): InputDef {
  if (!env || env.source.kind === 'value') return env?.secret ? { ...def, secret: true } : def;
  const secret = def.secret || env.secret;
  if (env.source.kind === 'env') return { ...def, secret, env: env.source.env, default: undefined, prompt: undefined, span: env.span };
  return { ...def, secret, env: undefined, default: undefined, prompt: env.source.prompt, span: env.span };
}

/** An environment input no notebook declares, as an input of its own (located in the environment file). */
export function inputOfEnvironment(env: EnvInput): InputDef {
  const s = env.source;
  return { name: env.name, secret: env.secret, span: env.span, env: s.kind === 'env' ? s.env : undefined, prompt: s.kind === 'prompt' ? s.prompt : undefined, default: s.kind === 'value' ? s.value : undefined };
}

/** Plain values of the environment: its vars and its inputs written as values. */
export function plainValues(env: Environment): Record<string, unknown> {
  const values: Record<string, unknown> = { ...env.vars };
  for (const i of env.inputs) if (i.source.kind === 'value') values[i.name] = i.source.value;
  return values;
}

/** Names an expression in the environment's `baseUrl` reads that nothing defines. */
export function unknownBaseUrlNames(env: Environment, known: ReadonlySet<string>): Diagnostic[] {
  if (!env.baseUrl) return [];
  const out: Diagnostic[] = [];
  for (const e of env.baseUrl.template.exprs) for (const n of e.names) {
    if (!known.has(n)) out.push({ message: `\`${n}\` in \`baseUrl\` is not an input or var of the environment or its notebooks`, span: env.baseUrl.span, hint: `define it under \`vars:\` or \`inputs:\` in ${env.shown}, or in the notebook` });
  }
  return out;
}
