/**
 * `http-client.env.json` (JetBrains, httpyac: `{ "dev": { "host": "…" } }`) and its
 * `http-client.private.env.json` (the secrets, kept out of git) beside the .http file →
 * the notebook's starting values and environments/NAME.yaml. A private value is never copied:
 * it becomes an input read from the process environment.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { environmentFile, type EnvironmentFile } from '../environment-file.js';
import { dict } from '../dict.js';
import { envName, identifier, ImportError } from '../draft.js';
import { readImportText } from '../limits.js';
import type { HttpNames } from './names.js';

type EnvJson = Record<string, Record<string, unknown>>;

export class HttpEnvironments {
  constructor(private readonly pub: EnvJson, private readonly priv: EnvJson) {}

  get defaultName(): string {
    const names = Object.keys(this.pub).filter((n) => n !== '$shared');
    return names.find((n) => /^(local|dev)/i.test(n)) ?? names[0] ?? '';
  }
  valueOf(name: string): unknown {
    const env = this.pub[this.defaultName] ?? {};
    return Object.hasOwn(env, name) ? env[name] : this.pub.$shared && Object.hasOwn(this.pub.$shared, name) ? this.pub.$shared[name] : undefined;
  }
  isSecret(name: string): boolean {
    return Object.values(this.priv).some((e) => e && typeof e === 'object' && Object.hasOwn(e, name));
  }

  /** `baseVar`: the var every URL starts with, written as each environment's baseUrl. */
  files(names: HttpNames, baseVar?: string): EnvironmentFile[] {
    const envs = new Set([...Object.keys(this.pub), ...Object.keys(this.priv)].filter((n) => n !== '$shared'));
    return [...envs].map((env) => {
      const vars: Record<string, unknown> = dict();
      const inputs: Record<string, unknown> = dict();
      for (const [k, v] of Object.entries({ ...this.pub.$shared, ...this.pub[env] })) if (names.used.has(identifier(k)) && !this.isSecret(k)) vars[identifier(k)] = typeof v === 'string' ? names.template(v, { line: 1, step: { name: '', kept: [] } }) : v;
      for (const k of Object.keys({ ...this.priv.$shared, ...this.priv[env] })) if (names.used.has(identifier(k))) inputs[identifier(k)] = { env: envName(identifier(k)), secret: true };
      const out: Record<string, unknown> = {};
      if (baseVar && typeof vars[baseVar] === 'string') {
        out.baseUrl = vars[baseVar];
        delete vars[baseVar];
      }
      if (Object.keys(vars).length) out.vars = vars;
      if (Object.keys(inputs).length) out.inputs = inputs;
      return environmentFile(env, `http-client.env.json (${env})`, out);
    });
  }
}

export async function readHttpEnvironments(httpFile: string): Promise<HttpEnvironments> {
  const dir = dirname(httpFile);
  return new HttpEnvironments(await readJson(join(dir, 'http-client.env.json')), await readJson(join(dir, 'http-client.private.env.json')));
}

async function readJson(file: string): Promise<EnvJson> {
  if (!existsSync(file)) return {};
  const text = await readImportText(file);
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object of environments');
    return data as EnvJson;
  } catch (err) {
    throw new ImportError(`${file}: not an environment file (${(err as Error).message})`, 1, 'http-client.env.json holds `{ "envName": { "var": "value" } }`');
  }
}
