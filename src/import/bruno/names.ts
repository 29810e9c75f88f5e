/**
 * Where each Bruno variable is declared, used and set, to decide what the notebook declares:
 * a var (vars:pre-request, an environment's value), a secret input (vars:secret), an input read
 * from the process environment ({{process.env.X}}, or a name set nowhere), or a capture.
 */
import type { DraftNotebook, DraftStep } from '../draft.js';
import { envName, identifier, SECRET_NAME } from '../draft.js';
import { templated } from '../postman-request.js';
import { defaultEnvironment, type BruEnvironment } from './environments.js';

export class BruNames {
  private readonly notebookName = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly firstUse = new Map<string, number>();
  private readonly captured = new Map<string, number>();
  private readonly declared = new Map<string, { value: string; line: number }>();
  readonly declaredFromEnvironment = new Set<string>();
  /** The variable every URL starts with (`{{host}}`), which became the notebook's baseUrl. */
  baseVar?: string;
  stepIndex = 0;

  id(bruName: string): string {
    let n = this.notebookName.get(bruName);
    if (!n) this.notebookName.set(bruName, (n = identifier(bruName)));
    return n;
  }
  request(bruName: string): string {
    this.used.add(bruName);
    if (!this.firstUse.has(bruName)) this.firstUse.set(bruName, this.stepIndex);
    return this.id(bruName);
  }
  use(bruName: string): string {
    return this.request(bruName);
  }
  set(bruName: string): string {
    if (!this.captured.has(bruName)) this.captured.set(bruName, this.stepIndex);
    return this.id(bruName);
  }
  template(text: string): string {
    return templated(text, this);
  }
  /** `vars:pre-request` of the collection or a request; a second, different value stays a comment. */
  declare(bruName: string, value: string, line: number, step?: DraftStep): void {
    const prior = this.declared.get(bruName);
    if (prior && prior.value !== value && step) step.kept.push({ line, why: `\`${bruName}\` is set again with another value; the notebook keeps the first (${prior.value})`, source: `${bruName}: ${value}` });
    if (!prior) this.declared.set(bruName, { value, line });
  }

  declareInto(draft: DraftNotebook, envs: BruEnvironment[]): void {
    const env = defaultEnvironment(envs);
    const base = this.baseUrlInto(draft, env);
    const text = JSON.stringify([draft.steps, draft.defaults, draft.auth, [...this.declared.values()]]);
    const captured = new Set(this.captured.keys());
    for (const bruName of new Set([...this.used, ...this.declared.keys(), ...captured])) {
      const name = this.id(bruName);
      if (!new RegExp(`\\b${name}\\b`).test(text) && !(this.declared.has(bruName) && this.used.has(bruName))) continue;
      if (bruName === base && !new RegExp(`\\b${name}\\b`).test(text)) continue;
      const process = /^process\.env\.(\w+)$/.exec(bruName);
      const secret = envs.some((e) => e.secrets.has(bruName));
      const fromEnv = env?.vars.get(bruName);
      if (process) draft.inputs[name] = { env: process[1]! };
      else if (this.declared.has(bruName)) draft.vars[name] = { value: this.declared.get(bruName)!.value };
      else if (secret) {
        this.declaredFromEnvironment.add(bruName);
        draft.inputs[name] = { env: envName(name), secret: true };
        draft.header.push(`${envName(name)}: set it to the secret "${bruName}" of your Bruno environment (secrets are not copied).`);
      } else if (fromEnv !== undefined && !captured.has(bruName)) {
        this.declaredFromEnvironment.add(bruName);
        const literal = typeof fromEnv === 'string' ? /^\{\{\s*process\.env\.(\w+)\s*\}\}$/.exec(fromEnv) : null;
        if (literal) draft.inputs[name] = { env: literal[1]! };
        else draft.vars[name] = { value: typeof fromEnv === 'string' ? this.template(fromEnv) : fromEnv, comment: `from ${env!.name}.bru (environments/*.yaml set it per environment)` };
      } else if (captured.has(bruName)) {
        if ((this.firstUse.get(bruName) ?? Infinity) <= this.captured.get(bruName)!) draft.vars[name] = { value: null, comment: 'set by a step below; null until then' };
      } else {
        // Set nowhere: Bruno sends `{{name}}` as written, so that is the default; the environment may set it.
        // A secret's name gets no default: a run without it says so instead of sending `{{token}}`.
        draft.inputs[name] = SECRET_NAME.test(bruName) ? { env: envName(name), secret: true } : { env: envName(name), default: `{{${bruName}}}` };
      }
    }
  }

  /** When every URL starts with the same `{{var}}`, that var is the baseUrl and URLs become paths. */
  private baseUrlInto(draft: DraftNotebook, env: BruEnvironment | undefined): string | undefined {
    const requests = draft.steps.filter((s) => s.request);
    const urls = requests.map((s) => String(s.request!.url ?? ''));
    const first = /^\$\{(\w+)\}/.exec(urls[0] ?? '');
    if (!first || !urls.every((u) => u.startsWith(first[0]) && /^($|[/?])/.test(u.slice(first[0].length)))) return undefined;
    for (const s of requests) {
      const { url, method, ...rest } = s.request!;
      const path = String(url).slice(first[0].length);
      s.request = { method, path: path.startsWith('/') ? path : `/${path}`, ...rest };
    }
    const bruName = [...this.notebookName].find(([, n]) => n === first[1])?.[0] ?? first[1]!;
    this.baseVar = bruName;
    const value = env?.vars.get(bruName);
    if (typeof value === 'string' && /^https?:\/\/[^{]+$/.test(value)) draft.baseUrl = value;
    else draft.header.push(`Every request starts with {{${bruName}}}: give it as --base-url (e.g. --base-url http://localhost:8080).`);
    if (env) draft.header.push(`baseUrl is {{${bruName}}} of the ${env.name} environment; environments/*.yaml hold each environment's.`);
    return bruName;
  }
}
