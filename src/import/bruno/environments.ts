/**
 * `environments/NAME.bru` (`vars { … }`, `vars:secret [ … ]`) → the values a notebook starts
 * from, and environments/NAME.yaml files (`baseUrl`, `vars`, `inputs: { name: { env: VAR } }`).
 * A secret's value is never copied: it becomes an input read from the process environment.
 */
import { basename } from 'node:path';
import { dict } from '../dict.js';
import { envName } from '../draft.js';
import type { BruSource } from './files.js';
import { block, type BruPair } from './parse.js';
import { environmentFile, type EnvironmentFile } from '../environment-file.js';

export interface BruEnvironment {
  name: string;
  file: string;
  vars: Map<string, unknown>;
  secrets: Set<string>;
}

export function readEnvironments(sources: BruSource[]): BruEnvironment[] {
  return sources.map((s) => {
    const vars = new Map<string, unknown>();
    for (const p of block(s.bru, 'vars')?.pairs ?? []) if (p.enabled) vars.set(p.key, typed(p));
    return { name: basename(s.path, '.bru'), file: s.path, vars, secrets: new Set(block(s.bru, 'vars:secret')?.items ?? []) };
  });
}

/** The environment a notebook's own values come from: Local if there is one, else the first. */
export function defaultEnvironment(envs: BruEnvironment[]): BruEnvironment | undefined {
  return envs.find((e) => /^local$/i.test(e.name)) ?? envs[0];
}

function typed(p: BruPair): unknown {
  if (p.annotations.includes('@number') && Number.isFinite(Number(p.value))) return Number(p.value);
  if (p.annotations.includes('@boolean') && /^(true|false)$/.test(p.value)) return p.value === 'true';
  if (p.annotations.includes('@object')) {
    try {
      return JSON.parse(p.value);
    } catch {
      return p.value;
    }
  }
  return p.value;
}

/** One environments/NAME.yaml per Bruno environment, holding the names the notebooks use. */
/** What of the collection's names an environment file needs (BruNames has it; named here so names.ts and this file do not import each other). */
export interface EnvironmentNames {
  baseVar?: string;
  declaredFromEnvironment: ReadonlySet<string>;
  id(bruName: string): string;
  template(text: string): string;
}

export function environmentFiles(envs: BruEnvironment[], names: EnvironmentNames): EnvironmentFile[] {
  return envs.map((env) => {
    const out: Record<string, unknown> = {};
    const vars: Record<string, unknown> = dict();
    const inputs: Record<string, unknown> = dict();
    const base = names.baseVar;
    if (base && typeof env.vars.get(base) === 'string') out.baseUrl = names.template(String(env.vars.get(base)));
    for (const [bruName, value] of env.vars) {
      const name = names.id(bruName);
      if (!names.declaredFromEnvironment.has(bruName) || env.secrets.has(bruName)) continue;
      const fromProcess = typeof value === 'string' ? /^\{\{\s*process\.env\.(\w+)\s*\}\}$/.exec(value) : null;
      if (fromProcess) inputs[name] = { env: fromProcess[1] };
      else vars[name] = typeof value === 'string' ? names.template(value) : value;
    }
    for (const bruName of env.secrets) if (names.declaredFromEnvironment.has(bruName)) inputs[names.id(bruName)] = { env: envName(names.id(bruName)), secret: true };
    if (Object.keys(vars).length) out.vars = vars;
    if (Object.keys(inputs).length) out.inputs = inputs;
    return environmentFile(env.name, `the Bruno environment ${basename(env.file)}`, out);
  });
}
