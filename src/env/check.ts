/**
 * `validate --env NAME`: every input the notebooks need has a value or a source that gives one
 * now (a --var, a value in the environment file, a set environment variable, a default, or a
 * prompt on a terminal). The missing ones are named, each with the ways to give it.
 */
import type { InputDef, Notebook } from '../notebook/types.js';
import type { Environment } from './file.js';
import { inputOfEnvironment, inputWithEnvironment, plainValues } from './resolve.js';

export interface InputSourcesNow {
  env: NodeJS.ProcessEnv;
  cli: Record<string, unknown>;
  terminal: boolean;
}

export function missingInputs(notebooks: readonly Notebook[], environments: Map<string, Environment>, s: InputSourcesNow): string[] {
  const missing: string[] = [];
  const declared = new Set(notebooks.flatMap((nb) => nb.inputs.map((i) => i.name)));
  const seenEnv = new Set<Environment>();
  for (const nb of notebooks) {
    const env = environments.get(nb.file);
    const plain = env ? plainValues(env) : {};
    const byName = new Map(env?.inputs.map((i) => [i.name, i]));
    for (const def of nb.inputs.map((d) => inputWithEnvironment(d, byName.get(d.name)))) {
      if (!hasValue(def, plain, s)) missing.push(describe(nb.file, def, env));
    }
    if (env && !seenEnv.has(env)) {
      seenEnv.add(env);
      for (const own of env.inputs.filter((i) => !declared.has(i.name)).map(inputOfEnvironment)) if (!hasValue(own, plain, s)) missing.push(describe(env.shown, own, env));
    }
  }
  // One input shared by several notebooks (from one environment line) is named once.
  return [...new Set(missing)];
}

function hasValue(def: InputDef, plain: Record<string, unknown>, s: InputSourcesNow): boolean {
  if (Object.hasOwn(s.cli, def.name) || Object.hasOwn(plain, def.name)) return true;
  if (def.env && s.env[def.env] !== undefined && s.env[def.env] !== '') return true;
  return def.default !== undefined || (def.prompt !== undefined && s.terminal);
}

function describe(file: string, def: InputDef, env: Environment | undefined): string {
  const ways = [def.env ? `set ${def.env}` : undefined, `pass --var ${def.name}=…`, env && !def.secret ? `give it a value under \`inputs:\` in ${env.shown}` : undefined, def.prompt ? 'run on a terminal to be asked' : undefined].filter(Boolean);
  const at = def.span.file === file || !def.span.file ? `${file}:${def.span.line}:${def.span.col}` : `${def.span.file}:${def.span.line}:${def.span.col}`;
  return `${at}: input \`${def.name}\` has no value${env ? ` in environment ${env.name}` : ''}; ${ways.join(', or ')}`;
}
